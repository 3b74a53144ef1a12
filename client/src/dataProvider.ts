/**
 * The desk's react-admin data provider: the one way views reach the server
 * (`useDataProvider<DeskDataProvider>()`). Every method is a typed call of the route table
 * (`api/callApi.ts`); none spells a path or picks a schema.
 *
 * react-admin's own methods serve its resources. `applications` and `rfis` are keyset-paged by
 * the server (no total, no offset): react-admin asks for page N; the provider serves it from
 * the cursor it learned when page N−1 was fetched, and answers with partial pagination
 * (`pageInfo`) instead of a total. If page N's cursor is unknown (a deep link, a new tab), it
 * walks forward from the nearest known page. `create`/`update` serve only the staff admin page,
 * which sends the version it read so a stale edit is refused.
 *
 * Everything else is a typed method (STYLE.md rule 7: actions are explicit, never a generic
 * `update()`), grouped by domain in `<domain>/<domain>Api.ts` and gathered here.
 */
import type { ApplicationDetail, ApplicationList, NewRfi, Rfi, RfiList } from '@desk/shared';
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
import { type AccountApi, accountApi } from './account/accountApi';
import { type ApiBody, type ApiQuery, callApi } from './api/callApi';
import { KeysetCursorBook } from './api/keysetCursors';
import { fetchKeysetPage } from './api/keysetPaging';
import { listQuery, readApplicationFilter, readSort } from './applications/applicationFilter';
import { type ApplicationsApi, applicationsApi } from './applications/applicationsApi';
import { fetchQueuePage, linkedCursorOf, type QueuePageMeta } from './applications/queuePaging';
import { type AuditApi, auditApi } from './audit/auditApi';
import { type CustomersApi, customersApi } from './customers/customersApi';
import { type DashboardApi, dashboardApi } from './dashboard/dashboardApi';
import { type ExportsApi, exportsApi } from './exports/exportsApi';
import type { RfiAnswerInput } from './rfis/rfiAnswer';
import { dueBeforeFor, type RfiFilter, readRfiFilter } from './rfis/rfiFilter';
import {
  createStaffMember,
  findStaffMember,
  type StaffApi,
  sortStaff,
  staffApi,
  updateStaffMember,
} from './staff/staffApi';
import { type WorkflowApi, workflowApi } from './workflow/workflowApi';

/** Kept here for the upload dialog, which imports it from the data provider. */
export type { DocumentUpload } from './applications/applicationsApi';

import { resources } from './resources';

export { resources };

/** RFIs: raised on a case, answered (text, field values, files), closed. */
const rfisApi = {
  /** Raise an internal RFI on the application (201: the RFI, open). */
  raiseRfi: (applicationId: Identifier, rfi: NewRfi): Promise<Rfi> =>
    callApi('raiseRfi', { params: { id: String(applicationId) }, body: rfi }),

  /** Answer an open RFI (multipart); 400 names each missing item, 409 when it is not open. */
  answerRfi: (rfiId: Identifier, answer: RfiAnswerInput): Promise<Rfi> =>
    callApi('answerRfi', { params: { id: String(rfiId) }, body: rfiAnswerBody(answer) }),

  /** Close an RFI; 409 when it is already closed. */
  closeRfi: (rfiId: Identifier): Promise<Rfi> => callApi('closeRfi', { params: { id: String(rfiId) } }),
};

/**
 * The multipart answer: `text` when there is any, `fields` as a JSON object of item key → value
 * when there are any, and one file part per document item, named after the item's key.
 */
function rfiAnswerBody({ text, fields, files }: RfiAnswerInput): ApiBody<'answerRfi'> {
  return {
    fields: {
      text: text !== undefined && text.trim() !== '' ? text : undefined,
      fields: Object.keys(fields).length > 0 ? JSON.stringify(fields) : undefined,
    },
    files,
  };
}

/** The RFI queue's filter as its query, with the page asked for. */
function rfiListQuery(filter: RfiFilter, limit: number, cursor: string | undefined): ApiQuery<'listRfis'> {
  return {
    status: filter.status,
    provider: filter.provider ?? undefined,
    assignee: filter.assignee ?? undefined,
    dueBefore: filter.dueWithin === null ? undefined : dueBeforeFor(filter.dueWithin),
    applicationId: filter.applicationId ?? undefined,
    limit,
    cursor,
  };
}

export type DeskDataProvider = DataProvider &
  ApplicationsApi &
  typeof rfisApi &
  WorkflowApi &
  CustomersApi &
  StaffApi &
  DashboardApi &
  AuditApi &
  ExportsApi &
  AccountApi;

/** react-admin lets the caller pick RecordType; for this provider the resource decides the shape. */
function asRecords<RecordType extends RaRecord>(rows: readonly RaRecord[]): RecordType[] {
  return rows as RecordType[];
}

function asRecord<RecordType extends RaRecord>(row: RaRecord): RecordType {
  return row as RecordType;
}

function unsupported(resource: string, method: string): Promise<never> {
  const message = `${method} is not available for ${resource}.`;
  return Promise.reject(new HttpError(message, 405, { message, code: 'forbidden' }));
}

const pageOf = (params: GetListParams) => Math.max(1, params.pagination?.page ?? 1);
const limitOf = (params: GetListParams) => Math.min(200, Math.max(1, params.pagination?.perPage ?? 50));

export function createDataProvider(cursors: KeysetCursorBook = new KeysetCursorBook()): DeskDataProvider {
  /** A queue page; a link's cursor (`meta.cursor`, see applications/queuePaging.ts) opens it directly. */
  function fetchApplicationPage(params: GetListParams): Promise<{ body: ApplicationList; meta: QueuePageMeta }> {
    const filter = readApplicationFilter(params.filter);
    const { sort, order } = readSort(params.sort);
    const limit = limitOf(params);
    const page = pageOf(params);
    const queryKey = JSON.stringify([resources.applications, filter, sort, order, limit]);
    return fetchQueuePage(cursors, queryKey, page, linkedCursorOf(params.meta, page), (cursor) =>
      callApi('listApplications', {
        query: listQuery(filter, { sort, order, limit, cursor }),
        signal: params.signal,
      }),
    );
  }

  /** The RFI queue, soonest due first, keyset-paged like the applications. */
  function fetchRfiPage(params: GetListParams): Promise<RfiList> {
    const filter = readRfiFilter(params.filter);
    const limit = limitOf(params);
    const queryKey = JSON.stringify([resources.rfis, filter, limit]);
    return fetchKeysetPage(cursors, queryKey, pageOf(params), (cursor) =>
      callApi('listRfis', { query: rfiListQuery(filter, limit, cursor), signal: params.signal }),
    );
  }

  function getApplication(id: Identifier, signal: AbortSignal | undefined): Promise<ApplicationDetail> {
    return callApi('getApplication', { params: { id: String(id) }, signal });
  }

  return {
    async getList<RecordType extends RaRecord>(
      resource: string,
      params: GetListParams,
    ): Promise<GetListResult<RecordType>> {
      if (resource === resources.applications) {
        const { body, meta } = await fetchApplicationPage(params);
        return {
          data: asRecords<RecordType>(body.data),
          pageInfo: { hasNextPage: body.nextCursor !== null, hasPreviousPage: pageOf(params) > 1 },
          meta,
        };
      }
      if (resource === resources.rfis) {
        const body = await fetchRfiPage(params);
        return {
          data: asRecords<RecordType>(body.data),
          pageInfo: { hasNextPage: body.nextCursor !== null, hasPreviousPage: pageOf(params) > 1 },
        };
      }
      if (resource === resources.staff) {
        const members = sortStaff(await staffApi.listStaff(params.signal), params.sort);
        return { data: asRecords<RecordType>(members), total: members.length };
      }
      return unsupported(resource, 'getList');
    },

    async getOne<RecordType extends RaRecord>(
      resource: string,
      params: GetOneParams<RecordType>,
    ): Promise<GetOneResult<RecordType>> {
      if (resource === resources.rfis) {
        const rfi = await callApi('getRfi', { params: { id: String(params.id) }, signal: params.signal });
        return { data: asRecord<RecordType>(rfi) };
      }
      if (resource === resources.staff)
        return { data: asRecord<RecordType>(await findStaffMember(params.id, params.signal)) };
      if (resource !== resources.applications) return unsupported(resource, 'getOne');
      return { data: asRecord<RecordType>(await getApplication(params.id, params.signal)) };
    },

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

    ...applicationsApi,
    ...rfisApi,
    ...workflowApi,
    ...customersApi,
    ...staffApi,
    ...dashboardApi,
    ...auditApi,
    ...exportsApi,
    ...accountApi,
  };
}

export const dataProvider = createDataProvider();
