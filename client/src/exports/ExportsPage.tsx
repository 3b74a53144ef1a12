/**
 * Auditor exports: pick what to export and how, download it with live progress, then check the
 * file against its manifest (row count, SHA-256, the audit chain's head when it began). Past
 * runs are listed below with their manifests.
 */

import { type ExportFormat, type ExportKind, type ExportManifest, providerLabels, providers } from '@desk/shared';
import CheckCircle from '@mui/icons-material/CheckCircle';
import DownloadIcon from '@mui/icons-material/Download';
import ErrorOutline from '@mui/icons-material/ErrorOutlineOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo, useRef, useState } from 'react';
import { Title } from 'react-admin';
import { DateTime } from '../common/DateTime';
import { formatBytes } from '../common/formatBytes';
import {
  type DownloadProgress,
  downloadExport,
  type ExportRequest,
  ExportRequestError,
  fetchExportRuns,
  fetchManifest,
  saveBlob,
  sha256Of,
} from './exportsApi';

const kindLabels: Record<ExportKind, string> = { status_history: 'Status history', consents: 'Consents' };
const formatLabels: Record<ExportFormat, string> = { csv: 'CSV', ndjson: 'NDJSON (one JSON object per line)' };
const runsQueryKey = ['exports', 'runs'] as const;
const runsPageSize = 50;
/** Files larger than this are not hashed again in the browser (it would hold them twice). */
const maxLocalHashBytes = 256 * 2 ** 20;
const selectProps = { inputLabel: { shrink: true } } as const;

const emptyRequest: ExportRequest = {
  kind: 'status_history',
  format: 'csv',
  from: '',
  to: '',
  provider: '',
  applicationId: '',
  agreementVersion: '',
  spreadsheetSafe: false,
};

type Download =
  | { state: 'idle' }
  | { state: 'running'; progress: DownloadProgress }
  | { state: 'failed'; message: string; errors: Record<string, string[]> }
  | {
      state: 'done';
      progress: DownloadProgress;
      manifest: ExportManifest | null;
      localSha256: string | null;
      fileName: string;
    };

const thousands = (n: number) => n.toLocaleString();

const Field = ({ label, children }: { label: string; children: ReactNode }) => (
  <Box sx={{ display: 'grid', gridTemplateColumns: '11rem 1fr', gap: 1, py: 0.25 }}>
    <Typography variant="body2" color="text.secondary">
      {label}
    </Typography>
    <Box sx={{ typography: 'body2', minWidth: 0, overflowWrap: 'anywhere' }}>{children}</Box>
  </Box>
);

const Mono = ({ children }: { children: ReactNode }) => (
  <Box component="code" sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>
    {children}
  </Box>
);

/** The format as a run shows it: `CSV`, `CSV (spreadsheet-safe)` or `NDJSON`. */
const formatText = (run: Pick<ExportManifest, 'format' | 'spreadsheetSafe'>) =>
  `${run.format.toUpperCase()}${run.spreadsheetSafe ? ' (spreadsheet-safe)' : ''}`;

const filtersText = (filters: Record<string, unknown>) => {
  const entries = Object.entries(filters);
  return entries.length ? entries.map(([k, v]) => `${k}=${String(v)}`).join(', ') : 'none';
};

/** What the manifest certifies, and whether the file in hand matches it. */
export const ManifestCard = ({ manifest, localSha256 }: { manifest: ExportManifest; localSha256?: string | null }) => {
  const matches = localSha256 === undefined || localSha256 === null ? null : localSha256 === manifest.sha256;
  return (
    <Box data-testid="export-manifest" data-export-id={manifest.id} sx={{ mt: 1 }}>
      <Field label="Export">
        <Mono>{manifest.id}</Mono>
      </Field>
      <Field label="What">
        {kindLabels[manifest.kind]} · {formatText(manifest)} · filters: {filtersText(manifest.filters)}
      </Field>
      <Field label="State">
        <Chip
          size="small"
          label={manifest.state}
          color={manifest.state === 'complete' ? 'success' : manifest.state === 'failed' ? 'error' : 'default'}
        />
      </Field>
      <Field label="Requested by">{manifest.requestedBy}</Field>
      <Field label="Started / finished">
        <DateTime value={manifest.startedAt} /> → <DateTime value={manifest.finishedAt} />
      </Field>
      <Field label="Rows">
        <span data-testid="export-manifest-rows">
          {manifest.rowCount === null ? '—' : thousands(manifest.rowCount)}
        </span>
      </Field>
      <Field label="Size">
        {manifest.byteCount === null
          ? '—'
          : `${formatBytes(manifest.byteCount)} (${thousands(manifest.byteCount)} bytes)`}
      </Field>
      <Field label="SHA-256">
        <Mono>
          <span data-testid="export-manifest-sha256">{manifest.sha256 ?? '—'}</span>
        </Mono>
        {matches !== null && (
          <Box
            component="span"
            sx={{
              ml: 1,
              display: 'inline-flex',
              alignItems: 'center',
              gap: 0.5,
              color: matches ? 'success.main' : 'error.main',
            }}
          >
            {matches ? <CheckCircle fontSize="inherit" /> : <ErrorOutline fontSize="inherit" />}
            {matches ? 'matches the downloaded file' : 'does NOT match the downloaded file'}
          </Box>
        )}
      </Field>
      <Field label="Audit chain head">
        {manifest.chainHeadId === null ? (
          'empty chain'
        ) : (
          <>
            #{manifest.chainHeadId} <Mono>{manifest.chainHeadHash}</Mono>
          </>
        )}
      </Field>
    </Box>
  );
};

const ExportForm = ({
  request,
  change,
  errors,
  busy,
}: {
  request: ExportRequest;
  change: (patch: Partial<ExportRequest>) => void;
  errors: Record<string, string[]>;
  busy: boolean;
}) => {
  const error = (field: string) => (errors[field] ? { error: true, helperText: errors[field].join('; ') } : {});
  return (
    <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 1.5, alignItems: 'flex-start' }}>
      <TextField
        select
        label="Export"
        value={request.kind}
        disabled={busy}
        onChange={(event) => change({ kind: event.target.value === 'consents' ? 'consents' : 'status_history' })}
        sx={{ minWidth: 170 }}
        slotProps={{ ...selectProps, htmlInput: { 'data-testid': 'export-kind' } }}
      >
        {(Object.keys(kindLabels) as ExportKind[]).map((kind) => (
          <MenuItem key={kind} value={kind}>
            {kindLabels[kind]}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label="Format"
        value={request.format}
        disabled={busy}
        onChange={(event) => change({ format: event.target.value === 'ndjson' ? 'ndjson' : 'csv' })}
        sx={{ minWidth: 150 }}
        {...error('format')}
        slotProps={{ ...selectProps, htmlInput: { 'data-testid': 'export-format' } }}
      >
        {(Object.keys(formatLabels) as ExportFormat[]).map((format) => (
          <MenuItem key={format} value={format}>
            {formatLabels[format]}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        type="date"
        label={request.kind === 'consents' ? 'Consented from' : 'Changed from'}
        value={request.from}
        disabled={busy}
        onChange={(event) => change({ from: event.target.value })}
        {...error('from')}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'export-from' } }}
      />
      <TextField
        type="date"
        label="Until (not including)"
        value={request.to}
        disabled={busy}
        onChange={(event) => change({ to: event.target.value })}
        {...error('to')}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'export-to' } }}
      />
      <TextField
        select
        label="Provider"
        value={request.provider}
        disabled={busy}
        onChange={(event) => change({ provider: event.target.value })}
        sx={{ minWidth: 140 }}
        {...error('provider')}
        slotProps={{
          select: { displayEmpty: true },
          inputLabel: { shrink: true },
          htmlInput: { 'data-testid': 'export-provider' },
        }}
      >
        <MenuItem value="">All providers</MenuItem>
        {providers.map((provider) => (
          <MenuItem key={provider} value={provider}>
            {providerLabels[provider]}
          </MenuItem>
        ))}
      </TextField>
      {request.kind === 'status_history' ? (
        <TextField
          label="Application id"
          placeholder="any"
          value={request.applicationId}
          disabled={busy}
          onChange={(event) => change({ applicationId: event.target.value })}
          sx={{ minWidth: 320 }}
          {...error('applicationId')}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'export-application-id' } }}
        />
      ) : (
        <TextField
          label="Agreement version"
          placeholder="any"
          value={request.agreementVersion}
          disabled={busy}
          onChange={(event) => change({ agreementVersion: event.target.value })}
          sx={{ minWidth: 160 }}
          {...error('agreementVersion')}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'export-agreement-version' } }}
        />
      )}
      <Box sx={{ flexBasis: '100%' }}>
        <FormControlLabel
          disabled={busy || request.format !== 'csv'}
          control={
            <Checkbox
              size="small"
              checked={request.format === 'csv' && request.spreadsheetSafe}
              onChange={(event) => change({ spreadsheetSafe: event.target.checked })}
              slotProps={{ input: { 'aria-describedby': 'export-spreadsheet-safe-help' } }}
              data-testid="export-spreadsheet-safe"
            />
          }
          label="Safe to open in a spreadsheet"
        />
        <Typography id="export-spreadsheet-safe-help" variant="body2" color="text.secondary" sx={{ ml: 4, mt: -0.5 }}>
          Text starting with =, +, -, @, a tab or a line break gets a ' in front so Excel or Sheets shows it instead of
          running it as a formula; leave it off for the exact bytes of the database.
        </Typography>
        {errors.spreadsheetSafe && (
          <Typography variant="body2" color="error" sx={{ ml: 4 }}>
            {errors.spreadsheetSafe.join('; ')}
          </Typography>
        )}
      </Box>
    </Stack>
  );
};

const PastExports = ({ selected, select }: { selected: string | null; select: (id: string | null) => void }) => {
  const runs = useInfiniteQuery({
    queryKey: runsQueryKey,
    queryFn: ({ pageParam, signal }) => fetchExportRuns(runsPageSize, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    retry: false,
  });
  const shown = useMemo(() => runs.data?.pages.flatMap((p) => p.data) ?? [], [runs.data]);
  const chosen = shown.find((r) => r.id === selected) ?? null;
  return (
    <Card variant="outlined" sx={{ mt: 2 }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
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

export const ExportsPage = () => {
  const [request, setRequest] = useState<ExportRequest>(emptyRequest);
  const [download, setDownload] = useState<Download>({ state: 'idle' });
  const [selectedRun, setSelectedRun] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const queryClient = useQueryClient();
  const busy = download.state === 'running';
  const errors = download.state === 'failed' ? download.errors : {};

  const change = (patch: Partial<ExportRequest>) => {
    setRequest((current) => ({ ...current, ...patch }));
    if (download.state === 'failed') setDownload({ state: 'idle' });
  };

  const start = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setDownload({ state: 'running', progress: { bytes: 0, rows: 0 } });
    try {
      const result = await downloadExport(
        request,
        (progress) => setDownload({ state: 'running', progress }),
        controller.signal,
      );
      saveBlob(result.blob, result.fileName);
      const [manifest, localSha256] = await Promise.all([
        result.manifestPath || result.exportId
          ? fetchManifest(result.manifestPath ?? result.exportId ?? '').catch(() => null)
          : Promise.resolve(null),
        result.blob.size <= maxLocalHashBytes && typeof crypto !== 'undefined' && crypto.subtle
          ? sha256Of(result.blob).catch(() => null)
          : Promise.resolve(null),
      ]);
      setDownload({ state: 'done', progress: result.progress, manifest, localSha256, fileName: result.fileName });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') {
        setDownload({ state: 'failed', message: 'Download cancelled.', errors: {} });
      } else if (error instanceof ExportRequestError) {
        const details = Object.entries(error.errors).flatMap(([field, messages]) =>
          messages.map((m) => `${field} ${m}`),
        );
        setDownload({
          state: 'failed',
          message: details.length ? `${error.message}: ${details.join('; ')}` : error.message,
          errors: error.errors,
        });
      } else {
        setDownload({
          state: 'failed',
          message: error instanceof Error ? error.message : 'The download failed.',
          errors: {},
        });
      }
    } finally {
      abort.current = null;
      void queryClient.invalidateQueries({ queryKey: runsQueryKey });
    }
  };

  return (
    <Box sx={{ mt: 2 }}>
      <Title title="Exports" />
      <Card variant="outlined">
        <CardContent>
          <Typography variant="h6" gutterBottom>
            New export
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            Status history: one row per status change, oldest first. Consents: one row per application, with the
            agreement version consented to and whether it was the latest at the time. Dates are UTC; the first is
            included, the second is not. Every export is recorded in the audit trail with a manifest to check the file
            against.
          </Typography>
          <ExportForm request={request} change={change} errors={errors} busy={busy} />
          <Stack direction="row" sx={{ mt: 2, gap: 1, alignItems: 'center' }}>
            <Button
              variant="contained"
              startIcon={<DownloadIcon />}
              onClick={() => void start()}
              disabled={busy}
              data-testid="export-download"
            >
              Download
            </Button>
            {busy && (
              <Button onClick={() => abort.current?.abort()} data-testid="export-cancel">
                Cancel
              </Button>
            )}
          </Stack>
          {download.state === 'running' && (
            <Box sx={{ mt: 2 }} data-testid="export-progress" data-state="running">
              <LinearProgress />
              <Typography variant="body2" sx={{ mt: 0.5 }}>
                {formatBytes(download.progress.bytes)} · {thousands(download.progress.rows)} rows so far
              </Typography>
            </Box>
          )}
          {download.state === 'failed' && (
            <Alert severity="error" sx={{ mt: 2 }} data-testid="export-error">
              {download.message}
            </Alert>
          )}
          {download.state === 'done' && (
            <Box sx={{ mt: 2 }}>
              <Typography variant="body2" data-testid="export-progress" data-state="done">
                Saved {download.fileName}: {formatBytes(download.progress.bytes)} · {thousands(download.progress.rows)}{' '}
                rows.
              </Typography>
              {download.manifest ? (
                <ManifestCard manifest={download.manifest} localSha256={download.localSha256} />
              ) : (
                <Alert severity="warning" sx={{ mt: 1 }}>
                  The manifest of this export could not be loaded; find it under past exports.
                </Alert>
              )}
            </Box>
          )}
        </CardContent>
      </Card>
      <PastExports selected={selectedRun} select={setSelectedRun} />
    </Box>
  );
};
