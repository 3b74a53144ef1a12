/** The workflow calls: next case, claim / release, notes, saved filters, customers, dashboard. */
import {
  type ApplicationDetail,
  type ApplicationSummary,
  applicationDetailSchema,
  applicationSummarySchema,
  type CustomerDetail,
  type CustomerSearchResult,
  customerDetailSchema,
  customerSearchResultSchema,
  type Dashboard,
  dashboardSchema,
  type ListResponse,
  listResponseSchema,
  type Note,
  noteSchema,
  type SavedFilter,
  type StaffMember,
  savedFilterSchema,
  staffMemberSchema,
} from '@desk/shared';
import { HttpError } from 'react-admin';
import { getJson, postJson, sendEmpty } from '../api/httpClient';

/** Claims the oldest unassigned workable case (a state change, so a POST). */
export const nextCase = (): Promise<ApplicationSummary> => postJson('/api/applications/next', applicationSummarySchema);

export const claimCase = (id: string): Promise<ApplicationDetail> =>
  postJson(`/api/applications/${encodeURIComponent(id)}/claim`, applicationDetailSchema);

export const releaseCase = (id: string): Promise<ApplicationDetail> =>
  postJson(`/api/applications/${encodeURIComponent(id)}/release`, applicationDetailSchema);

export const addNote = (id: string, body: string): Promise<Note> =>
  postJson(`/api/applications/${encodeURIComponent(id)}/notes`, noteSchema, { json: { body } });

export const searchCustomers = (q: string, signal?: AbortSignal): Promise<CustomerSearchResult> =>
  getJson(`/api/customers?q=${encodeURIComponent(q)}&limit=10`, customerSearchResultSchema, { signal });

export const getCustomer = (id: string, signal?: AbortSignal): Promise<CustomerDetail> =>
  getJson(`/api/customers/${encodeURIComponent(id)}`, customerDetailSchema, { signal });

export const getDashboard = (signal?: AbortSignal): Promise<Dashboard> =>
  getJson('/api/dashboard', dashboardSchema, { signal });

export const assignCase = (id: string, assigneeId: string | null, reassign = false): Promise<ApplicationDetail> =>
  postJson(`/api/applications/${encodeURIComponent(id)}/assign`, applicationDetailSchema, {
    json: { assigneeId, reassign },
  });

export const listStaff = (signal?: AbortSignal): Promise<ListResponse<StaffMember>> =>
  getJson('/api/staff', listResponseSchema(staffMemberSchema), { signal });

export const listSavedFilters = (signal?: AbortSignal): Promise<ListResponse<SavedFilter>> =>
  getJson('/api/saved-filters', listResponseSchema(savedFilterSchema), { signal });

export const saveFilter = (name: string, query: string): Promise<SavedFilter> =>
  postJson('/api/saved-filters', savedFilterSchema, { json: { name, query } });

export async function deleteSavedFilter(id: string): Promise<void> {
  try {
    await sendEmpty('DELETE', `/api/saved-filters/${encodeURIComponent(id)}`);
  } catch (err) {
    // Already gone (deleted in another tab): the list is re-read either way.
    if (!(err instanceof HttpError && err.status === 404)) throw err;
  }
}
