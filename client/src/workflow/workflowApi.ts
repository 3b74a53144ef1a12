/** The workflow calls: next case, claim / release, notes, saved filters, customers, dashboard. */
import {
  applicationDetailSchema,
  applicationSummarySchema,
  type ApplicationSummary,
  customerDetailSchema,
  customerSearchResultSchema,
  dashboardSchema,
  noteSchema,
  type ApplicationDetail,
  type CustomerDetail,
  type CustomerSearchResult,
  type Dashboard,
  type Note,
} from '@desk/shared';
import { getJson, postJson } from '../api/httpClient';

export const nextCase = (): Promise<ApplicationSummary> => getJson('/api/applications/next', applicationSummarySchema);

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

export const getDashboard = (signal?: AbortSignal): Promise<Dashboard> => getJson('/api/dashboard', dashboardSchema, { signal });
