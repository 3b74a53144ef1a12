import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useDataProvider } from 'react-admin';
import { DateTime } from '../common/DateTime';
import { formatBytes } from '../common/formatBytes';
import type { DeskDataProvider } from '../dataProvider';
import { filtersText, formatText, kindLabels, thousands } from './exportLabels';
import { ManifestCard } from './ManifestCard';
import { Mono } from './Mono';

/** The past runs' query: a new export makes it stale. */
export const pastExportsQueryKey = ['exports', 'runs'] as const;
const runsPageSize = 50;

/** Past export runs, newest first, each with its manifest on demand. */
export const PastExports = ({ selected, select }: { selected: string | null; select: (id: string | null) => void }) => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const runs = useInfiniteQuery({
    queryKey: pastExportsQueryKey,
    queryFn: ({ pageParam, signal }) => dataProvider.listExportRuns(runsPageSize, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    retry: false,
  });
  const shown = useMemo(() => runs.data?.pages.flatMap((p) => p.data) ?? [], [runs.data]);
  const chosen = shown.find((r) => r.id === selected) ?? null;
  return (
    <Card variant="outlined" sx={{ mt: 2 }}>
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          Past exports
        </Typography>
        {runs.error && <Alert severity="error">Past exports could not be loaded: {runs.error.message}</Alert>}
        {runs.isPending && <LinearProgress />}
        <Table size="small" data-testid="export-runs">
          <TableHead>
            <TableRow>
              <TableCell>Started</TableCell>
              <TableCell>Export</TableCell>
              <TableCell>Filters</TableCell>
              <TableCell>Requested by</TableCell>
              <TableCell>State</TableCell>
              <TableCell align="right">Rows</TableCell>
              <TableCell align="right">Size</TableCell>
              <TableCell>SHA-256</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {runs.data && shown.length === 0 && (
              <TableRow>
                <TableCell colSpan={9} sx={{ color: 'text.secondary' }}>
                  No exports yet.
                </TableCell>
              </TableRow>
            )}
            {shown.map((run) => (
              <TableRow key={run.id} hover selected={run.id === selected} data-export-id={run.id}>
                <TableCell>
                  <DateTime value={run.startedAt} compact />
                </TableCell>
                <TableCell>
                  {kindLabels[run.kind]} · {formatText(run)}
                </TableCell>
                <TableCell sx={{ maxWidth: 260, overflowWrap: 'anywhere' }}>{filtersText(run.filters)}</TableCell>
                <TableCell>{run.requestedBy}</TableCell>
                <TableCell>
                  <Chip
                    size="small"
                    label={run.state}
                    color={run.state === 'complete' ? 'success' : run.state === 'failed' ? 'error' : 'default'}
                  />
                </TableCell>
                <TableCell align="right">{run.rowCount === null ? '—' : thousands(run.rowCount)}</TableCell>
                <TableCell align="right">{run.byteCount === null ? '—' : formatBytes(run.byteCount)}</TableCell>
                <TableCell>
                  <Mono>{run.sha256 ? `${run.sha256.slice(0, 12)}…` : '—'}</Mono>
                </TableCell>
                <TableCell>
                  <Button size="small" onClick={() => select(run.id === selected ? null : run.id)}>
                    {run.id === selected ? 'Hide manifest' : 'Manifest'}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {runs.hasNextPage && (
          <Button
            size="small"
            onClick={() => void runs.fetchNextPage()}
            disabled={runs.isFetchingNextPage}
            sx={{ mt: 1 }}
            data-testid="export-runs-older"
          >
            {runs.isFetchingNextPage ? 'Loading…' : 'Show older runs'}
          </Button>
        )}
        {chosen && <ManifestCard manifest={chosen} />}
      </CardContent>
    </Card>
  );
};
