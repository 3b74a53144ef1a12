import { isRefusedRfi, type Rfi } from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import { alpha } from '@mui/material/styles';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { type KeyboardEvent, type MouseEvent, useMemo } from 'react';
import { useCreatePath, useListContext, useNavigate } from 'react-admin';
import { SkeletonRows } from '../common/SkeletonRows';
import { useNow } from '../common/useNow';
import { resources } from '../dataProvider';
import { rfiColumns } from './rfiColumns';

const emptyRows: Rfi[] = [];

/** The RFI queue grid: @tanstack/react-table for the model, MUI's small table for the look. */
export const RfiGrid = () => {
  const { data, isPending, isFetching, error, resource } = useListContext<Rfi>();
  const now = useNow();
  const createPath = useCreatePath();
  const navigate = useNavigate();
  const columns = useMemo(
    () => rfiColumns(now, (id) => createPath({ resource: resources.applications, id, type: 'show' })),
    [now, createPath],
  );

  const table = useReactTable({
    data: data ?? emptyRows,
    columns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
  });

  const open = (id: string, event: MouseEvent | KeyboardEvent) => {
    const path = createPath({ resource, id, type: 'show' });
    if (event.metaKey || event.ctrlKey) window.open(`#${path}`, '_blank', 'noopener');
    else navigate(path);
  };

  return (
    <Box sx={{ position: 'relative' }}>
      <LinearProgress
        sx={{
          position: 'absolute',
          top: 0,
          left: 0,
          right: 0,
          height: 2,
          visibility: isFetching ? 'visible' : 'hidden',
        }}
      />
      {error && (
        <Alert severity="error" sx={{ m: 1 }}>
          The RFIs could not be loaded: {error.message}
        </Alert>
      )}
      <TableContainer>
        <Table
          size="small"
          stickyHeader
          sx={{ tableLayout: 'fixed', minWidth: 980 }}
          aria-label="Requests for information"
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
            {isPending && !error && <SkeletonRows columns={columns.length} />}
            {!isPending && table.getRowModel().rows.length === 0 && !error && (
              <TableRow>
                <TableCell colSpan={columns.length} sx={{ py: 4, textAlign: 'center', color: 'text.secondary' }}>
                  No RFIs match these filters.
                </TableCell>
              </TableRow>
            )}
            {table.getRowModel().rows.map((row) => (
              <TableRow
                key={row.id}
                hover
                tabIndex={0}
                data-testid="rfi-row"
                data-id={row.original.id}
                data-status={row.original.status}
                data-overdue={row.original.overdue}
                onClick={(event) => open(row.original.id, event)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') open(row.original.id, event);
                }}
                data-refused={isRefusedRfi(row.original)}
                sx={(theme) => ({
                  cursor: 'pointer',
                  bgcolor: row.original.overdue ? alpha(theme.palette.error.main, 0.05) : undefined,
                  // Overdue or refused by the provider: both wait for the analyst.
                  boxShadow:
                    row.original.overdue || isRefusedRfi(row.original)
                      ? `inset 3px 0 0 ${theme.palette.error.main}`
                      : undefined,
                  '&:focus-visible': { outline: '2px solid', outlineColor: 'primary.main', outlineOffset: -2 },
                })}
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
