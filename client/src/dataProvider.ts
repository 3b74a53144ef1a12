/**
 * The desk's react-admin data provider.
 *
 * `applications` is keyset-paged by the server (no total, no offset). react-admin asks for
 * page N; the provider serves it from the cursor it learned when page N−1 was fetched, and
 * answers with partial pagination (`pageInfo`) instead of a total. If page N's cursor is
 * unknown (a deep link, a new tab), it walks forward from the nearest known page.
 *
 * Actions on an application are typed methods here (STYLE.md rule 7), never `update()`;
 * `create`/`update` serve only the staff admin page (staff/staffApi.ts), which sends the
 * version it read so a stale edit is refused.
 */
import {
  type ApplicationList,
  type ApplicationStats,
  applicationDetailSchema,
  applicationListSchema,
  applicationStatsSchema,
  type DocumentDetailKey,
  type DocumentType,
  type NewOutcome,
  type NewRfi,
  type Outcome,
  outcomeSchema,
  type ProviderAction,
  providerActionSchema,
  type RevealResponse,
  type Rfi,
  type RfiList,
  revealResponseSchema,
  rfiListSchema,
  rfiSchema,
} from '@desk/shared';
import {
  type CreateParams,
  type CreateResult,
  type DataProvider,
  type GetListParams,
  type GetListResult,
  type GetOneParams,
  type GetOneResult,
  HttpError,
  type Identifier,
  type RaRecord,
  type UpdateParams,
  type UpdateResult,
} from 'react-admin';
import { getJson, postJson } from './api/httpClient';
import { KeysetCursorBook } from './api/keysetCursors';
import { fetchKeysetPage } from './api/keysetPaging';
import {
  type ApplicationFilter,
  filterQueryParams,
  listQueryParams,
  readApplicationFilter,
  readSort,
} from './applications/applicationFilter';
import { answerFormData, type RfiAnswerInput } from './rfis/rfiAnswer';
import { readRfiFilter, rfiQueryParams } from './rfis/rfiFilter';
import { createStaffMember, findStaffMember, listStaffMembers, sortStaff, updateStaffMember } from './staff/staffApi';

export const resources = { applications: 'applications', rfis: 'rfis', staff: 'staff' } as const;

export interface ApplicationStatsResult {
  stats: ApplicationStats;
  /** False when the server would not narrow the counts by the queue's filter: they cover everything. */
  filtered: boolean;
}

export interface DeskDataProvider extends DataProvider {
  /** Counts per stage, flag and age for the queue's filter, stage left out so every stage chip has its count. */
  getApplicationStats(filter: ApplicationFilter, signal?: AbortSignal): Promise<ApplicationStatsResult>;
  /** Queue a document for delivery to the application's provider (202: the action, queued). */
  uploadDocument(applicationId: Identifier, upload: DocumentUpload): Promise<ProviderAction>;
  /** Ask the provider to look at the application again; 409 says why it will not. */
  reapplyApplication(applicationId: Identifier): Promise<ProviderAction>;
  /** Fetch the provider's current view of the application (status, flags, documents). */
  refreshApplication(applicationId: Identifier): Promise<ProviderAction>;
  /** Try again an action the worker gave up on. */
  retryProviderAction(applicationId: Identifier, actionId: string): Promise<ProviderAction>;
  /** Raise an internal RFI on the application (201: the RFI, open). */
  raiseRfi(applicationId: Identifier, rfi: NewRfi): Promise<Rfi>;
  /** Answer an open RFI (multipart); 400 names each missing item, 409 when it is not open. */
  answerRfi(rfiId: Identifier, answer: RfiAnswerInput): Promise<Rfi>;
  /** Close an RFI; 409 when it is already closed. */
  closeRfi(rfiId: Identifier): Promise<Rfi>;
  /** The customer's identification number in clear, with the reason (audited; never cached). */
  revealIdentificationNumber(customerId: string, reason: string): Promise<RevealResponse>;
  /** Record an internal review outcome; 409 when the case changed, 403 under the four-eyes rule. */
  recordOutcome(applicationId: Identifier, outcome: NewOutcome): Promise<Outcome>;
}

export interface DocumentUpload {
  type: DocumentType;
  file: File;
  /** Details the provider requires with this type (document number, issuing country, expiry date). */
  details?: Partial<Record<DocumentDetailKey, string>>;
}

/** react-admin lets the caller pick RecordType; for this provider the resource decides the shape. */
function asRecords<RecordType extends RaRecord>(rows: readonly RaRecord[]): RecordType[] {
  return rows as RecordType[];
}

function asRecord<RecordType extends RaRecord>(row: RaRecord): RecordType {
  return row as RecordType;
}

/** `/api/<base>/<id>/<rest…>`, each part after the base URL-encoded. */
function apiPath(base: 'applications' | 'rfis', id: Identifier, ...rest: string[]): string {
  return [`/api/${base}`, id, ...rest].map((part, i) => (i === 0 ? part : encodeURIComponent(String(part)))).join('/');
}

const applicationPath = (id: Identifier, ...rest: string[]) => apiPath('applications', id, ...rest);
const rfiPath = (id: Identifier, ...rest: string[]) => apiPath('rfis', id, ...rest);

function unsupported(resource: string, method: string): Promise<never> {
  const message = `${method} is not available for ${resource}.`;
  return Promise.reject(new HttpError(message, 405, { message, code: 'forbidden' }));
}

export function createDataProvider(cursors: KeysetCursorBook = new KeysetCursorBook()): DeskDataProvider {
  async function fetchApplicationPage(
    params: GetListParams,
    signal: AbortSignal | undefined,
  ): Promise<ApplicationList> {
    const filter = readApplicationFilter(params.filter);
    const { sort, order } = readSort(params.sort);
    const page = Math.max(1, params.pagination?.page ?? 1);
    const limit = Math.min(200, Math.max(1, params.pagination?.perPage ?? 50));
    const queryKey = JSON.stringify([resources.applications, filter, sort, order, limit]);

    return fetchKeysetPage(cursors, queryKey, page, (cursor) =>
      getJson(`/api/applications?${listQueryParams(filter, { sort, order, limit, cursor })}`, applicationListSchema, {
        signal,
      }),
    );
  }

  /** The RFI queue, soonest due first, keyset-paged like the applications. */
  function fetchRfiPage(params: GetListParams): Promise<RfiList> {
    const filter = readRfiFilter(params.filter);
    const page = Math.max(1, params.pagination?.page ?? 1);
    const limit = Math.min(200, Math.max(1, params.pagination?.perPage ?? 50));
    const queryKey = JSON.stringify([resources.rfis, filter, limit]);
    return fetchKeysetPage(cursors, queryKey, page, (cursor) =>
      getJson(`/api/rfis?${rfiQueryParams(filter, limit, cursor)}`, rfiListSchema, { signal: params.signal }),
    );
  }

  return {
    async getList<RecordType extends RaRecord>(
      resource: string,
      params: GetListParams,
    ): Promise<GetListResult<RecordType>> {
      if (resource === resources.applications) {
        const page = Math.max(1, params.pagination?.page ?? 1);
        const body = await fetchApplicationPage(params, params.signal);
        return {
          data: asRecords<RecordType>(body.data),
          pageInfo: { hasNextPage: body.nextCursor !== null, hasPreviousPage: page > 1 },
        };
      }
      if (resource === resources.rfis) {
        const page = Math.max(1, params.pagination?.page ?? 1);
        const body = await fetchRfiPage(params);
        return {
          data: asRecords<RecordType>(body.data),
          pageInfo: { hasNextPage: body.nextCursor !== null, hasPreviousPage: page > 1 },
        };
      }
      if (resource === resources.staff) {
        const members = sortStaff(await listStaffMembers(params.signal), params.sort);
        return { data: asRecords<RecordType>(members), total: members.length };
      }
      return unsupported(resource, 'getList');
    },

    async getOne<RecordType extends RaRecord>(
      resource: string,
      params: GetOneParams<RecordType>,
    ): Promise<GetOneResult<RecordType>> {
      if (resource === resources.rfis) {
        return { data: asRecord<RecordType>(await getJson(rfiPath(params.id), rfiSchema, { signal: params.signal })) };
      }
      if (resource === resources.staff)
        return { data: asRecord<RecordType>(await findStaffMember(params.id, params.signal)) };
      if (resource !== resources.applications) return unsupported(resource, 'getOne');
      const detail = await getJson(applicationPath(params.id), applicationDetailSchema, { signal: params.signal });
      return { data: asRecord<RecordType>(detail) };
    },

    async getApplicationStats(filter, signal) {
      const query = filterQueryParams(filter, { withStage: false });
      const unfiltered = () => getJson('/api/applications/stats', applicationStatsSchema, { signal });
      if ([...query.keys()].length === 0) return { stats: await unfiltered(), filtered: true };
      try {
        const stats = await getJson(`/api/applications/stats?${query}`, applicationStatsSchema, { signal });
        return { stats, filtered: true };
      } catch (error) {
        // The stats route is only required to count everything; narrowing by filter is a bonus.
        if (!(error instanceof HttpError) || error.status !== 400) throw error;
        return { stats: await unfiltered(), filtered: false };
      }
    },

    uploadDocument(applicationId, { type, file, details = {} }) {
      const body = new FormData();
      body.append('type', type);
      // Detail fields before the file part: a streaming parser has them when the file arrives.
      for (const [key, value] of Object.entries(details)) {
        const trimmed = value?.trim() ?? '';
        if (trimmed !== '') body.append(key, trimmed);
      }
      body.append('file', file, file.name);
      return postJson(applicationPath(applicationId, 'documents'), providerActionSchema, { body });
    },

    reapplyApplication: (applicationId) => postJson(applicationPath(applicationId, 'reapply'), providerActionSchema),

    refreshApplication: (applicationId) => postJson(applicationPath(applicationId, 'refresh'), providerActionSchema),

    retryProviderAction: (applicationId, actionId) =>
      postJson(applicationPath(applicationId, 'actions', actionId, 'retry'), providerActionSchema),

    raiseRfi: (applicationId, rfi) => postJson(applicationPath(applicationId, 'rfis'), rfiSchema, { json: rfi }),

    answerRfi: (rfiId, answer) => postJson(rfiPath(rfiId, 'answers'), rfiSchema, { body: answerFormData(answer) }),

    closeRfi: (rfiId) => postJson(rfiPath(rfiId, 'close'), rfiSchema),

    revealIdentificationNumber: (customerId, reason) =>
      postJson(`/api/customers/${encodeURIComponent(customerId)}/reveal`, revealResponseSchema, {
        json: { field: 'identificationNumber', reason },
      }),

    recordOutcome: (applicationId, outcome) =>
      postJson(applicationPath(applicationId, 'outcomes'), outcomeSchema, { json: outcome }),

    async create<
      RecordType extends Omit<RaRecord, 'id'> = RaRecord,
      ResultRecordType extends RaRecord = RecordType & { id: Identifier },
    >(resource: string, params: CreateParams<RecordType>): Promise<CreateResult<ResultRecordType>> {
      if (resource !== resources.staff) return unsupported(resource, 'create');
      return { data: asRecord<ResultRecordType>(await createStaffMember(params.data ?? {})) };
    },

    async update<RecordType extends RaRecord>(
      resource: string,
      params: UpdateParams<RecordType>,
    ): Promise<UpdateResult<RecordType>> {
      if (resource !== resources.staff) return unsupported(resource, 'update');
      return { data: asRecord<RecordType>(await updateStaffMember(params.id, params.data, params.previousData)) };
    },

    getMany: (resource) => unsupported(resource, 'getMany'),
    getManyReference: (resource) => unsupported(resource, 'getManyReference'),
    updateMany: (resource) => unsupported(resource, 'updateMany'),
    delete: (resource) => unsupported(resource, 'delete'),
    deleteMany: (resource) => unsupported(resource, 'deleteMany'),
  };
}

export const dataProvider = createDataProvider();
