/**
 * The case's calls beyond reading it: the queue's counts, provider actions (upload, re-apply,
 * refresh, retry) and the review outcome. Typed data-provider methods (views reach them through
 * `useDataProvider<DeskDataProvider>()`), each one call of the route table.
 */
import type {
  ApplicationStats,
  DocumentDetailKey,
  DocumentType,
  NewOutcome,
  Outcome,
  ProviderAction,
} from '@desk/shared';
import { HttpError, type Identifier } from 'react-admin';
import { callApi, searchParamsOf } from '../api/callApi';
import { type ApplicationFilter, statsQuery } from './applicationFilter';

export interface ApplicationStatsResult {
  stats: ApplicationStats;
  /** False when the server would not narrow the counts by the queue's filter: they cover everything. */
  filtered: boolean;
}

export interface DocumentUpload {
  type: DocumentType;
  file: File;
  /** Details the provider requires with this type (document number, issuing country, issue date, expiry date). */
  details?: Partial<Record<DocumentDetailKey, string>>;
}

/** The details worth sending: trimmed, blanks left out. */
function detailFields(details: Partial<Record<DocumentDetailKey, string>>): Partial<Record<DocumentDetailKey, string>> {
  const fields: Partial<Record<DocumentDetailKey, string>> = {};
  for (const [key, value] of Object.entries(details) as [DocumentDetailKey, string | undefined][]) {
    const trimmed = value?.trim() ?? '';
    if (trimmed !== '') fields[key] = trimmed;
  }
  return fields;
}

const id = (applicationId: Identifier) => ({ id: String(applicationId) });

export const applicationsApi = {
  /** Counts per stage, flag and age for the queue's filter, stage left out so every stage chip has its count. */
  async getApplicationStats(filter: ApplicationFilter, signal?: AbortSignal): Promise<ApplicationStatsResult> {
    const query = statsQuery(filter);
    const unfiltered = () => callApi('getApplicationStats', { signal });
    if ([...searchParamsOf(query).keys()].length === 0) return { stats: await unfiltered(), filtered: true };
    try {
      return { stats: await callApi('getApplicationStats', { query, signal }), filtered: true };
    } catch (error) {
      // The stats route is only required to count everything; narrowing by filter is a bonus.
      if (!(error instanceof HttpError) || error.status !== 400) throw error;
      return { stats: await unfiltered(), filtered: false };
    }
  },

  /** Queue a document for delivery to the application's provider (202: the action, queued). */
  uploadDocument(applicationId: Identifier, { type, file, details = {} }: DocumentUpload): Promise<ProviderAction> {
    return callApi('uploadDocument', {
      params: id(applicationId),
      body: { fields: { type, ...detailFields(details) }, files: { file } },
    });
  },

  /** Ask the provider to look at the application again; 409 says why it will not. */
  reapplyApplication: (applicationId: Identifier): Promise<ProviderAction> =>
    callApi('reapplyApplication', { params: id(applicationId) }),

  /** Fetch the provider's current view of the application (status, flags, documents). */
  refreshApplication: (applicationId: Identifier): Promise<ProviderAction> =>
    callApi('refreshApplication', { params: id(applicationId) }),

  /** Try again an action the worker gave up on. */
  retryProviderAction: (applicationId: Identifier, actionId: string): Promise<ProviderAction> =>
    callApi('retryProviderAction', { params: { id: String(applicationId), actionId } }),

  /** Record an internal review outcome; 409 when the case changed, 403 under the four-eyes rule. */
  recordOutcome: (applicationId: Identifier, outcome: NewOutcome): Promise<Outcome> =>
    callApi('recordOutcome', { params: id(applicationId), body: outcome }),
};

export type ApplicationsApi = typeof applicationsApi;
