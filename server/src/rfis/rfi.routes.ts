import { Router } from 'express';
import type { Kysely } from 'kysely';
import multer from 'multer';
import { applicationIdParamsSchema, newRfiSchema, rfiAnswerFieldsSchema, rfiIdParamsSchema, rfiListQuerySchema } from '@desk/shared';
import type { Database } from '../db/schema.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import { AppError } from '../http/app-error.js';
import { parseRequest } from '../http/validate.js';
import { staffActor, viewerOf } from '../auth/access-control.js';
import { answerRfi, closeRfi, getRfi, listRfis, raiseInternalRfi } from './rfi.service.js';

/** Files answering an RFI: PDF or images, 10 MB each, 20 at most. */
const answerFileTypes = ['application/pdf', 'image/png', 'image/jpeg'];
const maxAnswerFileBytes = 10 * 1024 * 1024;
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxAnswerFileBytes, files: 20, fields: 10 } });

export function rfiRoutes(ctx: { db: Kysely<Database>; jobs: JobQueue; providers: ProviderRegistry }): Router {
  const { db } = ctx;
  const router = Router();

  router.get('/rfis', async (req, res) => {
    const query = parseRequest(rfiListQuerySchema, req.query, 'query');
    res.json(await listRfis(db, query, viewerOf(req)));
  });

  router.get('/rfis/:id', async (req, res) => {
    const { id } = parseRequest(rfiIdParamsSchema, req.params, 'params');
    res.json(await getRfi(db, id));
  });

  router.post('/applications/:id/rfis', async (req, res) => {
    const { id } = parseRequest(applicationIdParamsSchema, req.params, 'params');
    const body = parseRequest(newRfiSchema, req.body, 'body');
    res.status(201).json(await raiseInternalRfi(db, id, body, staffActor(req)));
  });

  router.post('/rfis/:id/answers', (req, res, next) => {
    upload.any()(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        const tooLarge = err.code === 'LIMIT_FILE_SIZE';
        next(
          new AppError(tooLarge ? 'payload_too_large' : 'validation_failed', tooLarge ? 'A file is too large' : err.message, {
            [err.field ?? 'file']: [tooLarge ? `must be at most ${maxAnswerFileBytes} bytes` : err.message],
          }),
        );
        return;
      }
      next(err);
    });
  });

  router.post('/rfis/:id/answers', async (req, res) => {
    const { id } = parseRequest(rfiIdParamsSchema, req.params, 'params');
    const fields = parseRequest(rfiAnswerFieldsSchema, req.body, 'body');
    const files = Array.isArray(req.files) ? req.files : [];
    const wrongType = files.filter((f) => !answerFileTypes.includes(f.mimetype));
    if (wrongType.length > 0) {
      throw new AppError(
        'unsupported_media_type',
        `Files must be ${answerFileTypes.join(', ')}`,
        Object.fromEntries(wrongType.map((f) => [f.fieldname, [`must be one of ${answerFileTypes.join(', ')}`]])),
      );
    }
    const answer = {
      text: fields.text,
      fields: fields.fields,
      files: files.map((f) => ({ itemKey: f.fieldname, originalName: f.originalname, contentType: f.mimetype, bytes: f.buffer })),
    };
    res.status(201).json(await answerRfi(ctx, id, answer, staffActor(req)));
  });

  router.post('/rfis/:id/close', async (req, res) => {
    const { id } = parseRequest(rfiIdParamsSchema, req.params, 'params');
    res.json(await closeRfi(db, id, staffActor(req)));
  });

  return router;
}
