/**
 * The audit explorer's filter, kept in the page URL (`#/audit?action=auth.&actor=…`) so a view
 * can be shared and survives a reload. Values go to the server as they are; it names anything
 * it cannot use.
 */
import type { ApiQuery } from '../api/callApi';

export const auditFilterKeys = ['actor', 'action', 'entityType', 'entityId', 'from', 'to', 'order'] as const;
export type AuditFilterKey = (typeof auditFilterKeys)[number];
export type AuditFilter = Partial<Record<AuditFilterKey, string>>;

export function readAuditFilter(search: string): AuditFilter {
  const params = new URLSearchParams(search);
  const filter: AuditFilter = {};
  for (const key of auditFilterKeys) {
    const value = params.get(key)?.trim();
    if (value) filter[key] = value;
  }
  if (filter.order !== undefined && filter.order !== 'asc') delete filter.order;
  return filter;
}

/** `?key=value…` for the page URL ('' when nothing is filtered). */
export function auditFilterSearch(filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const key of auditFilterKeys) {
    const value = filter[key]?.trim();
    if (value) params.set(key, value);
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** The filter as the trail's query, with the page asked for. */
export function auditQuery(filter: AuditFilter, cursor: string | null, limit: number): ApiQuery<'listAuditEvents'> {
  const value = (key: Exclude<AuditFilterKey, 'order'>) => filter[key]?.trim() || undefined;
  return {
    actor: value('actor'),
    action: value('action'),
    entityType: value('entityType'),
    entityId: value('entityId'),
    from: value('from'),
    to: value('to'),
    order: filter.order?.trim() === 'asc' ? 'asc' : undefined,
    limit,
    cursor: cursor || undefined,
  };
}

export function isFiltered(filter: AuditFilter): boolean {
  return auditFilterKeys.some((key) => key !== 'order' && filter[key] !== undefined);
}

/** An ISO instant as a `datetime-local` input shows it (the reader's time zone). */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A `datetime-local` value (the reader's time zone) as an ISO instant. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
