import { providerLabels, type Rfi, type RfiItem } from '@desk/shared';
import Send from '@mui/icons-material/Send';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type FormEvent, useState } from 'react';
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

/**
 * Answers an open RFI with exactly what it asks for: a value per `field` item, a file per
 * `document` item (both in the order asked, so a document's expiry date follows it), and words
 * for the `text` items (or an optional note). The server judges completeness; what it refuses
 * is shown beside the input it concerns. A provider's RFI is answered to the desk, which then
 * delivers the answer to the provider.
 */
export const RfiAnswerForm = ({ rfi }: { rfi: Rfi }) => {
  const askedItems = rfi.items.filter((item) => item.kind !== 'text');
  const fieldItems = rfi.items.filter((item) => item.kind === 'field');
  const textItems = rfi.items.filter((item) => item.kind === 'text');
  const provider = providerLabels[rfi.provider];
  const toProvider = rfi.origin === 'provider';
  const [values, setValues] = useState<Record<string, string>>({});
  const [files, setFiles] = useState<Record<string, File>>({});
  const [text, setText] = useState('');
  const answer = useRfiAction((dataProvider, id, input: RfiAnswerInput) => dataProvider.answerRfi(id, input), {
    successMessage: (answered) =>
      toProvider
        ? `Answer saved: the desk is delivering it to ${provider}.`
        : `Answer sent: “${answered.title}” is now ${answered.status}.`,
    notifyErrors: false,
  });
  const errors = answerFieldErrors(
    answer.error,
    rfi.items.map((item) => item.key),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const fields: Record<string, string> = {};
    for (const item of fieldItems) {
      const value = (values[item.key] ?? '').trim();
      if (value !== '') fields[item.key] = value;
    }
    answer.mutate({ text: text.trim() === '' ? undefined : text, fields, files });
  };
  const changeValue = (key: string, value: string) => setValues((current) => ({ ...current, [key]: value }));
  const changeFile = (key: string, file: File | null) =>
    setFiles((current) => {
      const { [key]: _dropped, ...rest } = current;
      return file ? { ...rest, [key]: file } : rest;
    });

  return (
    <Section title="Answer" icon={<Send fontSize="small" />}>
      <Box
        component="form"
        noValidate
        onSubmit={submit}
        data-testid="rfi-answer-form"
        sx={{ display: 'flex', flexDirection: 'column', gap: 1.75 }}
      >
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
              error={errors[item.key] ?? null}
              onChange={(file) => changeFile(item.key, file)}
            />
          ) : (
            <RfiFieldInput
              key={item.key}
              item={item}
              value={values[item.key] ?? ''}
              error={errors[item.key]}
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
          error={errors.text !== undefined || textItems.some((item) => errors[item.key] !== undefined)}
          helperText={
            [errors.text, ...textItems.map((item) => errors[item.key])].filter(Boolean).join('; ') ||
            textItems.map(hintOf).filter(Boolean).join(' · ') ||
            undefined
          }
          fullWidth
          slotProps={{ htmlInput: { 'data-testid': 'rfi-text', name: 'text', maxLength: 5000 } }}
        />
        {answer.error && (
          <Alert severity="error" data-testid="rfi-answer-error">
            {answer.error.message}
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
    </Section>
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
 * and its note under it. A date (an expiry date, a date of birth) gets a date picker.
 */
const RfiFieldInput = ({ item, value, error, onChange }: RfiFieldInputProps) => {
  const date = isDateItemKey(item.key);
  return (
    <TextField
      label={item.label}
      type={date ? 'date' : 'text'}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      required
      error={error !== undefined}
      helperText={error ?? item.note ?? (item.section ? `Section: ${sectionLabel(item.section)}` : undefined)}
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
          ...(isExpiryItemKey(item.key) ? { min: localToday() } : {}),
        },
      }}
    />
  );
};
