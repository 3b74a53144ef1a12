import {
  type ApplicationDetail,
  type DocumentDetailKey,
  type DocumentDetails,
  type DocumentType,
  detailDateRange,
  documentDetailLabels,
  documentTypeLabels,
  type Provider,
  providerDocumentRules,
  providerLabels,
  shortTypeLabel,
  todayUtc,
} from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type FormEvent, useState } from 'react';
import type { DocumentUpload } from '../dataProvider';
import { FilePicker } from './FilePicker';
import {
  describeRules,
  detailProblems,
  fileProblem,
  groupTypes,
  requiredDetailsOf,
  rulesOf,
  serverFieldErrors,
  typeProblem,
  typePurpose,
} from './uploadChecks';
import { useProviderAction } from './useProviderAction';

export interface UploadDocumentDialogProps {
  application: ApplicationDetail;
  open: boolean;
  onClose: () => void;
}

/**
 * Upload a document on the customer's behalf. The file, and the details the case's provider
 * requires with the chosen type (its document rules: number, issuing country, issue date,
 * expiry date), are checked against that type's rules before they are sent; what the server
 * still refuses is shown here, beside the input it concerns. The parent mounts a fresh dialog
 * (a new `key`) each time it opens.
 */
export const UploadDocumentDialog = ({ application, open, onClose }: UploadDocumentDialogProps) => {
  const rules = application.actions.upload;
  const { clearing, others } = groupTypes(application);
  const provider = providerLabels[application.provider];
  const [type, setType] = useState<DocumentType | ''>('');
  const [file, setFile] = useState<File | null>(null);
  const [details, setDetails] = useState<Record<DocumentDetailKey, string>>(() => ({
    number: '',
    issuingCountry: application.applicant.address.country.trim().toUpperCase(),
    issueDate: '',
    expiresOn: '',
  }));
  const [touched, setTouched] = useState<ReadonlySet<DocumentDetailKey>>(() => new Set());
  const [attempted, setAttempted] = useState(false);
  const upload = useProviderAction(
    (dataProvider, id, variables: DocumentUpload) => dataProvider.uploadDocument(id, variables),
    {
      successMessage: (_, { type: sent }) => `${documentTypeLabels[sent]} queued for delivery to ${provider}.`,
      notifyErrors: false,
    },
  );
  const today = todayUtc();
  // Everything about the file and its details is checked against the chosen type's own rules.
  const typeRules = rulesOf(type, rules);
  const required = requiredDetailsOf(typeRules);
  const detailErrors = detailProblems(application.provider, type, details, today);
  const fromServer = serverFieldErrors(upload.error);
  const typeError = (attempted ? typeProblem(type, rules) : null) ?? fromServer.type ?? null;
  const fileError = (file || attempted ? fileProblem(file, typeRules) : null) ?? fromServer.file ?? null;
  const detailError = (key: DocumentDetailKey): string | null =>
    (attempted || touched.has(key) ? detailErrors[key] : undefined) ?? fromServer[key] ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (type === '' || !file || typeProblem(type, rules) || fileProblem(file, typeRules)) return;
    if (Object.keys(detailErrors).length > 0) return;
    const sent: DocumentDetails = {};
    for (const key of required) sent[key] = details[key].trim();
    upload.mutate({ type, file, details: sent }, { onSuccess: onClose });
  };
  const changeType = (value: string) => {
    upload.reset();
    setType(rules.types.find((candidate) => candidate === value) ?? '');
  };
  const changeFile = (chosen: File | null) => {
    upload.reset();
    setFile(chosen);
  };
  const changeDetail = (key: DocumentDetailKey, value: string) => {
    upload.reset();
    setDetails((current) => ({ ...current, [key]: key === 'issuingCountry' ? value.toUpperCase() : value }));
  };
  const touch = (key: DocumentDetailKey) => setTouched((current) => new Set(current).add(key));
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
            helperText={
              typeError ??
              (type !== ''
                ? (typePurpose(application.checklist, type) ?? `Clears no document flag at ${provider}.`)
                : clearing.length > 0
                  ? 'Types that clear the open flags come first.'
                  : ' ')
            }
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
          {type !== '' && required.length > 0 && (
            <Box component="fieldset" data-testid="upload-details" sx={{ border: 0, m: 0, p: 0, minWidth: 0 }}>
              <Typography component="legend" variant="body2" sx={{ color: 'text.secondary', mb: 1.25, p: 0 }}>
                {provider} requires these details with {shortTypeLabel(type)} documents.
              </Typography>
              <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 1.5 }}>
                {required.map((key) => (
                  <DetailInput
                    key={key}
                    detail={key}
                    value={details[key]}
                    error={detailError(key)}
                    provider={application.provider}
                    today={today}
                    onChange={(value) => changeDetail(key, value)}
                    onBlur={() => touch(key)}
                  />
                ))}
              </Box>
            </Box>
          )}
          <FilePicker
            file={file}
            accept={typeRules?.contentTypes ?? rules.contentTypes}
            hint={describeRules(typeRules ?? rules)}
            error={fileError}
            onChange={changeFile}
          />
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

/** What each detail input shows under it while there is no error (the expiry's depends on the provider). */
function detailHint(detail: DocumentDetailKey, provider: Provider): string {
  switch (detail) {
    case 'number':
      return 'As printed on the document';
    case 'issuingCountry':
      return 'Three letters, such as USA';
    case 'issueDate':
      return 'Not in the future';
    case 'expiresOn':
      return providerDocumentRules[provider].expiry === 'future' ? 'Must be after today' : 'Today or later';
  }
}

interface DetailInputProps {
  detail: DocumentDetailKey;
  value: string;
  error: string | null;
  provider: Provider;
  /** Today (UTC, YYYY-MM-DD): the day the provider's date rules count from. */
  today: string;
  onChange: (value: string) => void;
  onBlur: () => void;
}

/** One required document detail: a text input, or a date input bounded by the provider's rules. */
const DetailInput = ({ detail, value, error, provider, today, onChange, onBlur }: DetailInputProps) => {
  const date = detail === 'issueDate' || detail === 'expiresOn';
  const range = date ? detailDateRange(provider, detail, today) : {};
  return (
    <TextField
      fullWidth
      required
      type={date ? 'date' : 'text'}
      label={documentDetailLabels[detail]}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      onBlur={onBlur}
      error={error !== null}
      helperText={
        error ? <span data-testid={`upload-detail-${detail}-error`}>{error}</span> : detailHint(detail, provider)
      }
      sx={detail === 'number' ? { gridColumn: '1 / -1' } : undefined}
      slotProps={{
        inputLabel: { shrink: true },
        htmlInput: {
          'data-testid': `upload-detail-${detail}`,
          name: detail,
          autoComplete: 'off',
          ...(detail === 'number' ? { maxLength: 30, spellCheck: false } : {}),
          ...(detail === 'issuingCountry' ? { maxLength: 3, spellCheck: false } : {}),
          ...range,
        },
      }}
    />
  );
};
