import type { ProviderActionState } from '@desk/shared';
import Chip from '@mui/material/Chip';

const stateLook: Record<ProviderActionState, { label: string; color: 'default' | 'info' | 'success' | 'error' }> = {
  queued: { label: 'Queued', color: 'default' },
  sending: { label: 'Sending', color: 'info' },
  failed: { label: 'Failed', color: 'error' },
  done: { label: 'Done', color: 'success' },
};

/** Where a provider action's delivery stands: queued grey, sending blue, failed red, done green. */
export const ProviderActionStateChip = ({ state }: { state: ProviderActionState }) => {
  const look = stateLook[state];
  return (
    <Chip
      label={look.label}
      color={look.color}
      variant={state === 'done' ? 'outlined' : 'filled'}
      data-testid="provider-action-state"
      data-state={state}
      sx={{ height: 20, fontWeight: 600 }}
    />
  );
};
