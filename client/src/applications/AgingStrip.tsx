import { type AgingBucket, type ApplicationStats, agingBucketLabels, agingBuckets } from '@desk/shared';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

/** Green for fresh cases through to red for those open over a month. */
const bucketColors: Record<AgingBucket, string> = {
  lt1d: '#2e7d32',
  d1to3: '#7cb342',
  d3to7: '#f9a825',
  d7to30: '#ef6c00',
  gt30d: '#c62828',
};

export interface AgingStripProps {
  aging: ApplicationStats['aging'] | undefined;
}

/** Open applications by age: a proportional bar with the count of each bucket beneath. */
export const AgingStrip = ({ aging }: AgingStripProps) => {
  const total = aging ? agingBuckets.reduce((sum, b) => sum + aging[b], 0) : 0;
  return (
    <Box data-testid="aging-strip" sx={{ minWidth: 320, flex: 2 }}>
      <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600 }}>
        Open cases by age {aging ? `(${total.toLocaleString()})` : ''}
      </Typography>
      <Box sx={{ display: 'flex', height: 8, borderRadius: 4, overflow: 'hidden', bgcolor: 'action.hover', my: 0.5 }}>
        {aging &&
          total > 0 &&
          agingBuckets.map((bucket) => (
            <Box
              key={bucket}
              title={`${agingBucketLabels[bucket]}: ${aging[bucket]}`}
              sx={{ width: `${(aging[bucket] / total) * 100}%`, bgcolor: bucketColors[bucket] }}
            />
          ))}
      </Box>
      <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap' }}>
        {agingBuckets.map((bucket) => (
          <Box key={bucket} data-bucket={bucket} sx={{ display: 'flex', alignItems: 'center', gap: 0.5, fontSize: 12 }}>
            <Box sx={{ width: 8, height: 8, borderRadius: '50%', bgcolor: bucketColors[bucket] }} />
            <Box component="span" sx={{ color: 'text.secondary' }}>
              {agingBucketLabels[bucket]}
            </Box>
            <Box component="span" sx={{ fontWeight: 700, fontVariantNumeric: 'tabular-nums' }}>
              {aging ? aging[bucket].toLocaleString() : '…'}
            </Box>
          </Box>
        ))}
      </Box>
    </Box>
  );
};
