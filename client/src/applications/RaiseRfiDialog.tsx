import {
  type ApplicationDetail,
  errorBodySchema,
  fieldErrors,
  type NewRfi,
  newRfiSchema,
  type Rfi,
} from '@desk/shared';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { HttpError, useDataProvider, useNotify } from 'react-admin';
import { type DeskDataProvider, resources } from '../dataProvider';
import { type DraftRfiItem, newDraftItem, RfiItemRows } from './RfiItemRows';

export interface RaiseRfiDialogProps {
  application: ApplicationDetail;
  open: boolean;
  onClose: () => void;
  onRaised: (rfi: Rfi) => void;
}

/** `YYYY-MM-DD` of the local day `days` from now. */
function localDate(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Due at the end of the chosen local day, as an ISO instant. */
function dueAtOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  return new Date(y, m - 1, d, 23, 59, 0, 0).toISOString();
}

function toNewRfi(title: string, dueDate: string, items: DraftRfiItem[]): NewRfi {
  return {
    title: title.trim(),
    dueAt: dueAtOf(dueDate),
    items: items.map(({ kind, key, label, note }) => ({
      kind,
      key: key.trim(),
      label: label.trim(),
      ...(note.trim() === '' ? {} : { note: note.trim() }),
    })),
  };
}

/** The server's field errors (`items.0.key`, `title` …) of a refused request. */
function serverErrors(error: unknown): Record<string, string> {
  if (!(error instanceof HttpError)) return {};
  const parsed = errorBodySchema.safeParse(error.body);
  if (!parsed.success || !parsed.data.errors) return {};
  return Object.fromEntries(
    Object.entries(parsed.data.errors).map(([key, messages]) => [key.replace(/^body\./, ''), messages.join('; ')]),
  );
}

/**
 * Raise an internal RFI on the case: a title, when it is due (in three days unless changed),
 * and what is asked for. Checked against the shared NewRfi schema before it is sent.
 */
export const RaiseRfiDialog = ({ application, open, onClose, onRaised }: RaiseRfiDialogProps) => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [dueDate, setDueDate] = useState(() => localDate(3));
  const [items, setItems] = useState<DraftRfiItem[]>(() => [newDraftItem()]);
  const [checked, setChecked] = useState<Record<string, string>>({});
  const raise = useMutation<Rfi, Error, NewRfi>({
    mutationFn: (rfi) => dataProvider.raiseRfi(application.id, rfi),
    onSuccess: (rfi) => {
      notify(`RFI “${rfi.title}” raised.`, { type: 'success' });
      void queryClient.invalidateQueries({ queryKey: [resources.rfis, 'getList'] });
      onRaised(rfi);
    },
  });
  const errors = { ...serverErrors(raise.error), ...checked };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const payload = toNewRfi(title, dueDate, items);
    const result = newRfiSchema.safeParse(payload);
    if (!result.success) {
      setChecked(
        Object.fromEntries(Object.entries(fieldErrors(result.error.issues)).map(([k, v]) => [k, v.join('; ')])),
      );
      return;
    }
    setChecked({});
    raise.mutate(payload);
  };
  const edited = () => {
    raise.reset();
    setChecked({});
  };
  const busy = raise.isPending;

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="md"
      data-testid="raise-rfi-dialog"
      aria-labelledby="raise-rfi-title"
    >
      <form noValidate onSubmit={submit}>
        <DialogTitle id="raise-rfi-title">Raise RFI</DialogTitle>
        <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.75 }}>
          <TextField
            label="Title"
            value={title}
            required
            autoFocus
            disabled={busy}
            error={errors.title !== undefined}
            helperText={errors.title ?? 'What the customer is asked, in a line.'}
            onChange={(event) => {
              edited();
              setTitle(event.target.value);
            }}
            sx={{ mt: 1 }}
            slotProps={{ htmlInput: { 'data-testid': 'raise-rfi-title', maxLength: 200 } }}
          />
          <TextField
            type="date"
            label="Due"
            value={dueDate}
            required
            disabled={busy}
            error={errors.dueAt !== undefined}
            helperText={errors.dueAt ?? 'Due at the end of that day.'}
            onChange={(event) => {
              edited();
              setDueDate(event.target.value);
            }}
            sx={{ maxWidth: 220 }}
            slotProps={{
              inputLabel: { shrink: true },
              htmlInput: { 'data-testid': 'raise-rfi-due', min: localDate(0) },
            }}
          />
          <Typography variant="subtitle2">Ask for</Typography>
          {errors.items && <Alert severity="error">Items {errors.items}</Alert>}
          <RfiItemRows
            items={items}
            errors={errors}
            disabled={busy}
            onChange={(next) => {
              edited();
              setItems(next);
            }}
          />
          {raise.error && (
            <Alert severity="error" data-testid="raise-rfi-error">
              {raise.error.message}
            </Alert>
          )}
        </DialogContent>
        <DialogActions sx={{ px: 2, pb: 1.5 }}>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" loading={busy} data-testid="raise-rfi-submit">
            Raise RFI
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
