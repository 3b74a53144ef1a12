import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import { alpha } from '@mui/material/styles';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { HttpError, useDataProvider, useNotify, useRefresh } from 'react-admin';
import type { DeskDataProvider } from '../dataProvider';
import { useAssignableStaff } from './AssignControl';

export interface BulkAssignOutcome {
  assigned: string[];
  /** Rows the server refused, with its message (a 409 names who holds the case). */
  failed: { id: string; message: string; held: boolean }[];
}

/** How many assign requests run side by side. */
const parallel = 4;

async function assignAll(
  dataProvider: DeskDataProvider,
  ids: string[],
  assigneeId: string | null,
  reassign: boolean,
): Promise<BulkAssignOutcome> {
  const outcome: BulkAssignOutcome = { assigned: [], failed: [] };
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        await dataProvider.assignApplication(id, assigneeId, reassign);
        outcome.assigned.push(id);
      } catch (err) {
        const held = err instanceof HttpError && err.status === 409;
        outcome.failed.push({ id, held, message: err instanceof Error ? err.message : 'The case was not assigned' });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, ids.length) }, worker));
  return outcome;
}

/** Assigns the selected queue rows to one person; the queue then says how many went through and which were held. */
export const BulkAssignBar = ({
  selected,
  clear,
  onDone,
}: {
  selected: string[];
  clear: () => void;
  onDone: (outcome: BulkAssignOutcome) => void;
}) => {
  const { people, error } = useAssignableStaff();
  const [assignee, setAssignee] = useState('');
  const [busy, setBusy] = useState(false);
  const [reassign, setReassign] = useState(false);
  const dataProvider = useDataProvider<DeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();

  const run = async () => {
    setBusy(true);
    const outcome = await assignAll(dataProvider, selected, assignee === 'none' ? null : assignee, reassign);
    setBusy(false);
    const done = outcome.assigned.length;
    notify(
      outcome.failed.length === 0
        ? `Assigned ${done} case${done === 1 ? '' : 's'}`
        : `Assigned ${done} of ${selected.length}; ${outcome.failed.length} not assigned`,
      { type: outcome.failed.length === 0 ? 'info' : 'warning' },
    );
    onDone(outcome);
    refresh();
  };

  return (
    <Box
      data-testid="bulk-assign"
      sx={{
        display: 'flex',
        alignItems: 'center',
        flexWrap: 'wrap',
        gap: 1,
        px: 1.5,
        py: 0.75,
        bgcolor: (theme) => alpha(theme.palette.primary.main, 0.08),
        borderBottom: 1,
        borderColor: 'divider',
      }}
    >
      <Typography variant="body2" sx={{ fontWeight: 600, minWidth: 80 }}>
        {selected.length} selected
      </Typography>
      <TextField
        select
        size="small"
        label="Assign to…"
        value={assignee}
        onChange={(e) => setAssignee(e.target.value)}
        sx={{ minWidth: 220, bgcolor: 'background.paper' }}
        slotProps={{ htmlInput: { 'data-testid': 'bulk-assign-to' } }}
      >
        <MenuItem value="none">Nobody (unassign)</MenuItem>
        {people.map((m) => (
          <MenuItem key={m.id} value={m.id}>
            {m.name}
          </MenuItem>
        ))}
      </TextField>
      <FormControlLabel
        control={
          <Checkbox
            size="small"
            checked={reassign}
            onChange={(e) => setReassign(e.target.checked)}
            data-testid="bulk-assign-reassign"
          />
        }
        label="Take from whoever holds them"
        slotProps={{ typography: { variant: 'body2' } }}
      />
      <Button
        variant="contained"
        size="small"
        disabled={busy || assignee === ''}
        onClick={() => void run()}
        data-testid="bulk-assign-submit"
      >
        {busy ? 'Assigning…' : `Assign ${selected.length}`}
      </Button>
      <Button size="small" onClick={clear} disabled={busy}>
        Clear selection
      </Button>
      {error && (
        <Typography variant="caption" color="error">
          Staff list unavailable: {error.message}
        </Typography>
      )}
    </Box>
  );
};

/** What the last bulk assignment did: the server's own words for every row it refused. */
export const BulkAssignSummary = ({
  outcome,
  nameOf,
  onClose,
}: {
  outcome: BulkAssignOutcome;
  nameOf: (id: string) => string;
  onClose: () => void;
}) => (
  <Alert
    severity={outcome.failed.length === 0 ? 'success' : 'warning'}
    onClose={onClose}
    data-testid="bulk-assign-result"
    sx={{ mx: 1.5, my: 0.75, py: 0 }}
  >
    <b>
      {outcome.assigned.length} assigned
      {outcome.failed.length > 0 ? `, ${outcome.failed.length} not (still selected)` : ''}.
    </b>
    {outcome.failed.length > 0 && (
      <Box component="ul" sx={{ m: 0, pl: 2 }}>
        {outcome.failed.map((f) => (
          <li key={f.id} data-testid="bulk-assign-failure" data-id={f.id}>
            <b>{nameOf(f.id)}</b>: {f.message}
          </li>
        ))}
      </Box>
    )}
  </Alert>
);
