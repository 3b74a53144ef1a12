/**
 * Auditor exports: pick what to export and how, download it with live progress, then check the
 * file against its manifest (row count, SHA-256, the audit chain's head when it began). Past
 * runs are listed below with their manifests.
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
import { useRef, useState } from 'react';
import { HttpError, Title, useDataProvider } from 'react-admin';
import { fieldErrorsOf } from '../api/apiErrors';
import { formatBytes } from '../common/formatBytes';
import type { DeskDataProvider } from '../dataProvider';
import { ExportForm } from './ExportForm';
import { type DownloadProgress, readExport, saveBlob, sha256Of } from './exportDownload';
import { thousands } from './exportLabels';
import type { ExportRequest } from './exportsApi';
import { ManifestCard } from './ManifestCard';
import { PastExports, pastExportsQueryKey } from './PastExports';

/** Files larger than this are not hashed again in the browser (it would hold them twice). */
const maxLocalHashBytes = 256 * 2 ** 20;

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

export const ExportsPage = () => {
  const [request, setRequest] = useState<ExportRequest>(emptyRequest);
  const [download, setDownload] = useState<Download>({ state: 'idle' });
  const [selectedRun, setSelectedRun] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const queryClient = useQueryClient();
  const dataProvider = useDataProvider<DeskDataProvider>();
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
      const response = await dataProvider.exportRows(request, controller.signal);
      const result = await readExport(response, request, (progress) => setDownload({ state: 'running', progress }));
      saveBlob(result.blob, result.fileName);
      const [manifest, localSha256] = await Promise.all([
        result.exportId ? dataProvider.getExportManifest(result.exportId).catch(() => null) : Promise.resolve(null),
        result.blob.size <= maxLocalHashBytes && typeof crypto !== 'undefined' && crypto.subtle
          ? sha256Of(result.blob).catch(() => null)
          : Promise.resolve(null),
      ]);
      setDownload({ state: 'done', progress: result.progress, manifest, localSha256, fileName: result.fileName });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') {
        setDownload({ state: 'failed', message: 'Download cancelled.', errors: {} });
      } else if (error instanceof HttpError) {
        // The message names each refused field; the form shows them beside their inputs too.
        setDownload({ state: 'failed', message: error.message, errors: fieldErrorsOf(error) });
      } else {
        setDownload({
          state: 'failed',
          message: error instanceof Error ? error.message : 'The download failed.',
          errors: {},
        });
      }
    } finally {
      abort.current = null;
      void queryClient.invalidateQueries({ queryKey: pastExportsQueryKey });
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
