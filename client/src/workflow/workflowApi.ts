/**
 * The analyst's day: "next case", claim / release / assign, notes and saved queue filters.
 * Typed data-provider methods (views reach them through `useDataProvider<DeskDataProvider>()`),
 * each one call of the route table.
 */
import type { ApplicationDetail, ApplicationSummary, ListResponse, Note, SavedFilter } from '@desk/shared';
import { HttpError } from 'react-admin';
import { callApi } from '../api/callApi';

export const workflowApi = {
  /** Claims the oldest unassigned workable case (a state change, so a POST); 404 when none is waiting. */
  claimNextCase: (): Promise<ApplicationSummary> => callApi('claimNextCase'),

  /** Claim a case; 409 names who holds it. */
  claimApplication: (id: string): Promise<ApplicationDetail> => callApi('claimApplication', { params: { id } }),

  /** Release a case; 409 when someone else holds it. */
  releaseApplication: (id: string): Promise<ApplicationDetail> => callApi('releaseApplication', { params: { id } }),

  /** Hand a case to someone (null unassigns); 409 when someone holds it, unless `reassign`. */
  assignApplication: (id: string, assigneeId: string | null, reassign = false): Promise<ApplicationDetail> =>
    callApi('assignApplication', { params: { id }, body: { assigneeId, reassign } }),

  /** Add a note to a case (notes are append-only). */
  addNote: (id: string, body: string): Promise<Note> => callApi('addNote', { params: { id }, body: { body } }),

  /** Your saved queue filters. */
  listSavedFilters: (signal?: AbortSignal): Promise<ListResponse<SavedFilter>> =>
    callApi('listSavedFilters', { signal }),

  /** Save the queue's query string under a name; 409 when the name is taken. */
  saveFilter: (name: string, query: string): Promise<SavedFilter> => callApi('saveFilter', { body: { name, query } }),

  /** Delete a saved filter; one already gone (deleted in another tab) counts as deleted. */
  async deleteSavedFilter(id: string): Promise<void> {
    try {
      await callApi('deleteSavedFilter', { params: { id } });
    } catch (err) {
      // The list is re-read either way.
      if (!(err instanceof HttpError && err.status === 404)) throw err;
    }
  },
};

export type WorkflowApi = typeof workflowApi;
