import type { AuditEvent, AuditVerify } from '@desk/shared';
import FilterAltOff from '@mui/icons-material/FilterAltOff';
import GppBadOutlined from '@mui/icons-material/GppBadOutlined';
import VerifiedOutlined from '@mui/icons-material/VerifiedOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { type ExpandedState, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { type FormEvent, Fragment, useEffect, useMemo, useState } from 'react';
import { Title, useCreatePath, useLocation, useNavigate } from 'react-admin';
import { SkeletonRows } from '../common/SkeletonRows';
import { resources } from '../dataProvider';
import { fetchAuditEvents, retryTransient, verifyAuditChain } from './auditApi';
import { auditColumns } from './auditColumns';
import {
  type AuditFilter,
  type AuditFilterKey,
  auditFilterSearch,
  fromLocalInput,
  isFiltered,
  readAuditFilter,
  toLocalInput,
} from './auditFilter';

const pageSize = 100;
const errorMessage = (error: unknown) => (error instanceof Error ? error.message : 'unexpected error');
const emptyRows: AuditEvent[] = [];
const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 } as const;

/**
 * The audit trail: every recorded event, newest first, filtered by actor, action (exact or a
 * prefix), entity and time, loaded page by page (keyset), with the chain's verification on
 * demand. The filter lives in the URL.
 */
export const AuditExplorer = () => {
  const location = useLocation();
  const navigate = useNavigate();
  const filter = useMemo(() => readAuditFilter(location.search), [location.search]);
  const setFilter = (next: AuditFilter) => navigate({ pathname: location.pathname, search: auditFilterSearch(next) });

  return (
    <Box sx={{ mt: 2 }}>
      <Title title="Audit trail" />
      <Card>
        <AuditFilters filter={filter} onChange={setFilter} />
        <VerifyChain />
        <AuditGrid filter={filter} />
      </Card>
    </Box>
  );
};

const textFields: {
  key: Exclude<AuditFilterKey, 'from' | 'to' | 'order'>;
  label: string;
  width: number;
  helper?: string;
  testId?: string;
}[] = [
  { key: 'actor', label: 'Actor', width: 210, helper: 'Email, staff id or system' },
  {
    key: 'action',
    label: 'Action',
    width: 200,
    helper: 'Exact, or prefix: auth. / auth*',
    testId: 'audit-filter-action',
  },
  { key: 'entityType', label: 'Entity type', width: 130 },
  { key: 'entityId', label: 'Entity id', width: 240 },
];

/** Text filters apply on Enter (or Apply); times and order apply at once. */
const AuditFilters = ({ filter, onChange }: { filter: AuditFilter; onChange: (next: AuditFilter) => void }) => {
  const [draft, setDraft] = useState<AuditFilter>(filter);
  // Back/forward or a pasted URL: the fields follow the page.
  useEffect(() => setDraft(filter), [filter]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft);
  };
  const setTime = (key: 'from' | 'to', value: string) => onChange({ ...draft, [key]: fromLocalInput(value) });

  return (
    <Box
      component="form"
      onSubmit={submit}
      aria-label="Filter the audit trail"
      sx={{
        display: 'flex',
        flexWrap: 'wrap',
        alignItems: 'flex-start',
        gap: 1,
        px: 1.5,
        pt: 1.75,
        pb: 1,
        borderBottom: 1,
        borderColor: 'divider',
      }}
    >
      {textFields.map(({ key, label, width, helper, testId }) => (
        <TextField
          key={key}
          label={label}
          value={draft[key] ?? ''}
          onChange={(event) => setDraft({ ...draft, [key]: event.target.value || undefined })}
          helperText={helper}
          sx={{ width }}
          slotProps={{
            inputLabel: { shrink: true },
            htmlInput: { 'data-testid': testId ?? `audit-filter-${key}`, spellCheck: false },
          }}
        />
      ))}
      <TextField
        label="From"
        type="datetime-local"
        value={toLocalInput(filter.from)}
        onChange={(event) => setTime('from', event.target.value)}
        sx={{ width: 190 }}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'audit-filter-from' } }}
      />
      <TextField
        label="To (before)"
        type="datetime-local"
        value={toLocalInput(filter.to)}
        onChange={(event) => setTime('to', event.target.value)}
        sx={{ width: 190 }}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'audit-filter-to' } }}
      />
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', minHeight: 40 }}>
        <Button type="submit" variant="contained" size="small" data-testid="audit-filter-apply">
          Apply
        </Button>
        <Button
          size="small"
          onClick={() => onChange({ ...filter, order: filter.order === 'asc' ? undefined : 'asc' })}
          data-testid="audit-order"
        >
          {filter.order === 'asc' ? 'Oldest first' : 'Newest first'}
        </Button>
        <Button
          size="small"
          startIcon={<FilterAltOff />}
          disabled={!isFiltered(filter)}
          onClick={() => onChange({ order: filter.order })}
        >
          Clear
        </Button>
      </Box>
    </Box>
  );
};

/** Checks the whole chain on the server: every row's hash and its link to the row before. */
const VerifyChain = () => {
  const verify = useMutation<AuditVerify, Error>({ mutationFn: verifyAuditChain });
  const result = verify.data;
  return (
    <Box
      sx={{
        display: 'flex',
        flexWrap: 'wrap',
        alignItems: 'center',
        gap: 1.5,
        px: 1.5,
        py: 1,
        borderBottom: 1,
        borderColor: 'divider',
      }}
    >
      <Button
        variant="outlined"
        size="small"
        startIcon={<VerifiedOutlined />}
        onClick={() => verify.mutate()}
        disabled={verify.isPending}
        data-testid="audit-verify"
      >
        {verify.isPending ? 'Verifying…' : 'Verify chain'}
      </Button>
      {verify.error && (
        <Alert severity="error" sx={{ py: 0 }} data-testid="audit-verify-result" data-ok="error">
          The chain could not be verified: {errorMessage(verify.error)}
        </Alert>
      )}
      {result && !verify.isPending && (
        <Alert
          severity={result.ok ? 'success' : 'error'}
          icon={result.ok ? <VerifiedOutlined fontSize="small" /> : <GppBadOutlined fontSize="small" />}
          sx={{ py: 0, alignItems: 'center' }}
          data-testid="audit-verify-result"
          data-ok={String(result.ok)}
          data-first-broken-id={result.firstBrokenId}
        >
          {result.ok ? (
            <>
              Chain intact: {result.checked.toLocaleString()} events checked
              {result.headId && (
                <Box component="span" sx={{ color: 'text.secondary' }}>
                  {' '}
                  · head #{result.headId}{' '}
                  <Box component="span" sx={mono} title={result.headHash ?? undefined}>
                    {result.headHash?.slice(0, 16)}…
                  </Box>
                </Box>
              )}
            </>
          ) : (
            <>
              Chain broken: first broken event <strong>#{result.firstBrokenId}</strong> (
              {result.checked.toLocaleString()} events checked)
            </>
          )}
        </Alert>
      )}
    </Box>
  );
};

const AuditGrid = ({ filter }: { filter: AuditFilter }) => {
  const createPath = useCreatePath();
  const [expanded, setExpanded] = useState<ExpandedState>({});
  const query = useInfiniteQuery({
    queryKey: ['audit-events', filter],
    queryFn: ({ pageParam, signal }) => fetchAuditEvents(filter, pageParam, pageSize, signal),
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
                <TableRow
                  hover
                  tabIndex={0}
                  data-testid="audit-row"
                  data-id={row.original.id}
                  data-action={row.original.action}
                  aria-expanded={row.getIsExpanded()}
                  onClick={() => row.toggleExpanded()}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      row.toggleExpanded();
                    }
                  }}
                  sx={{
                    cursor: 'pointer',
                    '& > td': { py: 0.5, borderBottom: row.getIsExpanded() ? 0 : undefined },
                    '&:focus-visible': { outline: '2px solid', outlineColor: 'primary.main', outlineOffset: -2 },
                  }}
                >
                  {row.getVisibleCells().map((cell) => (
                    <TableCell key={cell.id} sx={{ overflow: 'hidden' }}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </TableCell>
                  ))}
                </TableRow>
                {row.getIsExpanded() && (
                  <TableRow data-testid="audit-row-details" data-id={row.original.id}>
                    <TableCell colSpan={columns.length} sx={{ bgcolor: 'action.hover', pt: 1, pb: 1.5 }}>
                      <EventDetails event={row.original} />
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

const EventDetails = ({ event }: { event: AuditEvent }) => (
  <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: 2 }}>
    <Box>
      <Typography variant="caption" color="text.secondary" component="div">
        Data
      </Typography>
      <Box
        component="pre"
        sx={{ ...mono, m: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
        data-testid="audit-row-data"
      >
        {JSON.stringify(event.data, null, 2)}
      </Box>
    </Box>
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.75 }}>
      <Detail label="At" value={event.at} />
      <Detail label="Actor id" value={event.actorId ?? '—'} />
      {event.applicationId && <Detail label="Case" value={event.applicationId} />}
      <Detail label="Previous hash" value={event.prevHash} testId="audit-row-prev-hash" />
      <Detail label="Hash" value={event.hash} testId="audit-row-hash" />
    </Box>
  </Box>
);

const Detail = ({ label, value, testId }: { label: string; value: string; testId?: string }) => (
  <Box>
    <Typography variant="caption" color="text.secondary" component="div">
      {label}
    </Typography>
    <Box sx={{ ...mono, wordBreak: 'break-all' }} data-testid={testId}>
      {value}
    </Box>
  </Box>
);
