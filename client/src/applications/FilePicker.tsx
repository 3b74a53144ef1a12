import AttachFile from '@mui/icons-material/AttachFile';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormHelperText from '@mui/material/FormHelperText';
import { useId, useRef } from 'react';
import { formatBytes } from '../common/formatBytes';
import { monospace } from './Fields';

export interface FilePickerProps {
  file: File | null;
  /** Accepted content types, for the browser's file chooser. */
  accept: readonly string[];
  /** What may be chosen, shown under the picker while there is no error. */
  hint: string;
  error: string | null;
  onChange: (file: File | null) => void;
}

/**
 * A button that opens the file chooser, and what was chosen. The real input stays in the DOM,
 * beside the button (not inside it: one control, not two nested) and out of the page's layout.
 */
export const FilePicker = ({ file, accept, hint, error, onChange }: FilePickerProps) => {
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, flexWrap: 'wrap' }}>
        <Button
          variant="outlined"
          startIcon={<AttachFile />}
          color={error ? 'error' : 'primary'}
          aria-describedby={hintId}
          onClick={() => input.current?.click()}
        >
          {file ? 'Choose another file' : 'Choose file'}
        </Button>
        <input
          ref={input}
          type="file"
          name="file"
          accept={accept.join(',')}
          data-testid="upload-file-input"
          onChange={(event) => onChange(event.currentTarget.files?.[0] ?? null)}
          style={{ display: 'none' }}
        />
        {file ? (
          <Box sx={{ minWidth: 0, fontSize: 13 }} data-testid="upload-file-chosen">
            <Box component="span" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
              {file.name}
            </Box>{' '}
            <Box component="span" sx={{ color: 'text.secondary' }}>
              · {formatBytes(file.size)} ·{' '}
              <Box component="span" sx={{ fontFamily: monospace, fontSize: 12 }}>
                {file.type || 'unknown type'}
              </Box>
            </Box>
          </Box>
        ) : (
          <Box component="span" sx={{ color: 'text.secondary', fontSize: 13 }}>
            No file chosen
          </Box>
        )}
      </Box>
      <FormHelperText
        id={hintId}
        error={error !== null}
        data-testid={error ? 'upload-file-error' : undefined}
        sx={{ mx: 0 }}
      >
        {error ?? hint}
      </FormHelperText>
    </Box>
  );
};
