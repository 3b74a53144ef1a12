/**
 * The review queue's filter: how it is kept in react-admin's list state (and so in the URL),
 * and how it becomes the query of the queue (`listApplications`) and its counts (`getApplicationStats`).
 *
 * react-admin hands filter values back as parsed JSON from the URL, so they are read
 * defensively: anything that is not a known stage, provider, status or flag is dropped.
 */
import {
  type ApplicationSort,
  applicationSorts,
  type DocumentFlag,
  defaultQueueView,
  documentFlagSchema,
  type Provider,
  type ProviderStatus,
  providerSchema,
  providerStatusSchema,
  type SlaState,
  type SortOrder,
  type Stage,
  slaStates,
  stageSchema,
} from '@desk/shared';
import type { ApiQuery } from '../api/callApi';

/** "Older than N days" choices of the age filter; sent as `createdTo = now − N days`. */
export const ageThresholds = [1, 3, 7, 30] as const;
export type AgeThreshold = (typeof ageThresholds)[number];

/** `none` = unassigned, otherwise a staff id. ("me" waits for sign-in.) */
export type AssigneeChoice = 'none' | (string & {});

export interface ApplicationFilter {
  stage: Stage[];
  provider: Provider[];
  providerStatus: ProviderStatus[];
  /** Every listed flag must be raised. */
  flag: DocumentFlag[];
  assignee: AssigneeChoice | null;
  olderThanDays: AgeThreshold | null;
  /** Service level of the stage: breached, due soon or on track. */
  sla: SlaState | null;
  q: string;
}

export const emptyApplicationFilter: ApplicationFilter = {
  stage: [],
  provider: [],
  providerStatus: [],
  flag: [],
  assignee: null,
  olderThanDays: null,
  sla: null,
  q: '',
};

/** What the queue opens on: open work (see `defaultQueueView`), nothing else narrowed. */
export const defaultApplicationFilter: ApplicationFilter = {
  ...emptyApplicationFilter,
  stage: [...defaultQueueView.stage],
};

/** Whether a stage selection is exactly these stages, in any order. */
export function isStageSet(selected: readonly Stage[], set: readonly Stage[]): boolean {
  return selected.length === set.length && set.every((stage) => selected.includes(stage));
}

/** Whether the filter is the queue's default view. */
export function isDefaultFilter(filter: ApplicationFilter): boolean {
  const { stage, ...rest } = filter;
  const { stage: defaultStages, ...defaultRest } = defaultApplicationFilter;
  return (
    isStageSet(stage, defaultStages) &&
    JSON.stringify(toFilterValues({ ...emptyApplicationFilter, ...rest })) ===
      JSON.stringify(toFilterValues({ ...emptyApplicationFilter, ...defaultRest }))
  );
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ItemSchema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}

function listOf<T>(schema: ItemSchema<T>, raw: unknown): T[] {
  const items = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const out: T[] = [];
  for (const item of items) {
    const parsed = schema.safeParse(item);
    if (parsed.success && !out.includes(parsed.data)) out.push(parsed.data);
  }
  return out;
}

function field(raw: unknown, name: string): unknown {
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[name] : undefined;
}

/** Reads react-admin's `filterValues` (untrusted JSON) into a typed filter. */
export function readApplicationFilter(raw: unknown): ApplicationFilter {
  const assignee = field(raw, 'assignee');
  const olderThanDays = Number(field(raw, 'olderThanDays'));
  const q = field(raw, 'q');
  return {
    stage: listOf(stageSchema, field(raw, 'stage')),
    provider: listOf(providerSchema, field(raw, 'provider')),
    providerStatus: listOf(providerStatusSchema, field(raw, 'providerStatus')),
    flag: listOf(documentFlagSchema, field(raw, 'flag')),
    assignee: assignee === 'none' || (typeof assignee === 'string' && uuidPattern.test(assignee)) ? assignee : null,
    olderThanDays: ageThresholds.find((n) => n === olderThanDays) ?? null,
    sla: slaStates.find((state) => state === field(raw, 'sla')) ?? null,
    q: typeof q === 'string' ? q : '',
  };
}

/** The filter as stored in react-admin's list state: empty criteria are left out. */
export function toFilterValues(filter: ApplicationFilter): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (filter.stage.length > 0) values.stage = filter.stage;
  if (filter.provider.length > 0) values.provider = filter.provider;
  if (filter.providerStatus.length > 0) values.providerStatus = filter.providerStatus;
  if (filter.flag.length > 0) values.flag = filter.flag;
  if (filter.assignee !== null) values.assignee = filter.assignee;
  if (filter.olderThanDays !== null) values.olderThanDays = filter.olderThanDays;
  if (filter.sla !== null) values.sla = filter.sla;
  if (filter.q.trim() !== '') values.q = filter.q;
  return values;
}

export function isFilterEmpty(filter: ApplicationFilter): boolean {
  return Object.keys(toFilterValues(filter)).length === 0;
}

const dayMs = 24 * 60 * 60 * 1000;
const minuteMs = 60 * 1000;

/**
 * `now − N days`, rounded down to the minute so that consecutive pages of one query send
 * the same bound.
 */
export function createdToFor(olderThanDays: AgeThreshold, now: number = Date.now()): string {
  return new Date(Math.floor(now / minuteMs) * minuteMs - olderThanDays * dayMs).toISOString();
}

/**
 * The filter as the counts take it (`getApplicationStats`): everything but the stage,
 * so every stage chip shows its count under the other filters.
 */
export function statsQuery(filter: ApplicationFilter): ApiQuery<'getApplicationStats'> {
  const q = filter.q.trim().slice(0, 200);
  return {
    provider: filter.provider,
    providerStatus: filter.providerStatus,
    flag: filter.flag,
    assignee: filter.assignee ?? undefined,
    createdTo: filter.olderThanDays === null ? undefined : createdToFor(filter.olderThanDays),
    sla: filter.sla ?? undefined,
    q: q === '' ? undefined : q,
  };
}

/** The filter as the queue takes it, stage first; also the query string a saved filter keeps. */
export function filterQuery(filter: ApplicationFilter): ApiQuery<'listApplications'> {
  return { stage: filter.stage, ...statsQuery(filter) };
}

export interface ApplicationPageRequest {
  sort: ApplicationSort;
  order: SortOrder;
  limit: number;
  cursor: string | undefined;
}

/** One page of the queue under the filter. */
export function listQuery(filter: ApplicationFilter, page: ApplicationPageRequest): ApiQuery<'listApplications'> {
  return { ...filterQuery(filter), sort: page.sort, order: page.order, limit: page.limit, cursor: page.cursor };
}

/** Whether a queue column (its id) sorts on the server. */
export function isSortableColumn(id: string): id is ApplicationSort {
  return applicationSorts.some((sort) => sort === id);
}

/** react-admin's sort → the API's; anything unknown falls back to the queue's default (oldest first). */
export function readSort(sort: { field: string; order: string } | undefined): {
  sort: ApplicationSort;
  order: SortOrder;
} {
  const field = sort?.field ?? '';
  if (!isSortableColumn(field)) return { sort: defaultQueueView.sort, order: defaultQueueView.order };
  return { sort: field, order: sort?.order === 'DESC' ? 'desc' : 'asc' };
}
