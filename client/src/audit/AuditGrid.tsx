import type { AuditEvent } from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useInfiniteQuery } from '@tanstack/react-query';
import { type ExpandedState, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { Fragment, useEffect, useMemo, useState } from 'react';
import { useCreatePath, useDataProvider } from 'react-admin';
import { retryTransient } from '../api/apiErrors';
import { errorMessage } from '../common/errorMessage';
import { SkeletonRows } from '../common/SkeletonRows';
import { type DeskDataProvider, resources } from '../dataProvider';
import { AuditEventDetails } from './AuditEventDetails';
import { auditColumns, detailsId } from './auditColumns';
import type { AuditFilter } from './auditFilter';

const pageSize = 100;
const emptyRows: AuditEvent[] = [];

/** The events under the filter, loaded page by page (keyset); a row opens to show its data and hashes. */
export const AuditGrid = ({ filter }: { filter: AuditFilter }) => {
  const createPath = useCreatePath();
  const dataProvider = useDataProvider<DeskDataProvider>();
  const [expanded, setExpanded] = useState<ExpandedState>({});
  const query = useInfiniteQuery({
    queryKey: ['audit-events', filter],
    queryFn: ({ pageParam, signal }) => dataProvider.listAuditEvents(filter, pageParam, pageSize, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    retry: retryTransient,
  });
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.data) ?? emptyRows, [query.data]);
  const columns = useMemo(
    () => auditColumns((id) => createPath({ resource: resources.applications, id, type: 'show' })),
    [createPath],
  );
  // A new filter is a new list: nothing stays open.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filter is the trigger, not an input
  useEffect(() => setExpanded({}), [filter]);

  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    getRowCanExpand: () => true,
    state: { expanded },
    onExpandedChange: setExpanded,
  });

  return (
    <Box sx={{ position: 'relative' }}>
      <LinearProgress
        sx={{
          position: 'absolute',
          top: 0,
          left: 0,
          right: 0,
          height: 2,
          visibility: query.isFetching ? 'visible' : 'hidden',
        }}
      />
      {query.isError && (
        <Alert severity="error" sx={{ m: 1 }}>
          The audit trail could not be loaded: {errorMessage(query.error)}
        </Alert>
      )}
      <TableContainer>
        <Table
          size="small"
          stickyHeader
          sx={{ tableLayout: 'fixed', minWidth: 1080 }}
          aria-label="Audit events"
          data-testid="audit-grid"
        >
          <TableHead>
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id}>
                {group.headers.map((header) => (
                  <TableCell key={header.id} sx={{ width: header.column.columnDef.meta?.width }}>
                    {flexRender(header.column.columnDef.header, header.getContext())}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableHead>
          <TableBody>
            {query.isPending && !query.isError && <SkeletonRows columns={columns.length} rows={10} />}
            {!query.isPending && rows.length === 0 && !query.isError && (
              <TableRow>
                <TableCell colSpan={columns.length} sx={{ py: 4, textAlign: 'center', color: 'text.secondary' }}>
                  No audit events match these filters.
                </TableCell>
              </TableRow>
            )}
            {table.getRowModel().rows.map((row) => (
              <Fragment key={row.id}>
                {/* A click anywhere on the row is a shortcut for the row's own expand button, which
                    is what the keyboard and assistive technology use. */}
                <TableRow
                  hover
                  data-testid="audit-row"
                  data-id={row.original.id}
                  data-action={row.original.action}
                  onClick={() => row.toggleExpanded()}
                  sx={{
                    cursor: 'pointer',
                    '& > td': { py: 0.5, borderBottom: row.getIsExpanded() ? 0 : undefined },
                  }}
                >
                  {row.getVisibleCells().map((cell) => (
                    <TableCell key={cell.id} sx={{ overflow: 'hidden' }}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </TableCell>
                  ))}
                </TableRow>
                {row.getIsExpanded() && (
                  <TableRow data-testid="audit-row-details" data-id={row.original.id} id={detailsId(row.original.id)}>
                    <TableCell colSpan={columns.length} sx={{ bgcolor: 'action.hover', pt: 1, pb: 1.5 }}>
                      <AuditEventDetails event={row.original} />
                    </TableCell>
                  </TableRow>
                )}
              </Fragment>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, px: 1.5, py: 1, borderTop: 1, borderColor: 'divider' }}>
        <Typography variant="body2" color="text.secondary" data-testid="audit-count">
          {rows.length.toLocaleString()} {rows.length === 1 ? 'event' : 'events'} shown
          {query.hasNextPage ? ' · more available' : ''}
        </Typography>
        <Box sx={{ flex: 1 }} />
        {query.hasNextPage && (
          <Button
            size="small"
            variant="outlined"
            onClick={() => void query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
            data-testid="audit-load-more"
          >
            {query.isFetchingNextPage ? 'Loading…' : `Load ${pageSize} more`}
          </Button>
        )}
      </Box>
    </Box>
  );
};
