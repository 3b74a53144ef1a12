/**
 * An export goes straight to disk: the browser downloads it from its address like any file
 * (`Content-Disposition: attachment`, the session cookie sent with it), so the page never holds
 * it — a 5-million-row file is as safe as a small one. The page then finds the run the server
 * recorded for it and shows its manifest: rows, bytes and the SHA-256 the server computed while
 * sending, for the auditor to check the saved file against (`sha256sum <file>`).
 */
import type { ExportManifest } from '@desk/shared';
import type { DeskDataProvider } from '../dataProvider';
import { type ExportRequest, exportUrl } from './exportsApi';

/** How long to wait for the server to record the run after the browser asked for the file. */
const runAppearsWithinMs = 60_000;
const pollEveryMs = 1_000;

/** Hands the export's address to the browser as a download (no `Blob`: the browser streams it to disk). */
export function startBrowserDownload(request: ExportRequest): void {
  const link = document.createElement('a');
  link.href = exportUrl(request);
  // Empty: the browser saves under the name the server gives (`Content-Disposition`).
  link.download = '';
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = window.setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        window.clearTimeout(timer);
        reject(new DOMException('Stopped', 'AbortError'));
      },
      { once: true },
    );
  });
}

/** The ids of the runs the server lists now (the newest page), to tell the new one apart. */
export async function knownRunIds(dataProvider: DeskDataProvider, signal: AbortSignal): Promise<Set<string>> {
  const page = await dataProvider.listExportRuns(50, null, signal);
  return new Set(page.data.map((run) => run.id));
}

function isRunOf(run: ExportManifest, request: ExportRequest, requestedBy: string): boolean {
  return (
    run.kind === request.kind &&
    run.format === request.format &&
    run.spreadsheetSafe === (request.format === 'csv' && request.spreadsheetSafe) &&
    run.requestedBy === requestedBy
  );
}

/**
 * Follows the run the download started: found among the runs listed (one not known before,
 * of this request, by this member), then its manifest until it is settled. `onRun` is told of
 * each state seen.
 */
export async function followRun(
  dataProvider: DeskDataProvider,
  request: ExportRequest,
  requestedBy: string,
  before: ReadonlySet<string>,
  signal: AbortSignal,
  onRun: (run: ExportManifest) => void,
): Promise<ExportManifest | null> {
  const giveUpAt = Date.now() + runAppearsWithinMs;
  let run: ExportManifest | undefined;
  while (!run) {
    const page = await dataProvider.listExportRuns(50, null, signal);
    run = page.data.find((r) => !before.has(r.id) && isRunOf(r, request, requestedBy));
    if (run) break;
    if (Date.now() > giveUpAt) return null;
    await pause(pollEveryMs, signal);
  }
  onRun(run);
  while (run.state === 'running') {
    await pause(pollEveryMs, signal);
    run = await dataProvider.getExportManifest(run.id, signal);
    onRun(run);
  }
  return run;
}
