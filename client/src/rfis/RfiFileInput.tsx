import type { RfiItemReason } from '@desk/shared';
import AttachFile from '@mui/icons-material/AttachFile';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormHelperText from '@mui/material/FormHelperText';
import Typography from '@mui/material/Typography';
import { useId, useRef } from 'react';
import { formatBytes } from '../common/formatBytes';
import { RfiReasonChip } from './RfiReasonChip';

/** What the server takes as an answer's file (PDF or images, 10 MB each). */
const answerFileTypes = ['application/pdf', 'image/png', 'image/jpeg'];
const rules = 'PDF, PNG or JPEG, up to 10 MB';

export interface RfiFileInputProps {
  /** The document item's key: the multipart part's name and the test id's suffix. */
  itemKey: string;
  label: string;
  /** Why the provider asks for it, when it said. */
  reason?: RfiItemReason | null;
  file: File | null;
  hint: string | null;
  error: string | null;
  onChange: (file: File | null) => void;
}

/**
 * A file picker for one requested document: a button that opens the real `<input type=file>`,
 * which stays in the DOM beside it (not inside it: a control inside a button is nested).
 */
export const RfiFileInput = ({ itemKey, label, reason = null, file, hint, error, onChange }: RfiFileInputProps) => {
  const input = useRef<HTMLInputElement>(null);
  const helperId = useId();
  return (
    <Box data-testid={`rfi-document-${itemKey}`}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, mb: 0.5, flexWrap: 'wrap' }}>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          {label}
        </Typography>
        {reason && <RfiReasonChip reason={reason} />}
      </Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, flexWrap: 'wrap' }}>
        <Button
          variant="outlined"
          size="small"
          startIcon={<AttachFile />}
          color={error ? 'error' : 'primary'}
          aria-label={`${file ? 'Choose another file' : 'Choose file'}: ${label}`}
          aria-describedby={helperId}
          onClick={() => input.current?.click()}
        >
          {file ? 'Choose another file' : 'Choose file'}
        </Button>
        <Box
          component="input"
          ref={input}
          type="file"
          name={itemKey}
          tabIndex={-1}
          accept={answerFileTypes.join(',')}
          data-testid={`rfi-file-${itemKey}`}
          aria-label={label}
          aria-invalid={error !== null}
          onChange={(event) => onChange(event.currentTarget.files?.[0] ?? null)}
          sx={{ position: 'absolute', width: 1, height: 1, opacity: 0, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}
        />
        <Box
          component="span"
          sx={{ fontSize: 13, color: file ? 'text.primary' : 'text.secondary', overflowWrap: 'anywhere' }}
        >
          {file ? `${file.name} · ${formatBytes(file.size)}` : 'No file chosen'}
        </Box>
      </Box>
      <FormHelperText
        id={helperId}
        error={error !== null}
        data-testid={error ? `rfi-error-${itemKey}` : undefined}
        sx={{ mx: 0 }}
      >
        {error ?? (hint ? `${hint} · ${rules}` : rules)}
      </FormHelperText>
    </Box>
  );
};
