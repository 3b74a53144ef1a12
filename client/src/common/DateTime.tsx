import Box from '@mui/material/Box';
import type { SxProps, Theme } from '@mui/material/styles';

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const compactFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

export interface DateTimeProps {
  /** An ISO 8601 instant, or a plain `YYYY-MM-DD` date with `dateOnly`. */
  value: string | null | undefined;
  /** A calendar date (e.g. a date of birth): shown without time and without a time-zone shift. */
  dateOnly?: boolean;
  /** Numeric date for narrow table cells. */
  compact?: boolean;
  sx?: SxProps<Theme>;
}

/** A date in the reader's locale, with the exact ISO value on hover. */
export const DateTime = ({ value, dateOnly = false, compact = false, sx }: DateTimeProps) => {
  if (!value)
    return (
      <Box component="span" sx={{ color: 'text.disabled' }}>
        —
      </Box>
    );
  const date = new Date(dateOnly && value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return <span>{value}</span>;
  return (
    <Box
      component="time"
      dateTime={value}
      title={value}
      sx={[{ whiteSpace: 'nowrap' }, ...(Array.isArray(sx) ? sx : [sx])]}
    >
      {(dateOnly ? dateFormat : compact ? compactFormat : dateTimeFormat).format(date)}
    </Box>
  );
};
