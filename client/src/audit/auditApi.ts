/**
 * The audit trail's reads: the whole trail (filtered, keyset-paged), one case's events, and the
 * chain's verification. Typed data-provider methods (views reach them through
 * `useDataProvider<DeskDataProvider>()`).
 */
import type { AuditEventList, AuditVerify } from '@desk/shared';
import { callApi } from '../api/callApi';
import { type AuditFilter, auditQuery } from './auditFilter';

export const auditApi = {
  /** A page of the trail under the filter; `cursor` is the `nextCursor` of the page before. */
  listAuditEvents: (
    filter: AuditFilter,
    cursor: string | null,
    limit: number,
    signal?: AbortSignal,
  ): Promise<AuditEventList> => callApi('listAuditEvents', { query: auditQuery(filter, cursor, limit), signal }),

  /** A page of one case's events, oldest first. */
  listApplicationAuditEvents: (
    applicationId: string,
    cursor: string | null,
    limit: number,
    signal?: AbortSignal,
  ): Promise<AuditEventList> =>
    callApi('listApplicationAuditEvents', {
      params: { id: applicationId },
      query: { limit, cursor: cursor || undefined },
      signal,
    }),

  /** Checks the whole hash chain on the server and names the first row that does not hold. */
  verifyAuditChain: (): Promise<AuditVerify> => callApi('verifyAuditChain'),
};

export type AuditApi = typeof auditApi;
