/**
 * Auditor exports: pick what to export and how; the browser downloads the file straight to disk
 * (its own download shows the progress), and the page follows the run the server records until
 * its manifest is settled (row count, SHA-256, the audit chain's head when it began) to check the
 * saved file against. Past runs are listed below with their manifests.
 */

import type { ExportManifest } from '@desk/shared';
import DownloadIcon from '@mui/icons-material/Download';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { HttpError, Title, useDataProvider } from 'react-admin';
import { fieldErrorsOf } from '../api/apiErrors';
import { useDeskIdentity } from '../auth/useDeskIdentity';
import { DateTime } from '../common/DateTime';
import { formatBytes } from '../common/formatBytes';
import type { DeskDataProvider } from '../dataProvider';
import { ExportForm } from './ExportForm';
import { followRun, knownRunIds, startBrowserDownload } from './exportDownload';
import { thousands } from './exportLabels';
import { type ExportRequest, exportProblems } from './exportsApi';
import { ManifestCard } from './ManifestCard';
import { PastExports, pastExportsQueryKey } from './PastExports';

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
  | { state: 'running'; run: ExportManifest | null }
  | { state: 'failed'; message: string; errors: Record<string, string[]>; run?: ExportManifest }
  | { state: 'done'; manifest: ExportManifest };

export const ExportsPage = () => {
  const [request, setRequest] = useState<ExportRequest>(emptyRequest);
  const [download, setDownload] = useState<Download>({ state: 'idle' });
  const [selectedRun, setSelectedRun] = useState<string | null>(null);
  const following = useRef<AbortController | null>(null);
  const queryClient = useQueryClient();
  const dataProvider = useDataProvider<DeskDataProvider>();
  const { identity } = useDeskIdentity();
  const busy = download.state === 'running';
  const errors = download.state === 'failed' ? download.errors : {};

  useEffect(() => () => following.current?.abort(), []);

  const change = (patch: Partial<ExportRequest>) => {
    setRequest((current) => ({ ...current, ...patch }));
    if (download.state === 'failed') setDownload({ state: 'idle' });
  };

  const start = async () => {
    const problems = exportProblems(request);
    if (Object.keys(problems).length > 0) {
      const details = Object.entries(problems).map(([field, messages]) => `${field} ${messages.join('; ')}`);
      setDownload({ state: 'failed', message: `Check the export: ${details.join(', ')}.`, errors: problems });
      return;
    }
    if (!identity) return;
    following.current?.abort();
    const controller = new AbortController();
    following.current = controller;
    setDownload({ state: 'running', run: null });
    try {
      await dataProvider.checkExport(request, controller.signal);
      const before = await knownRunIds(dataProvider, controller.signal);
      startBrowserDownload(request);
      const run = await followRun(dataProvider, request, identity.email, before, controller.signal, (seen) => {
        setDownload({ state: 'running', run: seen });
        if (seen.state !== 'running') void queryClient.invalidateQueries({ queryKey: pastExportsQueryKey });
      });
      if (!run) {
        setDownload({
          state: 'failed',
          message:
            "The server recorded no export for this download; see your browser's downloads and the past exports.",
          errors: {},
        });
      } else if (run.state === 'complete') {
        setDownload({ state: 'done', manifest: run });
      } else {
        setDownload({
          state: 'failed',
          message: 'The export stopped before its end (the download was interrupted or the database failed).',
          errors: {},
          run,
        });
      }
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      if (error instanceof HttpError) {
        setDownload({ state: 'failed', message: error.message, errors: fieldErrorsOf(error) });
      } else {
        setDownload({
          state: 'failed',
          message: error instanceof Error ? error.message : 'The download failed.',
          errors: {},
        });
      }
    } finally {
      if (following.current === controller) following.current = null;
      void queryClient.invalidateQueries({ queryKey: pastExportsQueryKey });
    }
  };

  return (
    <Box sx={{ mt: 2 }}>
      <Title title="Exports" />
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        Exports
      </Typography>
      <Card variant="outlined">
        <CardContent>
          <Typography variant="h6" component="h2" gutterBottom>
            New export
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            Status history: one row per status change, oldest first. Consents: one row per application, with the
            agreement version consented to and whether it was the latest at the time. Exports are in UTC: the dates
            below are UTC days (the first included, the second not), every time in the file is UTC, and so is the time
            in its name. Your browser saves the file straight to disk, whatever its size; every export is recorded in
            the audit trail with a manifest to check the file against.
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
          </Stack>
          {download.state === 'running' && (
            <Box sx={{ mt: 2 }} data-testid="export-progress" data-state="running" role="status">
              <LinearProgress aria-label="Export running" />
              <Typography variant="body2" sx={{ mt: 0.5 }}>
                {download.run ? (
                  <>
                    Your browser is saving <b>{download.run.fileName}</b> (started{' '}
                    <DateTime value={download.run.startedAt} />
                    ); its downloads show the progress. The manifest follows when the last row is sent.
                  </>
                ) : (
                  'Starting the export…'
                )}
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
              <Typography variant="body2" data-testid="export-progress" data-state="done" role="status">
                Sent <b data-testid="export-file-name">{download.manifest.fileName}</b>:{' '}
                {download.manifest.byteCount === null ? '' : `${formatBytes(download.manifest.byteCount)} · `}
                {download.manifest.rowCount === null ? '' : `${thousands(download.manifest.rowCount)} rows`}.
              </Typography>
              <ManifestCard manifest={download.manifest} />
            </Box>
          )}
        </CardContent>
      </Card>
      <PastExports selected={selectedRun} select={setSelectedRun} />
    </Box>
  );
};
