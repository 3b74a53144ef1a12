import {
  type ApplicationDetail,
  errorBodySchema,
  type NewOutcome,
  type OpenReviewItem,
  type Outcome,
  openReviewItemKindLabels,
  openReviewItems,
  openReviewItemsByKind,
  outcomeNeedsSettledCase,
  outcomeReasonCodes,
  providerLabels,
  type ReviewOutcome,
  reasonCodeLabels,
  reviewOutcomeLabels,
  reviewOutcomes,
} from '@desk/shared';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { HttpError, useCanAccess, useDataProvider, useNotify, useShowContext } from 'react-admin';
import { ActionEffects, ConfirmActionDialog } from '../account/ConfirmedActionButton';
import { accessResources } from '../auth/access';
import { useDeskIdentity } from '../auth/useDeskIdentity';
import type { DeskDataProvider } from '../dataProvider';

const maxNoteLength = 4000;
const maxOverrideLength = 1000;

function isOutcome(value: string): value is ReviewOutcome {
  return (reviewOutcomes as readonly string[]).includes(value);
}

type FieldName = 'outcome' | 'reasonCode' | 'note' | 'override';
type FieldErrors = Partial<Record<FieldName, string>>;

/** The server's field errors of a refused outcome. */
function serverFieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof HttpError) || error.status !== 400) return {};
  const parsed = errorBodySchema.safeParse(error.body);
  const out: FieldErrors = {};
  for (const [key, messages] of Object.entries(parsed.success ? (parsed.data.errors ?? {}) : {})) {
    const field = key.replace(/^body\./, '').replace(/^override\..*$/, 'override');
    if (field === 'outcome' || field === 'reasonCode' || field === 'note' || field === 'override') {
      out[field] = messages.join('; ');
    }
  }
  return out;
}

function isStale(error: unknown): boolean {
  if (!(error instanceof HttpError) || error.status !== 409) return false;
  const parsed = errorBodySchema.safeParse(error.body);
  return parsed.success && parsed.data.code === 'stale_version';
}

function check(outcome: string, reasonCode: string, note: string, override: string | null): FieldErrors {
  const errors: FieldErrors = {};
  if (!isOutcome(outcome)) errors.outcome = 'Choose an outcome.';
  else if (!outcomeReasonCodes[outcome].includes(reasonCode)) errors.reasonCode = 'Choose a reason.';
  if (note.trim() === '') errors.note = 'Say what you found; the note stays on the case.';
  else if (note.trim().length > maxNoteLength) errors.note = `At most ${maxNoteLength} characters.`;
  if (override !== null && override.trim() === '') {
    errors.override = 'Say why you record it while these items are open.';
  } else if (override !== null && override.trim().length > maxOverrideLength) {
    errors.override = `At most ${maxOverrideLength} characters.`;
  }
  return errors;
}

/** What still stands open on the case, by kind: what a settling outcome would talk over. */
const OpenItemsWarning = ({ outcome, items }: { outcome: ReviewOutcome; items: readonly OpenReviewItem[] }) => (
  <Alert severity="warning" data-testid="outcome-open-items" data-count={items.length}>
    <AlertTitle>
      {items.length === 1 ? 'One item is still open' : `${items.length} items are still open`} on this case
    </AlertTitle>
    “{reviewOutcomeLabels[outcome]}” says nothing is left to check. Record it only if you are sure, and say why.
    {openReviewItemsByKind(items).map(([kind, labels]) => (
      <Box key={kind} sx={{ mt: 0.75 }}>
        <Typography variant="subtitle2" component="p">
          {openReviewItemKindLabels[kind]}
        </Typography>
        <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
          {labels.map((label) => (
            <li key={label} data-testid="outcome-open-item">
              {label}
            </li>
          ))}
        </Box>
      </Box>
    ))}
  </Alert>
);

/** What recording the outcome does, for its confirmation. */
function outcomeEffects(
  application: ApplicationDetail,
  outcome: ReviewOutcome,
  overriding: readonly OpenReviewItem[],
): { where: string; what: string }[] {
  const provider = providerLabels[application.provider];
  const onCase =
    'The outcome is added to the internal review for good (outcomes are never edited or removed) and written to the audit trail with your note' +
    (overriding.length > 0
      ? `, the ${overriding.length === 1 ? 'open item' : `${overriding.length} open items`} and your reason for recording it anyway.`
      : '.');
  const next: Record<ReviewOutcome, string> = {
    cleared: 'The case counts as reviewed by the desk.',
    escalated: 'A senior analyst other than you records the next outcome (four-eyes).',
    recommend_reject: 'It stands as the desk’s recommendation; the provider makes the decision.',
  };
  return [
    { where: 'On the case', what: `${onCase} ${next[outcome]}` },
    {
      where: `At ${provider}`,
      what: `Nothing is sent: ${provider}’s status (${application.providerStatus}) does not change.`,
    },
  ];
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
  const [overrideReason, setOverrideReason] = useState('');
  const [checked, setChecked] = useState<FieldErrors>({});
  /** The outcome the confirmation is about (kept while the dialog closes, so its text stays). */
  const [confirming, setConfirming] = useState<NewOutcome | null>(null);
  const [confirmOpen, setConfirmOpen] = useState(false);

  const record = useMutation<Outcome, Error, NewOutcome>({
    mutationFn: (input) => dataProvider.recordOutcome(application.id, input),
    onSuccess: (recorded) => {
      notify(`Outcome recorded: ${reviewOutcomeLabels[recorded.outcome]}.`, { type: 'success' });
      setOutcome('');
      setReasonCode('');
      setNote('');
      setOverrideReason('');
      setChecked({});
      setConfirmOpen(false);
      void refetch();
    },
    onError: () => {
      setConfirmOpen(false);
      // The case may have moved on (a new open item, a new version): show where it stands.
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
  const openItems = openReviewItems(application);
  const overriding = isOutcome(outcome) && outcomeNeedsSettledCase[outcome] ? openItems : [];

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors = check(outcome, reasonCode, note, overriding.length > 0 ? overrideReason : null);
    setChecked(errors);
    if (Object.keys(errors).length > 0 || !isOutcome(outcome)) return;
    record.reset();
    setConfirming({
      outcome,
      reasonCode,
      note: note.trim(),
      version: application.version,
      ...(overriding.length > 0 ? { override: { reason: overrideReason.trim() } } : {}),
    });
    setConfirmOpen(true);
  };
  const confirmingLabel = confirming
    ? `${reviewOutcomeLabels[confirming.outcome]} · ${reasonCodeLabels[confirming.reasonCode] ?? confirming.reasonCode}`
    : '';

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
      {isOutcome(outcome) && overriding.length > 0 && (
        <>
          <OpenItemsWarning outcome={outcome} items={overriding} />
          <TextField
            label="Why record it with these items open"
            required
            multiline
            minRows={2}
            fullWidth
            value={overrideReason}
            disabled={disabled}
            onChange={(event) => setOverrideReason(event.target.value)}
            error={fieldErrors.override !== undefined}
            helperText={fieldErrors.override ?? 'Kept with the outcome and on the audit trail.'}
            slotProps={{
              htmlInput: { 'data-testid': 'outcome-override-reason', maxLength: maxOverrideLength },
            }}
          />
        </>
      )}
      <Box sx={{ display: 'flex', justifyContent: 'flex-end' }}>
        <Button type="submit" variant="contained" disabled={disabled} data-testid="outcome-submit">
          {record.isPending ? 'Recording…' : 'Record outcome'}
        </Button>
      </Box>
      <ConfirmActionDialog
        open={confirmOpen && confirming !== null}
        busy={record.isPending}
        testId="outcome-confirm"
        title={`Record “${confirmingLabel}”?`}
        content={
          confirming && (
            <ActionEffects
              effects={outcomeEffects(application, confirming.outcome, confirming.override ? overriding : [])}
            />
          )
        }
        confirmLabel={confirming ? `Record “${reviewOutcomeLabels[confirming.outcome]}”` : 'Record'}
        confirmColor="primary"
        onConfirm={() => {
          if (confirming) record.mutate(confirming);
        }}
        onCancel={() => setConfirmOpen(false)}
      />
    </Box>
  );
};
