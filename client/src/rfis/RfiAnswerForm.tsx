import {
  dateFieldFormats,
  fieldFormatHints,
  providerLabels,
  type Rfi,
  type RfiAnswer,
  type RfiItem,
  readFieldFormat,
} from '@desk/shared';
import Send from '@mui/icons-material/Send';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type FormEvent, useState } from 'react';
import { ActionEffects, ConfirmActionDialog } from '../account/ConfirmedActionButton';
import { Section } from '../applications/Section';
import { answerFieldErrors } from './answerErrors';
import { RfiFileInput } from './RfiFileInput';
import { RfiReasonChip } from './RfiReasonChip';
import { isDateItemKey, isExpiryItemKey, type RfiAnswerInput, sectionLabel } from './rfiAnswer';
import { useRfiAction } from './useRfiAction';

/** Helper text of a text item: why the provider asks, and its note. */
function hintOf(item: RfiItem): string | null {
  const parts = [item.reason ? `${item.reason.toLowerCase()}` : null, item.note].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** "Explain the source of funds", or both questions when several are asked in words. */
function textLabel(textItems: RfiItem[]): string {
  if (textItems.length === 0) return 'Note (optional)';
  return textItems.map((item) => item.label).join(' · ');
}

/** Today as YYYY-MM-DD (local), the earliest expiry date offered by the date pickers. */
function localToday(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The answer the provider refused, when the RFI waits for its correction. */
function refusedAnswer(rfi: Rfi): (RfiAnswer & { refusal: NonNullable<RfiAnswer['refusal']> }) | null {
  const latest = rfi.answers.at(-1);
  if (rfi.status !== 'refused' || !latest?.refusal) return null;
  return { ...latest, refusal: latest.refusal };
}

/** What is wrong with each field value, by the format the provider documents for it. */
function formatErrors(fieldItems: RfiItem[], values: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const item of fieldItems) {
    const value = (values[item.key] ?? '').trim();
    if (value === '') errors[item.key] = 'is requested: give a value';
    else if (item.format !== null) {
      const read = readFieldFormat(item.format, value);
      if (!read.ok) errors[item.key] = read.problem;
    }
  }
  return errors;
}

/**
 * Answers an RFI that waits for an answer with exactly what it asks for: a value per `field`
 * item, in the format the provider documents for it (checked here with the same shared schema
 * the server and the provider's adapter use, before anything is sent), a file per `document`
 * item, and words for the `text` items (or an optional note). A provider's RFI is answered to
 * the desk, which then delivers it; when the provider refused the last answer, the form starts
 * from it, shows the provider's reason beside each field it named, and sends the correction as
 * a new version. Sending asks for confirmation, saying what goes to whom.
 */
export const RfiAnswerForm = ({ rfi }: { rfi: Rfi }) => {
  const askedItems = rfi.items.filter((item) => item.kind !== 'text');
  const fieldItems = rfi.items.filter((item) => item.kind === 'field');
  const textItems = rfi.items.filter((item) => item.kind === 'text');
  const provider = providerLabels[rfi.provider];
  const toProvider = rfi.origin === 'provider';
  const refused = refusedAnswer(rfi);
  const [values, setValues] = useState<Record<string, string>>(() => ({ ...(refused?.fieldValues ?? {}) }));
  const [files, setFiles] = useState<Record<string, File>>({});
  const [text, setText] = useState(refused?.text ?? '');
  /** Keys changed since the provider's refusal: its reason no longer applies to them. */
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  /** Set once sending was tried: from then on every field shows what is wrong with it. */
  const [tried, setTried] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const answer = useRfiAction((dataProvider, id, input: RfiAnswerInput) => dataProvider.answerRfi(id, input), {
    successMessage: (answered) =>
      toProvider
        ? `Answer saved: the desk is delivering it to ${provider}.`
        : `Answer sent: “${answered.title}” is now ${answered.status}.`,
    notifyErrors: false,
  });
  const serverErrors = answerFieldErrors(
    answer.error,
    rfi.items.map((item) => item.key),
  );
  const checked = formatErrors(fieldItems, values);
  const errorOf = (key: string): string | undefined => {
    if (serverErrors[key]) return serverErrors[key];
    const own = checked[key];
    if (own && (tried || (values[key] ?? '').trim() !== '')) return own;
    const providerReasons = refused && !edited.has(key) ? refused.refusal.fields[key] : undefined;
    return providerReasons?.length ? `${provider}: ${providerReasons.join('; ')}` : undefined;
  };
  const missingFiles = askedItems.filter((item) => item.kind === 'document' && !files[item.key]);

  const fieldsToSend = (): Record<string, string> => {
    const fields: Record<string, string> = {};
    for (const item of fieldItems) {
      const value = (values[item.key] ?? '').trim();
      if (value !== '') fields[item.key] = value;
    }
    return fields;
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (Object.keys(checked).length > 0 || missingFiles.length > 0) return;
    setConfirming(true);
  };
  const send = () => {
    answer.mutate(
      { text: text.trim() === '' ? undefined : text, fields: fieldsToSend(), files },
      { onSettled: () => setConfirming(false) },
    );
  };
  const touch = (key: string) => setEdited((current) => new Set(current).add(key));
  const changeValue = (key: string, value: string) => {
    touch(key);
    setValues((current) => ({ ...current, [key]: value }));
  };
  const changeFile = (key: string, file: File | null) => {
    touch(key);
    setFiles((current) => {
      const { [key]: _dropped, ...rest } = current;
      return file ? { ...rest, [key]: file } : rest;
    });
  };
  const documentError = (key: string): string | null => {
    const given = errorOf(key);
    if (given) return given;
    return tried && !files[key] ? 'is requested: attach a file' : null;
  };
  const textError = [serverErrors.text, ...textItems.map((item) => serverErrors[item.key])].filter(Boolean).join('; ');
  const providerGeneral = refused
    ? Object.entries(refused.refusal.fields).filter(([key]) => !rfi.items.some((item) => item.key === key))
    : [];

  return (
    <Section title={refused ? 'Correct the answer' : 'Answer'} icon={<Send fontSize="small" />}>
      <Box
        component="form"
        noValidate
        onSubmit={submit}
        data-testid="rfi-answer-form"
        sx={{ display: 'flex', flexDirection: 'column', gap: 1.75 }}
      >
        {refused && (
          <Alert severity="error" data-testid="rfi-refusal">
            <AlertTitle>
              Refused by {provider} (answer {refused.version})
            </AlertTitle>
            {provider} did not take the last answer: {refused.refusal.message}. Its reasons are shown beside each field;
            correct them and send the answer again (attach the files again: each answer carries its own).
            {providerGeneral.length > 0 && (
              <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2.5 }}>
                {providerGeneral.map(([key, reasons]) => (
                  <li key={key}>
                    {key}: {reasons.join('; ')}
                  </li>
                ))}
              </Box>
            )}
          </Alert>
        )}
        {toProvider && (
          <Typography variant="body2" sx={{ color: 'text.secondary', mt: -0.5 }} data-testid="rfi-answer-destination">
            {provider} asked for this. The desk delivers the answer to {provider}; the RFI closes when {provider} moves
            on.
          </Typography>
        )}
        {askedItems.map((item) =>
          item.kind === 'document' ? (
            <RfiFileInput
              key={item.key}
              itemKey={item.key}
              label={item.label}
              reason={item.reason}
              file={files[item.key] ?? null}
              hint={item.note}
              error={documentError(item.key)}
              onChange={(file) => changeFile(item.key, file)}
            />
          ) : (
            <RfiFieldInput
              key={item.key}
              item={item}
              value={values[item.key] ?? ''}
              error={errorOf(item.key)}
              onChange={(value) => changeValue(item.key, value)}
            />
          ),
        )}
        <TextField
          label={textLabel(textItems)}
          value={text}
          onChange={(event) => setText(event.target.value)}
          multiline
          minRows={textItems.length > 0 ? 3 : 2}
          required={textItems.length > 0}
          error={textError !== ''}
          helperText={textError || textItems.map(hintOf).filter(Boolean).join(' · ') || undefined}
          fullWidth
          slotProps={{ htmlInput: { 'data-testid': 'rfi-text', name: 'text', maxLength: 5000 } }}
        />
        {answer.error && (
          <Alert severity="error" data-testid="rfi-answer-error">
            {answer.error.message}
          </Alert>
        )}
        {tried && (Object.keys(checked).length > 0 || missingFiles.length > 0) && (
          <Alert severity="warning" data-testid="rfi-answer-check">
            Nothing was sent: correct the fields marked above first.
          </Alert>
        )}
        <Box>
          <Button
            type="submit"
            variant="contained"
            startIcon={<Send />}
            loading={answer.isPending}
            data-testid="rfi-answer-submit"
          >
            {toProvider ? `Send answer to ${provider}` : 'Send answer'}
          </Button>
        </Box>
      </Box>
      <ConfirmActionDialog
        open={confirming}
        busy={answer.isPending}
        title={toProvider ? `Send this answer to ${provider}?` : 'Send this answer?'}
        content={
          <ActionEffects
            effects={
              toProvider
                ? [
                    {
                      where: `To ${provider}`,
                      what: <SentSummary rfi={rfi} fields={fieldsToSend()} files={files} text={text} />,
                    },
                    {
                      where: 'On the case',
                      what: `The case waits for ${provider}: it reviews the answer and closes its RFI when it accepts it. If it refuses the answer, the RFI says why and you can correct it.`,
                    },
                  ]
                : [
                    {
                      where: 'On the RFI',
                      what: <SentSummary rfi={rfi} fields={fieldsToSend()} files={files} text={text} />,
                    },
                    { where: 'At the provider', what: 'Nothing is sent: this RFI is the desk’s own.' },
                  ]
            }
          />
        }
        confirmLabel={toProvider ? `Send to ${provider}` : 'Send answer'}
        confirmColor="primary"
        onConfirm={send}
        onCancel={() => setConfirming(false)}
        testId="rfi-answer-send"
      />
    </Section>
  );
};

/** What an answer carries, as the confirmation lists it: each value, each file, the words. */
const SentSummary = ({
  rfi,
  fields,
  files,
  text,
}: {
  rfi: Rfi;
  fields: Record<string, string>;
  files: Record<string, File>;
  text: string;
}) => {
  const labelOf = (key: string) => rfi.items.find((item) => item.key === key)?.label ?? key;
  return (
    <Box component="ul" sx={{ m: 0, pl: 2.25 }} data-testid="rfi-answer-send-summary">
      {Object.entries(fields).map(([key, value]) => (
        <li key={key}>
          {labelOf(key)}: <strong>{value}</strong>
        </li>
      ))}
      {Object.entries(files).map(([key, file]) => (
        <li key={key}>
          {labelOf(key)}: <strong>{file.name}</strong>
        </li>
      ))}
      {text.trim() !== '' && <li>Text: {text.trim().slice(0, 200)}</li>}
    </Box>
  );
};

interface RfiFieldInputProps {
  item: RfiItem;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}

/**
 * The value of one `field` item, labelled as the provider labels it, with its reason as a chip
 * and its note and documented format under it. A date (an expiry date, a date of birth) gets a
 * date picker.
 */
const RfiFieldInput = ({ item, value, error, onChange }: RfiFieldInputProps) => {
  const date = item.format === null ? isDateItemKey(item.key) : dateFieldFormats.includes(item.format);
  const expiry = item.format === 'future_date' || (item.format === null && isExpiryItemKey(item.key));
  const hint = [item.note, item.format ? fieldFormatHints[item.format] : null].filter(Boolean).join(' · ');
  return (
    <TextField
      label={item.label}
      type={date ? 'date' : 'text'}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      required
      error={error !== undefined}
      helperText={error ?? (hint || (item.section ? `Section: ${sectionLabel(item.section)}` : undefined))}
      fullWidth
      slotProps={{
        // Always on the outline: a date input shows its own placeholder, and a long label would
        // otherwise run under the reason chip.
        inputLabel: { shrink: true },
        input: item.reason
          ? {
              endAdornment: (
                <InputAdornment position="end">
                  <RfiReasonChip reason={item.reason} />
                </InputAdornment>
              ),
            }
          : {},
        htmlInput: {
          'data-testid': `rfi-field-${item.key}`,
          name: item.key,
          'aria-invalid': error !== undefined,
          ...(expiry ? { min: localToday() } : {}),
        },
      }}
    />
  );
};
