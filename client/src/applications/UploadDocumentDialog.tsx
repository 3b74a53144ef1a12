import { documentTypeLabels, providerLabels, type ApplicationDetail, type DocumentType } from '@desk/shared';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { useState, type FormEvent } from 'react';
import type { DocumentUpload } from '../dataProvider';
import { FilePicker } from './FilePicker';
import { describeRules, fileProblem, groupTypes, serverFieldErrors, typeProblem } from './uploadChecks';
import { useProviderAction } from './useProviderAction';

export interface UploadDocumentDialogProps {
  application: ApplicationDetail;
  open: boolean;
  onClose: () => void;
}

/**
 * Upload a document on the customer's behalf. The file is checked against the case's upload
 * limits before it is sent; what the server still refuses is shown here, beside the field.
 * The parent mounts a fresh dialog (a new `key`) each time it opens.
 */
export const UploadDocumentDialog = ({ application, open, onClose }: UploadDocumentDialogProps) => {
  const rules = application.actions.upload;
  const { clearing, others } = groupTypes(application);
  const provider = providerLabels[application.provider];
  const [type, setType] = useState<DocumentType | ''>('');
  const [file, setFile] = useState<File | null>(null);
  const [attempted, setAttempted] = useState(false);
  const upload = useProviderAction(
    (dataProvider, id, variables: DocumentUpload) => dataProvider.uploadDocument(id, variables),
    {
      successMessage: (_, { type: sent }) => `${documentTypeLabels[sent]} queued for delivery to ${provider}.`,
      notifyErrors: false,
    },
  );
  const fromServer = serverFieldErrors(upload.error);
  const typeError = (attempted ? typeProblem(type, rules) : null) ?? fromServer.type ?? null;
  const fileError = (file || attempted ? fileProblem(file, rules) : null) ?? fromServer.file ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (type === '' || !file || typeProblem(type, rules) || fileProblem(file, rules)) return;
    upload.mutate({ type, file }, { onSuccess: onClose });
  };
  const changeType = (value: string) => {
    upload.reset();
    setType(rules.types.find((candidate) => candidate === value) ?? '');
  };
  const changeFile = (chosen: File | null) => {
    upload.reset();
    setFile(chosen);
  };
  const option = (value: DocumentType) => (
    <option key={value} value={value}>
      {documentTypeLabels[value]}
    </option>
  );

  return (
    <Dialog
      open={open}
      onClose={upload.isPending ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      data-testid="upload-dialog"
      aria-labelledby="upload-dialog-title"
    >
      <form noValidate onSubmit={submit}>
        <DialogTitle id="upload-dialog-title">Upload document</DialogTitle>
        <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
          <TextField
            select
            fullWidth
            label="Document type"
            value={type}
            onChange={(event) => changeType(event.target.value)}
            error={typeError !== null}
            helperText={typeError ?? (clearing.length > 0 ? 'Types that clear the open flags come first.' : ' ')}
            sx={{ mt: 1 }}
            slotProps={{
              select: { native: true },
              inputLabel: { shrink: true },
              htmlInput: { 'data-testid': 'upload-type-select', name: 'type' },
            }}
          >
            <option value="" disabled>
              Choose a type…
            </option>
            {clearing.length > 0 && <optgroup label="Clears open flags">{clearing.map(option)}</optgroup>}
            {clearing.length > 0 && others.length > 0 ? (
              <optgroup label="Other types">{others.map(option)}</optgroup>
            ) : (
              others.map(option)
            )}
          </TextField>
          <FilePicker file={file} accept={rules.contentTypes} hint={describeRules(rules)} error={fileError} onChange={changeFile} />
          {upload.error && (
            <Alert severity="error" data-testid="upload-error">
              {upload.error.message}
            </Alert>
          )}
        </DialogContent>
        <DialogActions sx={{ px: 2, pb: 1.5 }}>
          <Button onClick={onClose} disabled={upload.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" loading={upload.isPending} data-testid="upload-submit">
            Upload
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
