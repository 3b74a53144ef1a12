/**
 * Reading an export as it streams in: bytes and rows counted chunk by chunk (the page shows
 * progress on any size), the file named as the server names it, the run and its manifest
 * found from the answer's headers; then handing the file to the browser and hashing it to
 * check against the manifest.
 */
import type { ExportFormat } from '@desk/shared';
import { apiError } from '../api/apiErrors';
import { type ExportRequest, exportIdOfManifestLink } from './exportsApi';

export type DownloadProgress = { bytes: number; rows: number };

export type DownloadResult = {
  blob: Blob;
  fileName: string;
  /** The run (from `X-Export-Id`, or the manifest the `Link: <...>; rel="describedby"` header names). */
  exportId: string | null;
  progress: DownloadProgress;
};

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

function manifestLinkOf(link: string | null): string | null {
  const match = link ? /<([^>]+)>;\s*rel="describedby"/.exec(link) : null;
  return match?.[1] ?? null;
}

function exportIdOf(response: Response): string | null {
  const link = manifestLinkOf(response.headers.get('link'));
  return response.headers.get('x-export-id') ?? (link === null ? null : exportIdOfManifestLink(link));
}

/** Reads the export's answer to the end, reporting progress after each chunk. */
export async function readExport(
  response: Response,
  request: ExportRequest,
  onProgress: (progress: DownloadProgress) => void,
): Promise<DownloadResult> {
  if (!response.body)
    throw apiError(response.status, { message: 'The server sent no file.', code: 'unexpected_response' });
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
    exportId: exportIdOf(response),
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
