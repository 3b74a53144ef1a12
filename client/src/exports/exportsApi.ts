/**
 * Exports: past runs and manifests, and the export itself, which the browser downloads straight
 * to disk from its address (`exportUrl`; see `exportDownload.ts`): the page never holds the file.
 * Typed data-provider methods (views reach them through `useDataProvider<DeskDataProvider>()`).
 */
import {
  type ExportFormat,
  type ExportKind,
  type ExportManifest,
  type ExportRunList,
  matchRoute,
  type Provider,
  routes,
} from '@desk/shared';
import { apiError, errorFromResponse } from '../api/apiErrors';
import { type ApiQuery, callApi, routeUrl } from '../api/callApi';

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

  /**
   * Asks the server whether it would give this export now (`HEAD`: no run, no bytes), so a
   * refusal — the session ended, the role may not export — is said on the page rather than
   * as a failed download.
   */
  checkExport: async (request: ExportRequest, signal?: AbortSignal): Promise<void> => {
    let response: Response;
    try {
      response = await fetch(exportUrl(request), {
        method: 'HEAD',
        credentials: 'same-origin',
        signal: signal ?? null,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw apiError(0, { message: 'The desk server cannot be reached.', code: 'network' });
    }
    if (!response.ok) throw errorFromResponse(response, null);
  },
};

/** The export's address: what the browser downloads (the session cookie goes with it). */
export function exportUrl(request: ExportRequest): string {
  return request.kind === 'status_history'
    ? routeUrl('exportStatusHistory', { query: statusHistoryQuery(request) })
    : routeUrl('exportConsents', { query: consentsQuery(request) });
}

/**
 * What the server would refuse in this export's query, by field, read with the route's own
 * schema — checked before the download starts, since a download shows no answer's body.
 */
export function exportProblems(request: ExportRequest): Record<string, string[]> {
  const parsed =
    request.kind === 'status_history'
      ? routes.exportStatusHistory.query.safeParse(statusHistoryQuery(request))
      : routes.exportConsents.query.safeParse(consentsQuery(request));
  const problems: Record<string, string[]> = {};
  for (const issue of parsed.error?.issues ?? []) {
    const field = String(issue.path[0] ?? '(query)');
    problems[field] = [...(problems[field] ?? []), issue.message];
  }
  return problems;
}

export type ExportsApi = typeof exportsApi;
