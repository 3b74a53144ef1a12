import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { useFormatInstant } from '../common/formatTime';
import { formatDue } from './formatDue';

export interface DueDateProps {
  dueAt: string;
  overdue: boolean;
  now: number;
  /** Show the absolute date next to the relative one (the RFI page), not only on hover. */
  withDate?: boolean;
  /** Answered or closed: the due time no longer counts down; the date is shown, muted. */
  settled?: boolean;
}

/** When an RFI is due, relative to now, the exact time on hover; red with a chip when overdue. */
export const DueDate = ({ dueAt, overdue, now, withDate = false, settled = false }: DueDateProps) => {
  const formatTime = useFormatInstant();
  const exact = formatTime(dueAt);
  if (settled) {
    return (
      <Box
        component="time"
        dateTime={dueAt}
        title={`Was due ${exact}`}
        data-testid="rfi-due"
        sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}
      >
        {exact}
      </Box>
    );
  }
  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.75, flexWrap: 'wrap' }}>
      <Box
        component="time"
        dateTime={dueAt}
        title={`Due ${exact} (${dueAt})`}
        data-testid="rfi-due"
        sx={{
          // On the RFI page the date and the relative time may wrap apart rather than overflow.
          whiteSpace: withDate ? 'normal' : 'nowrap',
          fontVariantNumeric: 'tabular-nums',
          fontWeight: 600,
          color: overdue ? 'error.main' : 'text.primary',
        }}
      >
        {withDate ? `${exact} · ${formatDue(dueAt, now)}` : formatDue(dueAt, now)}
      </Box>
      {overdue && (
        <Chip
          size="small"
          color="error"
          label="Overdue"
          data-testid="rfi-overdue"
          sx={{ height: 20, fontSize: 11, fontWeight: 700, '& .MuiChip-label': { px: 0.75 } }}
        />
      )}
    </Box>
  );
};
