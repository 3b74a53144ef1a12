/**
 * Exports: past runs and manifests through the one HTTP client; the download itself is a
 * streamed `fetch` read chunk by chunk, so the page can show progress on any size.
 */
import {
  type ExportFormat,
  type ExportKind,
  type ExportManifest,
  type ExportRunList,
  errorBodySchema,
  exportManifestSchema,
  exportRunListSchema,
} from '@desk/shared';
import { getJson } from '../api/httpClient';

/** A page of past runs, newest first; `cursor` (a page's `nextCursor`) asks for the older ones after it. */
export function fetchExportRuns(limit: number, cursor: string | null, signal?: AbortSignal): Promise<ExportRunList> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set('cursor', cursor);
  return getJson(`/api/exports?${params}`, exportRunListSchema, { signal });
}

export function fetchManifest(idOrPath: string, signal?: AbortSignal): Promise<ExportManifest> {
  const path = idOrPath.startsWith('/') ? idOrPath : `/api/exports/${encodeURIComponent(idOrPath)}/manifest`;
  return getJson(path, exportManifestSchema, { signal });
}

export type ExportRequest = {
  kind: ExportKind;
  format: ExportFormat;
  /** `YYYY-MM-DD` (midnight UTC), inclusive. */
  from: string;
  /** `YYYY-MM-DD` (midnight UTC), exclusive. */
  to: string;
  provider: string;
  applicationId: string;
  agreementVersion: string;
  /** CSV only: formula-like cells prefixed with `'` (`spreadsheetSafe=true`). */
  spreadsheetSafe: boolean;
};

export function exportPath(request: ExportRequest): string {
  const params = new URLSearchParams({ format: request.format });
  if (request.from) params.set('from', request.from);
  if (request.to) params.set('to', request.to);
  if (request.provider) params.set('provider', request.provider);
  if (request.kind === 'status_history' && request.applicationId.trim())
    params.set('applicationId', request.applicationId.trim());
  if (request.kind === 'consents' && request.agreementVersion.trim())
    params.set('agreementVersion', request.agreementVersion.trim());
  if (request.format === 'csv' && request.spreadsheetSafe) params.set('spreadsheetSafe', 'true');
  return `/api/exports/${request.kind === 'status_history' ? 'status-history' : 'consents'}?${params}`;
}

export type DownloadProgress = { bytes: number; rows: number };

export type DownloadResult = {
  blob: Blob;
  fileName: string;
  exportId: string | null;
  /** Where the manifest is (from the `Link: <...>; rel="describedby"` header). */
  manifestPath: string | null;
  progress: DownloadProgress;
};

/** A refusal from the server, with its field errors when it named any. */
export class ExportRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: Record<string, string[]> = {},
  ) {
    super(message);
    this.name = 'ExportRequestError';
  }
}

/** Counts rows as they stream: line ends outside quotes (CSV, less its header) or lines (NDJSON). */
function rowCounter(format: ExportFormat) {
  let inQuotes = false;
  let lines = 0;
  return {
    push(chunk: Uint8Array) {
      for (const byte of chunk) {
        if (byte === 0x22 && format === 'csv') inQuotes = !inQuotes;
        else if (byte === 0x0a && !inQuotes) lines += 1;
      }
    },
    rows: () => (format === 'csv' ? Math.max(0, lines - 1) : lines),
  };
}

function fileNameOf(disposition: string | null, fallback: string): string {
  const match = disposition ? /filename="([^"]+)"/.exec(disposition) : null;
  return match?.[1] ?? fallback;
}

/** `status-history-2026-05-01.csv` → `status-history-2026-05-01-spreadsheet-safe.csv`, so the two files are never confused. */
function spreadsheetSafeName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? `${fileName.slice(0, dot)}-spreadsheet-safe${fileName.slice(dot)}` : `${fileName}-spreadsheet-safe`;
}

function manifestPathOf(link: string | null): string | null {
  const match = link ? /<([^>]+)>;\s*rel="describedby"/.exec(link) : null;
  return match?.[1] ?? null;
}

export async function downloadExport(
  request: ExportRequest,
  onProgress: (progress: DownloadProgress) => void,
  signal: AbortSignal,
): Promise<DownloadResult> {
  const response = await fetch(exportPath(request), { credentials: 'same-origin', signal });
  if (!response.ok) {
    const parsed = errorBodySchema.safeParse(await response.json().catch(() => null));
    if (parsed.success) throw new ExportRequestError(parsed.data.message, response.status, parsed.data.errors ?? {});
    throw new ExportRequestError(`The server answered ${response.status}.`, response.status);
  }
  if (!response.body) throw new ExportRequestError('The server sent no file.', response.status);
  const counter = rowCounter(request.format);
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.length;
    counter.push(value);
    onProgress({ bytes, rows: counter.rows() });
  }
  const type = request.format === 'csv' ? 'text/csv' : 'application/x-ndjson';
  const stem = request.kind === 'status_history' ? 'status-history' : 'consents';
  const fileName = fileNameOf(response.headers.get('content-disposition'), `${stem}.${request.format}`);
  return {
    blob: new Blob(chunks, { type }),
    fileName: request.format === 'csv' && request.spreadsheetSafe ? spreadsheetSafeName(fileName) : fileName,
    exportId: response.headers.get('x-export-id'),
    manifestPath: manifestPathOf(response.headers.get('link')),
    progress: { bytes, rows: counter.rows() },
  };
}

/** Hands the file to the browser as a download. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** SHA-256 (hex) of what was downloaded, to check against the manifest. */
export async function sha256Of(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
