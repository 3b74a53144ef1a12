/**
 * The audit trail's reads, through the one HTTP client (responses checked against their
 * schemas from `@desk/shared`).
 */
import { type AuditEventList, type AuditVerify, auditEventListSchema, auditVerifySchema } from '@desk/shared';
import { HttpError } from 'react-admin';
import { getJson } from '../api/httpClient';
import { type AuditFilter, auditQueryParams } from './auditFilter';

export function fetchAuditEvents(
  filter: AuditFilter,
  cursor: string | null,
  limit: number,
  signal?: AbortSignal,
): Promise<AuditEventList> {
  return getJson(`/api/audit-events?${auditQueryParams(filter, cursor, limit)}`, auditEventListSchema, { signal });
}

export function fetchCaseAuditEvents(
  applicationId: string,
  cursor: string | null,
  limit: number,
  signal?: AbortSignal,
): Promise<AuditEventList> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set('cursor', cursor);
  return getJson(
    `/api/applications/${encodeURIComponent(applicationId)}/audit-events?${params}`,
    auditEventListSchema,
    { signal },
  );
}

export function verifyAuditChain(): Promise<AuditVerify> {
  return getJson('/api/audit-events/verify', auditVerifySchema);
}

/** The printable per-case report (opening it is itself audited). */
export const auditReportUrl = (applicationId: string) =>
  `/api/applications/${encodeURIComponent(applicationId)}/audit-report`;

/** True when the server refused because of who is asking (not signed in, or not allowed). */
export function isAccessDenied(error: unknown): boolean {
  return error instanceof HttpError && (error.status === 401 || error.status === 403);
}

/** Retry what may pass next time (network, 5xx); never a refusal or a bad request. */
export function retryTransient(failures: number, error: unknown): boolean {
  if (error instanceof HttpError && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}
