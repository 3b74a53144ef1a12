import {
  type ApplicationDetail,
  errorBodySchema,
  type NewOutcome,
  type Outcome,
  outcomeReasonCodes,
  type ReviewOutcome,
  reasonCodeLabels,
  reviewOutcomeLabels,
  reviewOutcomes,
} from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { HttpError, useCanAccess, useDataProvider, useNotify, useShowContext } from 'react-admin';
import { accessResources } from '../auth/access';
import { useDeskIdentity } from '../auth/useDeskIdentity';
import type { DeskDataProvider } from '../dataProvider';

const maxNoteLength = 4000;

function isOutcome(value: string): value is ReviewOutcome {
  return (reviewOutcomes as readonly string[]).includes(value);
}

type FieldName = 'outcome' | 'reasonCode' | 'note';
type FieldErrors = Partial<Record<FieldName, string>>;

/** The server's field errors of a refused outcome. */
function serverFieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof HttpError) || error.status !== 400) return {};
  const parsed = errorBodySchema.safeParse(error.body);
  const out: FieldErrors = {};
  for (const [key, messages] of Object.entries(parsed.success ? (parsed.data.errors ?? {}) : {})) {
    const field = key.replace(/^body\./, '');
    if (field === 'outcome' || field === 'reasonCode' || field === 'note') out[field] = messages.join('; ');
  }
  return out;
}

function isStale(error: unknown): boolean {
  if (!(error instanceof HttpError) || error.status !== 409) return false;
  const parsed = errorBodySchema.safeParse(error.body);
  return parsed.success && parsed.data.code === 'stale_version';
}

function check(outcome: string, reasonCode: string, note: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!isOutcome(outcome)) errors.outcome = 'Choose an outcome.';
  else if (!outcomeReasonCodes[outcome].includes(reasonCode)) errors.reasonCode = 'Choose a reason.';
  if (note.trim() === '') errors.note = 'Say what you found; the note stays on the case.';
  else if (note.trim().length > maxNoteLength) errors.note = `At most ${maxNoteLength} characters.`;
  return errors;
}

export interface OutcomeFormProps {
  application: ApplicationDetail;
  /** The latest outcome when it is an escalation: four-eyes applies. */
  escalation: Outcome | null;
}

/**
 * Record the next outcome: what, why (reason codes depend on the outcome) and a note. The
 * request carries the case version shown, so a case changed meanwhile is refused (409) rather
 * than judged on stale facts.
 */
export const OutcomeForm = ({ application, escalation }: OutcomeFormProps) => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const notify = useNotify();
  const { refetch } = useShowContext<ApplicationDetail>();
  const { identity } = useDeskIdentity();
  const { canAccess: mayReview } = useCanAccess({ resource: accessResources.outcomes, action: 'review' });
  const [outcome, setOutcome] = useState('');
  const [reasonCode, setReasonCode] = useState('');
  const [note, setNote] = useState('');
  const [checked, setChecked] = useState<FieldErrors>({});

  const record = useMutation<Outcome, Error, NewOutcome>({
    mutationFn: (input) => dataProvider.recordOutcome(application.id, input),
    onSuccess: (recorded) => {
      notify(`Outcome recorded: ${reviewOutcomeLabels[recorded.outcome]}.`, { type: 'success' });
      setOutcome('');
      setReasonCode('');
      setNote('');
      setChecked({});
      void refetch();
    },
  });

  const blockedBecause =
    escalation === null
      ? null
      : mayReview === false
        ? 'Only a senior analyst can record the next outcome on an escalated case.'
        : identity !== undefined && identity.id === escalation.actor.id
          ? 'You escalated this case, so a different senior analyst must resolve it.'
          : mayReview === undefined || identity === undefined
            ? 'Checking who may resolve this escalation…'
            : null;
  const disabled = blockedBecause !== null || record.isPending;
  const fieldErrors: FieldErrors = { ...serverFieldErrors(record.error), ...checked };
  const stale = isStale(record.error);
  const otherError =
    record.error && !stale && Object.keys(serverFieldErrors(record.error)).length === 0 ? record.error.message : null;
  const reasons = isOutcome(outcome) ? outcomeReasonCodes[outcome] : [];

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors = check(outcome, reasonCode, note);
    setChecked(errors);
    if (Object.keys(errors).length > 0 || !isOutcome(outcome)) return;
    record.mutate({ outcome, reasonCode, note: note.trim(), version: application.version });
  };

  return (
    <Box
      component="form"
      noValidate
      onSubmit={submit}
      aria-label="Record an outcome"
      data-testid="outcome-form"
      data-blocked={blockedBecause !== null}
      sx={{ display: 'flex', flexDirection: 'column', gap: 1.25, pt: 0.5 }}
    >
      <Typography variant="subtitle2">Record an outcome</Typography>
      {blockedBecause && (
        <Alert severity="info" data-testid="outcome-blocked">
          {blockedBecause}
        </Alert>
      )}
      {stale && (
        <Alert
          severity="warning"
          data-testid="outcome-stale"
          action={
            <Button
              color="inherit"
              onClick={() => {
                void refetch().then(() => record.reset());
              }}
            >
              Reload case
            </Button>
          }
        >
          The case changed since you loaded it. Reload it, check what changed, then record the outcome again.
        </Alert>
      )}
      {otherError && <Alert severity="error">{otherError}</Alert>}
      <Box sx={{ display: 'flex', gap: 1.25, flexWrap: 'wrap' }}>
        <TextField
          select
          label="Outcome"
          value={outcome}
          disabled={disabled}
          onChange={(event) => {
            setOutcome(event.target.value);
            setReasonCode('');
            setChecked({});
          }}
          error={fieldErrors.outcome !== undefined}
          helperText={fieldErrors.outcome}
          sx={{ minWidth: 190 }}
          slotProps={{
            select: { native: true },
            inputLabel: { shrink: true },
            htmlInput: { 'data-testid': 'outcome-select', name: 'outcome' },
          }}
        >
          <option value="" disabled>
            Choose…
          </option>
          {reviewOutcomes.map((value) => (
            <option key={value} value={value}>
              {reviewOutcomeLabels[value]}
            </option>
          ))}
        </TextField>
        <TextField
          select
          label="Reason"
          value={reasonCode}
          disabled={disabled || reasons.length === 0}
          onChange={(event) => setReasonCode(event.target.value)}
          error={fieldErrors.reasonCode !== undefined}
          helperText={fieldErrors.reasonCode}
          sx={{ minWidth: 260, flex: 1 }}
          slotProps={{
            select: { native: true },
            inputLabel: { shrink: true },
            htmlInput: { 'data-testid': 'outcome-reason', name: 'reasonCode' },
          }}
        >
          <option value="" disabled>
            {reasons.length === 0 ? 'Choose an outcome first' : 'Choose…'}
          </option>
          {reasons.map((code) => (
            <option key={code} value={code}>
              {reasonCodeLabels[code] ?? code}
            </option>
          ))}
        </TextField>
      </Box>
      <TextField
        label="Note"
        multiline
        minRows={2}
        fullWidth
        value={note}
        disabled={disabled}
        onChange={(event) => setNote(event.target.value)}
        error={fieldErrors.note !== undefined}
        helperText={fieldErrors.note ?? 'What you checked and what you concluded.'}
        slotProps={{ htmlInput: { 'data-testid': 'outcome-note', maxLength: maxNoteLength } }}
      />
      <Box sx={{ display: 'flex', justifyContent: 'flex-end' }}>
        <Button type="submit" variant="contained" disabled={disabled} data-testid="outcome-submit">
          {record.isPending ? 'Recording…' : 'Record outcome'}
        </Button>
      </Box>
    </Box>
  );
};
