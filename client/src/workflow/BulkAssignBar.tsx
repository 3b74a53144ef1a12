import { can } from '@desk/shared';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { HttpError, useNotify, useRefresh } from 'react-admin';
import { assignCase, listStaff } from './workflowApi';

/** Assigns the selected queue rows to one person; says how many went through and which were held. */
export const BulkAssignBar = ({ selected, clear }: { selected: string[]; clear: () => void }) => {
  const staff = useQuery({ queryKey: ['staff', 'assignable'], queryFn: ({ signal }) => listStaff(signal), staleTime: 60_000 });
  const [assignee, setAssignee] = useState('');
  const [busy, setBusy] = useState(false);
  const [reassign, setReassign] = useState(false);
  const notify = useNotify();
  const refresh = useRefresh();
  const people = (staff.data?.data ?? []).filter((m) => m.active && can(m.role, 'applications.work'));

  const run = async () => {
    setBusy(true);
    let done = 0;
    const held: string[] = [];
    for (const id of selected) {
      try {
        await assignCase(id, assignee === 'none' ? null : assignee, reassign);
        done += 1;
      } catch (err) {
        if (err instanceof HttpError && err.status === 409) held.push(err.message);
        else held.push(err instanceof Error ? err.message : 'failed');
      }
    }
    setBusy(false);
    notify(held.length === 0 ? `Assigned ${done} case${done === 1 ? '' : 's'}` : `Assigned ${done}; ${held.length} not: ${held[0] ?? ''}`, {
      type: held.length === 0 ? 'info' : 'warning',
    });
    clear();
    refresh();
  };

  return (
    <Box data-testid="bulk-assign" sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 1.5, py: 1, bgcolor: 'action.selected' }}>
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {selected.length} selected
      </Typography>
      <TextField
        select
        size="small"
        label="Assign to"
        value={assignee}
        onChange={(e) => setAssignee(e.target.value)}
        sx={{ minWidth: 200 }}
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
        control={<Checkbox size="small" checked={reassign} onChange={(e) => setReassign(e.target.checked)} />}
        label="Take from whoever holds them"
        slotProps={{ typography: { variant: 'body2' } }}
      />
      <Button variant="contained" size="small" disabled={busy || assignee === ''} onClick={() => void run()} data-testid="bulk-assign-submit">
        Assign
      </Button>
      <Button size="small" onClick={clear} disabled={busy}>
        Clear selection
      </Button>
    </Box>
  );
};
