import type { ApplicationSummary } from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import LinearProgress from '@mui/material/LinearProgress';
import type { Theme } from '@mui/material/styles';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import { type KeyboardEvent, lazy, type MouseEvent, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useCanAccess, useCreatePath, useListContext, useLocation, useNavigate } from 'react-admin';
import { SkeletonRows } from '../common/SkeletonRows';
import { useNow } from '../common/useNow';
import type { BulkAssignOutcome } from '../workflow/BulkAssignBar';
import { typedInField } from '../workflow/NextCaseButton';
import { rememberQueueOrder } from '../workflow/queueOrder';
import { queueColumns } from './queueColumns';

// The bulk assignment (its assignee select) is fetched when rows are first selected.
const bulkAssign = () => import('../workflow/BulkAssignBar');
const BulkAssignBar = lazy(() => bulkAssign().then((m) => ({ default: m.BulkAssignBar })));
const BulkAssignSummary = lazy(() => bulkAssign().then((m) => ({ default: m.BulkAssignSummary })));

const emptyRows: ApplicationSummary[] = [];
/** The table's narrowest width: below it, the table scrolls sideways in its container. */
const tableMinWidth = 980;
/** The selection column's share of the table (about 32px at its narrowest). */
const checkboxShare = 3.3;
/**
 * Cells kept at the left edge while the table scrolls sideways (the selection column, then the
 * applicant's): opaque, above the cells scrolling under them. The table scrolls only at its
 * narrowest width, so the selection column's width there is where the applicant column sticks.
 */
const stickyAt = (left: number, header: boolean) =>
  ({
    position: 'sticky',
    left,
    zIndex: header ? 3 : 1,
    bgcolor: header ? undefined : 'background.paper',
  }) as const;
const checkboxLeft = (tableMinWidth * checkboxShare) / 100;
const stickyEdge = { boxShadow: (theme: Theme) => `inset -1px 0 0 ${theme.palette.divider}` } as const;
const checkboxCell = { width: `${checkboxShare}%`, p: '0 0 0 4px' } as const;

/**
 * The review queue grid: the page's rows in MUI's small table, one cell per column of
 * `queueColumns`. Sorting happens on the server and lives in react-admin's list state (and so
 * in the URL): a heading sorts ascending first, then flips.
 */
export const QueueGrid = () => {
  const { data, isPending, isFetching, error, sort, setSort, resource } = useListContext<ApplicationSummary>();
  const now = useNow();
  const { canAccess: canAssign } = useCanAccess({ resource: 'applications', action: 'assign' });
  const [selected, setSelected] = useState<Record<string, boolean>>({});
  const selectedIds = Object.keys(selected).filter((id) => selected[id]);
  const [assignOutcome, setAssignOutcome] = useState<BulkAssignOutcome | null>(null);
  const location = useLocation();

  // The rows in view, for j / k on the case page.
  useEffect(() => {
    if (data) rememberQueueOrder({ ids: data.map((row) => row.id), from: `${location.pathname}${location.search}` });
  }, [data, location.pathname, location.search]);
  const columns = useMemo(() => queueColumns(now), [now]);
  const body = useRef<HTMLTableSectionElement | null>(null);

  // j / k move between rows (Enter opens one), as in a mail client.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (
        (event.key !== 'j' && event.key !== 'k') ||
        event.metaKey ||
        event.ctrlKey ||
        event.altKey ||
        typedInField(event)
      )
        return;
      const rows = [...(body.current?.querySelectorAll<HTMLElement>('[data-testid="queue-row"]') ?? [])];
      if (rows.length === 0) return;
      const active = document.activeElement;
      const current = active instanceof HTMLElement ? rows.indexOf(active) : -1;
      const next = event.key === 'j' ? Math.min(rows.length - 1, current + 1) : Math.max(0, current - 1);
      rows[next]?.focus();
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const createPath = useCreatePath();
  const navigate = useNavigate();

  // Percent widths only (a fixed-width column beside them gets squeezed): the selection column
  // takes its share and the others are scaled to what is left.
  const percentTotal = columns.reduce((n, c) => n + (c.width.endsWith('%') ? parseFloat(c.width) : 0), 0);
  const widthOf = (width: string | undefined): string | undefined => {
    if (!width?.endsWith('%') || percentTotal === 0) return width;
    const room = canAssign ? 100 - checkboxShare : 100;
    return `${((parseFloat(width) / percentTotal) * room).toFixed(3)}%`;
  };

  /** How a column is sorted now, and where a click on its heading takes it. */
  const sortedBy = (id: string): 'asc' | 'desc' | false =>
    sort.field === id ? (sort.order === 'DESC' ? 'desc' : 'asc') : false;
  const toggleSort = (id: string) => setSort({ field: id, order: sortedBy(id) === 'asc' ? 'DESC' : 'ASC' });
  const rows = data ?? emptyRows;

  const open = (id: string, event: MouseEvent | KeyboardEvent) => {
    const path = createPath({ resource, id, type: 'show' });
    // react-admin's default router is a hash router: a new tab needs the path after '#'.
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
          The queue could not be loaded: {error.message}
        </Alert>
      )}
      <Suspense fallback={null}>
        {canAssign && selectedIds.length > 0 && (
          <BulkAssignBar
            selected={selectedIds}
            clear={() => setSelected({})}
            onDone={(outcome) => {
              // What went through is deselected; what was refused stays selected to retry.
              setSelected(Object.fromEntries(outcome.failed.map((f) => [f.id, true])));
              setAssignOutcome(outcome);
            }}
          />
        )}
        {assignOutcome && (
          <BulkAssignSummary
            outcome={assignOutcome}
            nameOf={(id) => data?.find((row) => row.id === id)?.applicant.name ?? id.slice(0, 8)}
            onClose={() => setAssignOutcome(null)}
          />
        )}
      </Suspense>
      <TableContainer>
        <Table
          size="small"
          stickyHeader
          sx={{ tableLayout: 'fixed', minWidth: tableMinWidth }}
          aria-label="Review queue"
        >
          <TableHead>
            <TableRow>
              {canAssign && (
                <TableCell padding="checkbox" sx={{ ...checkboxCell, ...stickyAt(0, true) }}>
                  <Checkbox
                    size="small"
                    sx={{ p: '3px' }}
                    checked={data !== undefined && data.length > 0 && data.every((row) => selected[row.id])}
                    indeterminate={selectedIds.length > 0 && !(data ?? []).every((row) => selected[row.id])}
                    onChange={(e) =>
                      setSelected(e.target.checked ? Object.fromEntries((data ?? []).map((row) => [row.id, true])) : {})
                    }
                    slotProps={{ input: { 'aria-label': 'Select every row on this page' } }}
                  />
                </TableCell>
              )}
              {columns.map((column) => {
                const sorted = sortedBy(column.id);
                return (
                  <TableCell
                    key={column.id}
                    sx={{
                      width: widthOf(column.width),
                      ...(column.sticky && {
                        ...stickyAt(canAssign ? checkboxLeft : 0, true),
                        ...stickyEdge,
                      }),
                    }}
                    sortDirection={sorted === false ? false : sorted}
                  >
                    {column.sortable ? (
                      <TableSortLabel
                        active={sorted !== false}
                        direction={sorted === false ? 'asc' : sorted}
                        onClick={() => toggleSort(column.id)}
                      >
                        {column.header}
                      </TableSortLabel>
                    ) : (
                      column.header
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          </TableHead>
          <TableBody ref={body}>
            {isPending && !error && <SkeletonRows columns={columns.length + (canAssign ? 1 : 0)} />}
            {!isPending && rows.length === 0 && !error && (
              <TableRow>
                <TableCell
                  colSpan={columns.length + (canAssign ? 1 : 0)}
                  sx={{ py: 4, textAlign: 'center', color: 'text.secondary' }}
                >
                  No applications match these filters.
                </TableCell>
              </TableRow>
            )}
            {rows.map((row) => (
              <TableRow
                key={row.id}
                hover
                tabIndex={0}
                data-testid="queue-row"
                data-stage={row.stage}
                data-id={row.id}
                onClick={(event) => open(row.id, event)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') open(row.id, event);
                }}
                sx={{
                  cursor: 'pointer',
                  '&:focus-visible': { outline: '2px solid', outlineColor: 'primary.main', outlineOffset: -2 },
                  // The sticky cells are opaque: they take the row's hover tint over their paper.
                  '&:hover > .queue-sticky': (theme) => ({
                    backgroundImage: `linear-gradient(${theme.palette.action.hover}, ${theme.palette.action.hover})`,
                  }),
                }}
              >
                {canAssign && (
                  <TableCell
                    padding="checkbox"
                    className="queue-sticky"
                    sx={{ ...checkboxCell, ...stickyAt(0, false) }}
                    onClick={(event) => event.stopPropagation()}
                  >
                    <Checkbox
                      size="small"
                      sx={{ p: '3px' }}
                      checked={selected[row.id] === true}
                      onChange={(e) => setSelected((prev) => ({ ...prev, [row.id]: e.target.checked }))}
                      slotProps={{
                        input: {
                          'aria-label': 'Select this case',
                          ...({ 'data-testid': 'row-select' } as Record<string, string>),
                        },
                      }}
                    />
                  </TableCell>
                )}
                {columns.map((column) => (
                  <TableCell
                    key={column.id}
                    className={column.sticky ? 'queue-sticky' : undefined}
                    sx={{
                      overflow: 'hidden',
                      ...(column.sticky && {
                        ...stickyAt(canAssign ? checkboxLeft : 0, false),
                        ...stickyEdge,
                      }),
                    }}
                  >
                    {column.cell(row)}
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
