import { agingBucketLabels, agingBuckets, type Dashboard } from '@desk/shared';
import { useTheme } from '@mui/material/styles';
import { agingTones } from './dashboardColors';
import { niceMax } from './niceMax';

/** Open cases by age since creation: one column per bucket, older buckets warmer. */
export const AgingHistogram = ({ aging }: { aging: Dashboard['aging'] }) => {
  const width = 360;
  const height = 130;
  const base = height - 20;
  const max = niceMax(Math.max(...agingBuckets.map((b) => aging[b])));
  const slot = width / agingBuckets.length;
  const { palette } = useTheme();
  const axis = palette.text.secondary;
  return (
    <svg
      width="100%"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Open cases by age"
      style={{ display: 'block' }}
    >
      <line x1={0} x2={width} y1={base} y2={base} stroke={axis} strokeWidth={1} />
      {agingBuckets.map((b, i) => {
        const h = (aging[b] / max) * (base - 16);
        return (
          <g key={b}>
            <rect x={i * slot + 8} y={base - h} width={slot - 16} height={h} fill={agingTones[i] ?? axis} rx={2}>
              <title>{`${agingBucketLabels[b]}: ${aging[b]}`}</title>
            </rect>
            <text
              x={i * slot + slot / 2}
              y={base - h - 4}
              fontSize={11}
              fontWeight={600}
              textAnchor="middle"
              fill={palette.text.primary}
            >
              {aging[b]}
            </text>
            <text
              x={i * slot + slot / 2}
              y={height - 5}
              fontSize={10.5}
              textAnchor="middle"
              fill={palette.text.secondary}
            >
              {agingBucketLabels[b]}
            </text>
          </g>
        );
      })}
    </svg>
  );
};
