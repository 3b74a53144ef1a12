import type { Rfi, RfiItem } from '@desk/shared';
import Send from '@mui/icons-material/Send';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import { useState, type FormEvent } from 'react';
import { Section } from '../applications/Section';
import type { RfiAnswerInput } from './rfiAnswer';
import { answerFieldErrors } from './answerErrors';
import { RfiFileInput } from './RfiFileInput';
import { useRfiAction } from './useRfiAction';

/** Helper text of an item: its note, and why the provider asks. */
function hintOf(item: RfiItem): string | null {
  const parts = [item.reason ? `${item.reason.toLowerCase()}` : null, item.note].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** "Explain the source of funds", or both questions when several are asked in words. */
function textLabel(textItems: RfiItem[]): string {
  if (textItems.length === 0) return 'Note (optional)';
  return textItems.map((item) => item.label).join(' · ');
}

/**
 * Answers an open RFI with exactly what it asks for: a value per `field` item, a file per
 * `document` item, and words for the `text` items (or an optional note). The server judges
 * completeness; what it refuses is shown beside the input it concerns.
 */
export const RfiAnswerForm = ({ rfi }: { rfi: Rfi }) => {
  const fieldItems = rfi.items.filter((item) => item.kind === 'field');
  const documentItems = rfi.items.filter((item) => item.kind === 'document');
  const textItems = rfi.items.filter((item) => item.kind === 'text');
  const [values, setValues] = useState<Record<string, string>>({});
  const [files, setFiles] = useState<Record<string, File>>({});
  const [text, setText] = useState('');
  const answer = useRfiAction((dataProvider, id, input: RfiAnswerInput) => dataProvider.answerRfi(id, input), {
    successMessage: (answered) => `Answer sent: “${answered.title}” is now ${answered.status}.`,
    notifyErrors: false,
  });
  const errors = answerFieldErrors(answer.error, rfi.items.map((item) => item.key));

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
        {fieldItems.map((item) => (
          <TextField
            key={item.key}
            label={item.label}
            value={values[item.key] ?? ''}
            onChange={(event) => changeValue(item.key, event.target.value)}
            required
            error={errors[item.key] !== undefined}
            helperText={errors[item.key] ?? hintOf(item) ?? (item.section ? `Section: ${item.section}` : undefined)}
            fullWidth
            slotProps={{ htmlInput: { 'data-testid': `rfi-field-${item.key}`, name: item.key } }}
          />
        ))}
        {documentItems.map((item) => (
          <RfiFileInput
            key={item.key}
            itemKey={item.key}
            label={item.label}
            file={files[item.key] ?? null}
            hint={hintOf(item)}
            error={errors[item.key] ?? null}
            onChange={(file) => changeFile(item.key, file)}
          />
        ))}
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
          <Button type="submit" variant="contained" startIcon={<Send />} loading={answer.isPending} data-testid="rfi-answer-submit">
            Send answer
          </Button>
        </Box>
      </Box>
    </Section>
  );
};
