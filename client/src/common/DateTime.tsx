import { formatCalendarDate, formatInstant } from '@desk/shared';
import Box from '@mui/material/Box';
import type { SxProps, Theme } from '@mui/material/styles';
import { useTimeZone } from './timeZone';

export interface DateTimeProps {
  /** An ISO 8601 instant, or a plain `YYYY-MM-DD` date with `dateOnly`. */
  value: string | null | undefined;
  /** A calendar date (e.g. a date of birth): shown without time, zone or time-zone shift. */
  dateOnly?: boolean;
  /** Shorter, for narrow table cells: the year is left out when it is this year (the zone stays). */
  compact?: boolean;
  sx?: SxProps<Theme>;
}

/**
 * An instant in the reader's zone with the zone shown ("7 Dec 2026, 14:05 CET"), the exact ISO
 * value on hover; or a calendar date ("7 Dec 2026").
 */
export const DateTime = ({ value, dateOnly = false, compact = false, sx }: DateTimeProps) => {
  const { zone } = useTimeZone();
  if (!value)
    return (
      <Box component="span" sx={{ color: 'text.disabled' }}>
        —
      </Box>
    );
  if (Number.isNaN(new Date(dateOnly && value.length === 10 ? `${value}T00:00:00Z` : value).getTime()))
    return <span>{value}</span>;
  return (
    <Box
      component="time"
      dateTime={value}
      title={dateOnly ? value : `${value} (UTC)`}
      data-time-zone={dateOnly ? undefined : zone}
      sx={[{ whiteSpace: 'nowrap' }, ...(Array.isArray(sx) ? sx : [sx])]}
    >
      {dateOnly ? formatCalendarDate(value) : formatInstant(value, zone, compact ? 'compact' : 'full')}
    </Box>
  );
};
