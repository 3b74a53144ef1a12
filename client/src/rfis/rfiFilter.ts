/**
 * The RFI queue's filter: how it is kept in react-admin's list state (and so in the URL), and
 * how it becomes the query string of `GET /api/rfis`. Filter values come back as untrusted
 * JSON from the URL, so they are read defensively.
 */
import { answerableRfiStatuses, type Provider, providerSchema, type RfiStatus, rfiStatuses } from '@desk/shared';

/** "Due before" choices: end of today, end of the day in 3 days, in 7 days. */
export const dueWithinChoices = [0, 3, 7] as const;
export type DueWithin = (typeof dueWithinChoices)[number];

export const dueWithinLabels: Record<DueWithin, string> = { 0: 'Today', 3: 'In 3 days', 7: 'In 7 days' };

/** The statuses shown when the URL names none. */
export const defaultRfiStatuses: readonly RfiStatus[] = answerableRfiStatuses;

export interface RfiFilter {
  status: RfiStatus[];
  provider: Provider | null;
  /** `none` = unassigned, otherwise a staff id. */
  assignee: string | null;
  dueWithin: DueWithin | null;
  /** Only the RFIs of one case (the case page). */
  applicationId: string | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidOrNull(raw: unknown): string | null {
  return typeof raw === 'string' && uuidPattern.test(raw) ? raw : null;
}

function field(raw: unknown, name: string): unknown {
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[name] : undefined;
}

function statusesOf(raw: unknown): RfiStatus[] {
  const items = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return rfiStatuses.filter((status) => items.includes(status));
}

export function readRfiFilter(raw: unknown): RfiFilter {
  const status = statusesOf(field(raw, 'status'));
  const provider = providerSchema.safeParse(field(raw, 'provider'));
  const assignee = field(raw, 'assignee');
  const dueWithin = Number(field(raw, 'dueWithin') ?? Number.NaN);
  return {
    status: status.length > 0 ? status : [...defaultRfiStatuses],
    provider: provider.success ? provider.data : null,
    assignee: assignee === 'none' ? 'none' : uuidOrNull(assignee),
    dueWithin: dueWithinChoices.find((n) => n === dueWithin) ?? null,
    applicationId: uuidOrNull(field(raw, 'applicationId')),
  };
}

/** The filter as stored in react-admin's list state; the default status is left out. */
export function toRfiFilterValues(filter: RfiFilter): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const isDefault =
    filter.status.length === defaultRfiStatuses.length && filter.status.every((s) => defaultRfiStatuses.includes(s));
  if (!isDefault && filter.status.length > 0) values.status = filter.status;
  if (filter.provider !== null) values.provider = filter.provider;
  if (filter.assignee !== null) values.assignee = filter.assignee;
  if (filter.dueWithin !== null) values.dueWithin = filter.dueWithin;
  if (filter.applicationId !== null) values.applicationId = filter.applicationId;
  return values;
}

/** End of the local day `days` from now: stable all day, so pages of one query agree. */
export function dueBeforeFor(days: DueWithin, now: number = Date.now()): string {
  const end = new Date(now);
  end.setHours(24, 0, 0, 0);
  end.setDate(end.getDate() + days);
  return end.toISOString();
}

export function rfiQueryParams(filter: RfiFilter, limit: number, cursor: string | undefined): URLSearchParams {
  const params = new URLSearchParams();
  for (const status of filter.status) params.append('status', status);
  if (filter.provider !== null) params.set('provider', filter.provider);
  if (filter.assignee !== null) params.set('assignee', filter.assignee);
  if (filter.dueWithin !== null) params.set('dueBefore', dueBeforeFor(filter.dueWithin));
  if (filter.applicationId !== null) params.set('applicationId', filter.applicationId);
  params.set('limit', String(limit));
  if (cursor !== undefined) params.set('cursor', cursor);
  return params;
}
