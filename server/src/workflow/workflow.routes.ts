import type { Kysely } from 'kysely';
import { applicationRowToSummary } from '../applications/application.mapper.js';
import { getApplication } from '../applications/application.service.js';
import { staffActor } from '../auth/access-control.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { RouteHandlers } from '../http/route-handler.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import { assignCase, claimCase, claimNextCase, releaseCase } from './assignment.service.js';
import { addNote } from './notes.service.js';
import { deleteSavedFilter, listSavedFilters, saveFilter } from './saved-filters.service.js';

type WorkflowRoutes =
  | 'claimNextCase'
  | 'claimApplication'
  | 'releaseApplication'
  | 'assignApplication'
  | 'addNote'
  | 'listSavedFilters'
  | 'saveFilter'
  | 'deleteSavedFilter';

/** Claim / release / assign, "next case", notes and saved filters. */
export function workflowRoutes(db: Kysely<Database>, providers: ProviderRegistry): Pick<RouteHandlers, WorkflowRoutes> {
  return {
    claimNextCase: async ({ body, req }) => {
      // The queue row of the claimed case: the caller opens the case page next, which reads the rest.
      const row = await claimNextCase(db, body, staffActor(req));
      if (!row) throw new AppError('not_found', 'No unassigned case is waiting: the queue is clear');
      return { status: 200, body: applicationRowToSummary(row) };
    },
    claimApplication: async ({ params, req }) => {
      await claimCase(db, params.id, staffActor(req));
      return { status: 200, body: await getApplication(db, providers, params.id) };
    },
    releaseApplication: async ({ params, req }) => {
      await releaseCase(db, params.id, staffActor(req));
      return { status: 200, body: await getApplication(db, providers, params.id) };
    },
    assignApplication: async ({ params, body, req }) => {
      await assignCase(db, params.id, body, staffActor(req));
      return { status: 200, body: await getApplication(db, providers, params.id) };
    },
    addNote: async ({ params, body, req }) => ({
      status: 201,
      body: await addNote(db, params.id, body, staffActor(req)),
    }),
    listSavedFilters: async ({ req }) => ({
      status: 200,
      body: { data: await listSavedFilters(db, staffActor(req).staffId), nextCursor: null },
    }),
    saveFilter: async ({ body, req }) => ({ status: 201, body: await saveFilter(db, staffActor(req).staffId, body) }),
    deleteSavedFilter: async ({ params, req }) => {
      await deleteSavedFilter(db, staffActor(req).staffId, params.id);
      return { status: 204 };
    },
  };
}
