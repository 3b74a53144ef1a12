import { type ApplicationDetail, can, isOpenCase, roleLabels, type StaffMember } from '@desk/shared';
import PersonAddAlt from '@mui/icons-material/PersonAddAlt';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import MenuList from '@mui/material/MenuList';
import Popover from '@mui/material/Popover';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { HttpError, useDataProvider, useNotify, useRefresh } from 'react-admin';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import type { DeskDataProvider } from '../dataProvider';

/** Active staff who may work cases: who a case can be handed to. */
export function useAssignableStaff(): { people: StaffMember[]; isPending: boolean; error: Error | null } {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const staff = useQuery({
    queryKey: ['staff', 'assignable'],
    queryFn: ({ signal }) => dataProvider.listStaff(signal),
    staleTime: 60_000,
  });
  const people = (staff.data ?? [])
    .filter((m) => m.active && can(m.role, 'applications.work'))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { people, isPending: staff.isPending, error: staff.error };
}

interface Conflict {
  assigneeId: string | null;
  message: string;
}

const Picker = ({ application }: { application: ApplicationDetail }) => {
  const { people, isPending, error } = useAssignableStaff();
  const dataProvider = useDataProvider<DeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const closed = !isOpenCase(application.stage);

  const close = () => {
    setAnchor(null);
    setConflict(null);
  };

  const assign = (assigneeId: string | null, reassign: boolean) => {
    setBusy(true);
    dataProvider
      .assignApplication(application.id, assigneeId, reassign)
      .then((detail) => {
        notify(detail.assignee ? `Assigned to ${detail.assignee.name}` : 'The case is unassigned', { type: 'info' });
        close();
        refresh();
      })
      .catch((err: unknown) => {
        // A 409 names who holds the case; the senior analyst may take it from them.
        if (err instanceof HttpError && err.status === 409) setConflict({ assigneeId, message: err.message });
        else notify(err instanceof Error ? err.message : 'The case was not assigned', { type: 'error' });
      })
      .finally(() => setBusy(false));
  };

  return (
    <>
      <Button
        size="small"
        variant="outlined"
        startIcon={<PersonAddAlt />}
        onClick={(event) => setAnchor(event.currentTarget)}
        disabled={closed}
        data-testid="assign-case"
        aria-haspopup="menu"
      >
        Assign…
      </Button>
      <Popover
        open={anchor !== null}
        anchorEl={anchor}
        onClose={close}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{ paper: { sx: { width: 320, maxHeight: 460, display: 'flex', flexDirection: 'column' } } }}
      >
        <Box sx={{ px: 1.5, pt: 1, pb: 0.5, flexShrink: 0 }}>
          <Typography variant="subtitle2">Assign this case</Typography>
          <Typography variant="caption" color="text.secondary">
            Held by {application.assignee?.name ?? 'nobody'}
          </Typography>
        </Box>
        {conflict && (
          <Alert
            severity="warning"
            data-testid="assign-conflict"
            sx={{ mx: 1, mb: 0.5, py: 0, flexShrink: 0 }}
            action={
              <Button
                color="inherit"
                size="small"
                autoFocus
                disabled={busy}
                onClick={() => assign(conflict.assigneeId, true)}
                data-testid="assign-reassign"
                sx={{ whiteSpace: 'nowrap' }}
              >
                Take it
              </Button>
            }
          >
            {conflict.message}
          </Alert>
        )}
        {error && (
          <Alert severity="error" sx={{ mx: 1, mb: 0.5, py: 0, flexShrink: 0 }}>
            {error.message}
          </Alert>
        )}
        <MenuList
          dense
          autoFocusItem={anchor !== null && conflict === null}
          data-testid="assign-options"
          sx={{ overflowY: 'auto', minHeight: 0 }}
        >
          {isPending && <MenuItem disabled>Loading staff…</MenuItem>}
          {people.map((m) => (
            <MenuItem
              key={m.id}
              disabled={busy}
              selected={application.assignee?.id === m.id}
              onClick={() => assign(m.id, false)}
              data-testid="assign-option"
              data-staff-id={m.id}
            >
              <ListItemText primary={m.name} secondary={roleLabels[m.role]} />
            </MenuItem>
          ))}
          {application.assignee && <Divider />}
          {application.assignee && (
            <MenuItem disabled={busy} onClick={() => assign(null, false)} data-testid="assign-nobody">
              <ListItemText primary="Nobody (unassign)" />
            </MenuItem>
          )}
        </MenuList>
      </Popover>
    </>
  );
};

/** "Assign…" on the case header, for senior analysts: hand the case to someone who works cases. */
export const AssignControl = ({ application }: { application: ApplicationDetail }) => (
  <Allowed resource={accessResources.applications} action="assign">
    <Picker application={application} />
  </Allowed>
);
