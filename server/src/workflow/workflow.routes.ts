import { Router } from 'express';
import type { Kysely } from 'kysely';
import {
  applicationIdParamsSchema,
  assignRequestSchema,
  newNoteSchema,
  newSavedFilterSchema,
  nextCaseQuerySchema,
  savedFilterIdParamsSchema,
  type ListResponse,
  type SavedFilter,
} from '@desk/shared';
import type { Database } from '../db/schema.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import { staffActor } from '../auth/access-control.js';
import { AppError } from '../http/app-error.js';
import { parseRequest } from '../http/validate.js';
import { getApplication } from '../applications/application.service.js';
import { applicationRowToSummary } from '../applications/application.mapper.js';
import { assignCase, claimCase, claimNextCase, releaseCase } from './assignment.service.js';
import { addNote } from './notes.service.js';
import { deleteSavedFilter, listSavedFilters, saveFilter } from './saved-filters.service.js';

/** Claim / release / assign, "next case", notes and saved filters. Mounted before `/applications/:id`. */
export function workflowRoutes(db: Kysely<Database>, providers: ProviderRegistry): Router {
  const router = Router();

  router.get('/applications/next', async (req, res) => {
    const query = parseRequest(nextCaseQuerySchema, req.query, 'query');
    // The queue row of the claimed case: the caller opens the case page next, which reads the rest.
    const row = await claimNextCase(db, query, staffActor(req));
    if (!row) throw new AppError('not_found', 'No unassigned case is waiting: the queue is clear');
    res.json(applicationRowToSummary(row));
  });

  router.post('/applications/:id/claim', async (req, res) => {
    const { id } = parseRequest(applicationIdParamsSchema, req.params, 'params');
    await claimCase(db, id, staffActor(req));
    res.json(await getApplication(db, providers, id));
  });

  router.post('/applications/:id/release', async (req, res) => {
    const { id } = parseRequest(applicationIdParamsSchema, req.params, 'params');
    await releaseCase(db, id, staffActor(req));
    res.json(await getApplication(db, providers, id));
  });

  router.post('/applications/:id/assign', async (req, res) => {
    const { id } = parseRequest(applicationIdParamsSchema, req.params, 'params');
    const body = parseRequest(assignRequestSchema, req.body, 'body');
    await assignCase(db, id, body, staffActor(req));
    res.json(await getApplication(db, providers, id));
  });

  router.post('/applications/:id/notes', async (req, res) => {
    const { id } = parseRequest(applicationIdParamsSchema, req.params, 'params');
    const body = parseRequest(newNoteSchema, req.body, 'body');
    res.status(201).json(await addNote(db, id, body, staffActor(req)));
  });

  router.get('/saved-filters', async (req, res) => {
    const body: ListResponse<SavedFilter> = { data: await listSavedFilters(db, staffActor(req).staffId), nextCursor: null };
    res.json(body);
  });

  router.post('/saved-filters', async (req, res) => {
    const body = parseRequest(newSavedFilterSchema, req.body, 'body');
    res.status(201).json(await saveFilter(db, staffActor(req).staffId, body));
  });

  router.delete('/saved-filters/:id', async (req, res) => {
    const { id } = parseRequest(savedFilterIdParamsSchema, req.params, 'params');
    await deleteSavedFilter(db, staffActor(req).staffId, id);
    res.status(204).end();
  });

  return router;
}
