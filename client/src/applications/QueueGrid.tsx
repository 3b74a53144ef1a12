import type { ApplicationSummary } from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type OnChangeFn,
  type SortingState,
} from '@tanstack/react-table';
import { useMemo, type KeyboardEvent, type MouseEvent } from 'react';
import { useCreatePath, useListContext, useNavigate } from 'react-admin';
import { useNow } from '../common/useNow';
import { queueColumns } from './queueColumns';

const emptyRows: ApplicationSummary[] = [];

/**
 * The review queue grid: @tanstack/react-table for the model, MUI's small table for the
 * look. Sorting is manual and lives in react-admin's list state (and so in the URL).
 */
export const QueueGrid = () => {
  const { data, isPending, isFetching, error, sort, setSort, resource } = useListContext<ApplicationSummary>();
  const now = useNow();
  const columns = useMemo(() => queueColumns(now), [now]);
  const createPath = useCreatePath();
  const navigate = useNavigate();

  const sorting = useMemo<SortingState>(() => [{ id: sort.field, desc: sort.order === 'DESC' }], [sort]);
  const onSortingChange: OnChangeFn<SortingState> = (updater) => {
    const [next] = typeof updater === 'function' ? updater(sorting) : updater;
    if (next) setSort({ field: next.id, order: next.desc ? 'DESC' : 'ASC' });
  };

  const table = useReactTable({
    data: data ?? emptyRows,
    columns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    sortDescFirst: false,
    state: { sorting },
    onSortingChange,
  });

  const open = (id: string, event: MouseEvent | KeyboardEvent) => {
    const path = createPath({ resource, id, type: 'show' });
    // react-admin's default router is a hash router: a new tab needs the path after '#'.
    if (event.metaKey || event.ctrlKey) window.open(`#${path}`, '_blank', 'noopener');
    else navigate(path);
  };

  return (
    <Box sx={{ position: 'relative' }}>
      <LinearProgress sx={{ position: 'absolute', top: 0, left: 0, right: 0, height: 2, visibility: isFetching ? 'visible' : 'hidden' }} />
      {error && (
        <Alert severity="error" sx={{ m: 1 }}>
          The queue could not be loaded: {error.message}
        </Alert>
      )}
      <TableContainer>
        <Table size="small" stickyHeader sx={{ tableLayout: 'fixed', minWidth: 980 }} aria-label="Review queue">
          <TableHead>
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <TableCell key={header.id} sx={{ width: header.column.columnDef.meta?.width }} sortDirection={sorted === false ? false : sorted}>
                      {header.column.getCanSort() ? (
                        <TableSortLabel
                          active={sorted !== false}
                          direction={sorted === false ? 'asc' : sorted}
                          onClick={header.column.getToggleSortingHandler()}
                        >
                          {flexRender(header.column.columnDef.header, header.getContext())}
                        </TableSortLabel>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </TableCell>
                  );
                })}
              </TableRow>
            ))}
          </TableHead>
          <TableBody>
            {isPending && !error && <SkeletonRows columns={columns.length} />}
            {!isPending && table.getRowModel().rows.length === 0 && !error && (
              <TableRow>
                <TableCell colSpan={columns.length} sx={{ py: 4, textAlign: 'center', color: 'text.secondary' }}>
                  No applications match these filters.
                </TableCell>
              </TableRow>
            )}
            {table.getRowModel().rows.map((row) => (
              <TableRow
                key={row.id}
                hover
                tabIndex={0}
                data-testid="queue-row"
                data-stage={row.original.stage}
                data-id={row.original.id}
                onClick={(event) => open(row.original.id, event)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') open(row.original.id, event);
                }}
                sx={{ cursor: 'pointer', '&:focus-visible': { outline: '2px solid', outlineColor: 'primary.main', outlineOffset: -2 } }}
              >
                {row.getVisibleCells().map((cell) => (
                  <TableCell key={cell.id} sx={{ overflow: 'hidden' }}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Box>
  );
};

const SkeletonRows = ({ columns }: { columns: number }) => (
  <>
    {Array.from({ length: 8 }, (_, i) => (
      <TableRow key={i}>
        {Array.from({ length: columns }, (_, j) => (
          <TableCell key={j}>
            <Skeleton variant="text" />
          </TableCell>
        ))}
      </TableRow>
    ))}
  </>
);
