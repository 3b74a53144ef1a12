import Box from '@mui/material/Box';
import { useTheme } from '@mui/material/styles';
import Typography from '@mui/material/Typography';

/** One coloured part of a bar, with its tooltip. */
export interface Segment {
  value: number;
  color: string;
  title: string;
}

/** Horizontal bars, one per row, each split into coloured segments; rows may be clickable. */
export const SegmentedBars = ({
  rows,
  onRowClick,
  rowHint,
}: {
  rows: { key: string; label: string; segments: Segment[] }[];
  onRowClick?: (key: string) => void;
  rowHint?: string;
}) => {
  const { palette } = useTheme();
  const max = Math.max(1, ...rows.map((r) => r.segments.reduce((n, s) => n + s.value, 0)));
  return (
    <Box sx={{ display: 'grid', gap: 0.25 }}>
      {rows.map((row) => {
        const total = row.segments.reduce((n, s) => n + s.value, 0);
        let x = 0;
        return (
          <Box
            key={row.key}
            data-key={row.key}
            role={onRowClick ? 'button' : undefined}
            tabIndex={onRowClick ? 0 : undefined}
            title={rowHint ? `${row.label}: ${row.segments.map((s) => s.title).join(', ')}. ${rowHint}` : undefined}
            onClick={onRowClick ? () => onRowClick(row.key) : undefined}
            onKeyDown={onRowClick ? (event) => event.key === 'Enter' && onRowClick(row.key) : undefined}
            sx={{
              display: 'grid',
              gridTemplateColumns: '112px 1fr 40px',
              alignItems: 'center',
              gap: 1,
              px: 0.5,
              py: 0.2,
              minHeight: 26,
              borderRadius: 0.75,
              cursor: onRowClick ? 'pointer' : 'default',
              '&:hover': onRowClick ? { bgcolor: 'action.hover' } : undefined,
            }}
          >
            <Typography variant="caption" noWrap sx={{ color: total === 0 ? 'text.secondary' : 'text.primary' }}>
              {row.label}
            </Typography>
            <svg
              width="100%"
              height="14"
              viewBox={`0 0 ${max} 14`}
              preserveAspectRatio="none"
              role="img"
              aria-label={`${row.label}: ${total}`}
            >
              <rect x={0} y={0} width={max} height={14} fill={palette.action.hover} />
              {row.segments.map((s) => {
                const rect = (
                  <rect key={s.title} x={x} y={0} width={s.value} height={14} fill={s.color}>
                    <title>{s.title}</title>
                  </rect>
                );
                x += s.value;
                return rect;
              })}
            </svg>
            <Typography
              variant="caption"
              sx={{
                textAlign: 'right',
                fontWeight: 600,
                fontVariantNumeric: 'tabular-nums',
                color: total === 0 ? 'text.secondary' : 'text.primary',
              }}
            >
              {total.toLocaleString()}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
};
