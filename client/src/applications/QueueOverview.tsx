import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import { AgingStrip } from './AgingStrip';
import { FlagCounts } from './FlagCounts';
import { StageFilter } from './StageFilter';
import { useApplicationFilter } from './useApplicationFilter';
import { useApplicationStats } from './useApplicationStats';

/** Above the grid: stage chips with counts, the aging strip and the flag counts. */
export const QueueOverview = () => {
  const { filter } = useApplicationFilter();
  const { data, error } = useApplicationStats(filter);
  const stats = data?.stats;

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1, mb: 1 }}>
      <StageFilter stats={stats} />
      <Card sx={{ px: 1.5, py: 1, display: 'flex', gap: 3, flexWrap: 'wrap' }}>
        <AgingStrip aging={stats?.aging} />
        <FlagCounts byFlag={stats?.byFlag} />
      </Card>
      {error && <Alert severity="warning">Queue counts are unavailable: {error.message}</Alert>}
      {data && !data.filtered && (
        <Alert severity="info" sx={{ py: 0 }}>
          Counts cover all applications: the server does not narrow them by this filter.
        </Alert>
      )}
    </Box>
  );
};
