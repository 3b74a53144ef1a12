/**
 * Exports: past runs and manifests, and the export itself, whose answer is a stream handed back
 * as the `Response` (see `exportDownload.ts`, which reads it chunk by chunk so the page can show
 * progress on any size). Typed data-provider methods (views reach them through
 * `useDataProvider<DeskDataProvider>()`).
 */
import {
  type ExportFormat,
  type ExportKind,
  type ExportManifest,
  type ExportRunList,
  matchRoute,
  type Provider,
} from '@desk/shared';
import { type ApiQuery, callApi } from '../api/callApi';

export type ExportRequest = {
  kind: ExportKind;
  format: ExportFormat;
  /** `YYYY-MM-DD` (midnight UTC), inclusive. */
  from: string;
  /** `YYYY-MM-DD` (midnight UTC), exclusive. */
  to: string;
  /** '' for every provider. */
  provider: Provider | '';
  applicationId: string;
  agreementVersion: string;
  /** CSV only: formula-like cells prefixed with `'` (`spreadsheetSafe=true`). */
  spreadsheetSafe: boolean;
};

/** What both exports take: the format, the time window, the provider and the spreadsheet-safe variant. */
function windowQuery(request: ExportRequest) {
  return {
    format: request.format,
    from: request.from || undefined,
    to: request.to || undefined,
    provider: request.provider || undefined,
  };
}

function spreadsheetSafeQuery(request: ExportRequest): { spreadsheetSafe?: 'true' } {
  return request.format === 'csv' && request.spreadsheetSafe ? { spreadsheetSafe: 'true' } : {};
}

function statusHistoryQuery(request: ExportRequest): ApiQuery<'exportStatusHistory'> {
  const applicationId = request.applicationId.trim();
  return { ...windowQuery(request), applicationId: applicationId || undefined, ...spreadsheetSafeQuery(request) };
}

function consentsQuery(request: ExportRequest): ApiQuery<'exportConsents'> {
  const agreementVersion = request.agreementVersion.trim();
  return { ...windowQuery(request), agreementVersion: agreementVersion || undefined, ...spreadsheetSafeQuery(request) };
}

/**
 * The export a manifest link names (`Link: <…>; rel="describedby"`), read through the route
 * table so the link is never taken apart by hand.
 */
export function exportIdOfManifestLink(path: string): string | null {
  const match = matchRoute('GET', path);
  return match?.kind === 'route' && match.name === 'getExportManifest' ? (match.params.id ?? null) : null;
}

export const exportsApi = {
  /** A page of past runs, newest first; `cursor` (a page's `nextCursor`) asks for the older ones after it. */
  listExportRuns: (limit: number, cursor: string | null, signal?: AbortSignal): Promise<ExportRunList> =>
    callApi('listExports', { query: { limit, cursor: cursor || undefined }, signal }),

  /** What a downloaded export is checked against: rows, bytes, SHA-256, chain head. */
  getExportManifest: (exportId: string, signal?: AbortSignal): Promise<ExportManifest> =>
    callApi('getExportManifest', { params: { id: exportId }, signal }),

  /** Starts the export: the answer's body is the file, streamed; its headers name the run and its manifest. */
  exportRows: (request: ExportRequest, signal: AbortSignal): Promise<Response> =>
    request.kind === 'status_history'
      ? callApi('exportStatusHistory', { query: statusHistoryQuery(request), signal })
      : callApi('exportConsents', { query: consentsQuery(request), signal }),
};

export type ExportsApi = typeof exportsApi;
