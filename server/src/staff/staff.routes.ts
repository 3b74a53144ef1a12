import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { staffCreateSchema, staffUpdateSchema, type ListResponse, type StaffMember } from '@desk/shared';
import type { Database } from '../db/schema.js';
import { staffActor } from '../auth/access-control.js';
import { parseRequest } from '../http/validate.js';
import { createStaff, listStaffMembers, updateStaff } from './staff.service.js';

const staffIdParamsSchema = z.object({ id: z.uuid('must be a UUID') });

export function staffRoutes(db: Kysely<Database>): Router {
  const router = Router();
  // The desk has a few dozen staff at most: one page holds them all.
  router.get('/staff', async (_req, res) => {
    const body: ListResponse<StaffMember> = { data: await listStaffMembers(db), nextCursor: null };
    res.json(body);
  });

  router.post('/staff', async (req, res) => {
    const body = parseRequest(staffCreateSchema, req.body, 'body');
    res.status(201).json(await createStaff(db, body, staffActor(req)));
  });

  router.patch('/staff/:id', async (req, res) => {
    const { id } = parseRequest(staffIdParamsSchema, req.params, 'params');
    const body = parseRequest(staffUpdateSchema, req.body, 'body');
    res.json(await updateStaff(db, id, body, staffActor(req)));
  });
  return router;
}
