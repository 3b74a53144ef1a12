import type { Dashboard } from '@desk/shared';
import Box from '@mui/material/Box';
import { useTheme } from '@mui/material/styles';
import Typography from '@mui/material/Typography';
import { stageColors } from '../stages/stageColors';
import { Legend } from './Legend';
import { niceMax } from './niceMax';

const dayLabel = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** Created / approved / rejected per day, as grouped columns over a gridded axis. */
export const Throughput = ({ days }: { days: Dashboard['throughput'] }) => {
  const series = [
    { key: 'created', label: 'created', color: stageColors.provider_review },
    { key: 'approved', label: 'approved', color: stageColors.approved },
    { key: 'rejected', label: 'rejected', color: stageColors.rejected },
  ] as const;
  const { palette } = useTheme();
  const axis = palette.text.secondary;
  const grid = palette.divider;
  const peak = Math.max(0, ...days.flatMap((d) => [d.created, d.approved, d.rejected]));
  const max = niceMax(peak);
  const left = 26;
  const width = 560;
  const height = 150;
  const base = height - 18;
  const top = 6;
  const slot = (width - left) / Math.max(1, days.length);
  const bar = Math.min(9, (slot - 6) / 3);
  const ticks = [0, max / 2, max].filter((t, i, all) => Number.isInteger(t) && all.indexOf(t) === i);
  const y = (v: number) => base - (v / max) * (base - top);
  const totals = series.map((s) => days.reduce((n, d) => n + d[s.key], 0));

  return (
    <Box sx={{ position: 'relative' }}>
      <svg
        width="100%"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label="Throughput per day"
        style={{ display: 'block' }}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={width} y1={y(t)} y2={y(t)} stroke={t === 0 ? axis : grid} strokeWidth={1} />
            <text x={left - 5} y={y(t) + 3.5} fontSize={10} textAnchor="end" fill={palette.text.secondary}>
              {t}
            </text>
          </g>
        ))}
        {days.map((d, i) => {
          const x0 = left + i * slot + (slot - bar * 3 - 2) / 2;
          return (
            <g key={d.day}>
              {series.map((s, j) => {
                const h = base - y(d[s.key]);
                return (
                  <rect key={s.key} x={x0 + j * (bar + 1)} y={base - h} width={bar} height={h} fill={s.color}>
                    <title>{`${dayLabel.format(new Date(`${d.day}T00:00:00Z`))}: ${d[s.key]} ${s.label}`}</title>
                  </rect>
                );
              })}
              {(i % 2 === days.length % 2 || days.length <= 7) && (
                <text
                  x={left + i * slot + slot / 2}
                  y={height - 4}
                  fontSize={10}
                  textAnchor="middle"
                  fill={palette.text.secondary}
                >
                  {dayLabel.format(new Date(`${d.day}T00:00:00Z`))}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      {peak === 0 && (
        <Typography
          variant="body2"
          color="text.secondary"
          sx={{
            position: 'absolute',
            inset: 0,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            pb: 3,
          }}
        >
          No case was created or decided in the last 14 days.
        </Typography>
      )}
      <Legend items={series.map((s, i) => ({ label: `${s.label} (${totals[i] ?? 0})`, color: s.color }))} />
    </Box>
  );
};
