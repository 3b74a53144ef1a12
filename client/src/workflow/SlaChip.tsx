import type { ApplicationSummary } from '@desk/shared';
import Chip from '@mui/material/Chip';
import { formatAge } from '../common/formatAge';
import { useFormatInstant } from '../common/formatTime';

const colors = { breached: 'error', due_soon: 'warning', on_track: 'default' } as const;

/** The service level of the case's stage: overdue by how much, or time left. */
export const SlaChip = ({ sla, now }: { sla: ApplicationSummary['sla']; now: number }) => {
  const formatTime = useFormatInstant();
  if (!sla) return null;
  const due = new Date(sla.dueAt);
  const late = due.getTime() <= now;
  // The largest unit only ("38d over", "5h left"); the exact due time is in the tooltip.
  const span = (late ? formatAge(sla.dueAt, now) : formatAge(new Date(now).toISOString(), due.getTime())).split(' ')[0];
  const label = late ? `${span} over` : `${span} left`;
  return (
    <Chip
      size="small"
      color={colors[sla.state]}
      variant={sla.state === 'on_track' ? 'outlined' : 'filled'}
      label={label}
      title={`SLA due ${formatTime(sla.dueAt)}`}
      data-testid="sla-chip"
      data-state={sla.state}
      sx={{ height: 20, fontSize: 11.5 }}
    />
  );
};
