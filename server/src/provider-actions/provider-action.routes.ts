import { Router } from 'express';
import multer from 'multer';
import { actionIdParamsSchema, applicationIdParamsSchema, documentUploadFieldsSchema } from '@desk/shared';
import { AppError } from '../http/app-error.js';
import { staffActor } from '../auth/access-control.js';
import { parseRequest } from '../http/validate.js';
import { actionRowToProviderAction } from './provider-action.mapper.js';
import { findActionView } from './provider-action.repository.js';
import {
  requestDocumentUpload,
  requestReapply,
  requestRefresh,
  retryAction,
  type ActionContext,
} from './provider-action.service.js';

/** Above every provider's limit, so the service can answer 413 with the provider's own figure. */
const multipartLimitBytes = 25 * 1024 * 1024;

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: multipartLimitBytes, files: 1, fields: 5 },
});

export function providerActionRoutes(ctx: ActionContext): Router {
  const router = Router();
  const accepted = async (action: { id: string }) => actionRowToProviderAction(await findActionView(ctx.db, action.id));

  router.post('/applications/:id/documents', (req, res, next) => {
    upload.single('file')(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        const tooLarge = err.code === 'LIMIT_FILE_SIZE';
        next(
          new AppError(tooLarge ? 'payload_too_large' : 'validation_failed', tooLarge ? 'The file is too large' : err.message, {
            [err.field ?? 'file']: [tooLarge ? `must be at most ${multipartLimitBytes} bytes` : err.message],
          }),
        );
        return;
      }
      if (err) {
        next(err);
        return;
      }
      next();
    });
  });

  router.post('/applications/:id/documents', async (req, res) => {
    const { id } = parseRequest(applicationIdParamsSchema, req.params, 'params');
    const fields = parseRequest(documentUploadFieldsSchema, req.body, 'body');
    const file = req.file;
    if (!file) throw new AppError('validation_failed', 'Invalid body: file', { file: ['is required'] });
    const action = await requestDocumentUpload(
      ctx,
      id,
      fields,
      { originalName: file.originalname, contentType: file.mimetype, bytes: file.buffer },
      staffActor(req),
    );
    res.status(202).json(await accepted(action));
  });

  router.post('/applications/:id/reapply', async (req, res) => {
    const { id } = parseRequest(applicationIdParamsSchema, req.params, 'params');
    res.status(202).json(await accepted(await requestReapply(ctx, id, staffActor(req))));
  });

  router.post('/applications/:id/refresh', async (req, res) => {
    const { id } = parseRequest(applicationIdParamsSchema, req.params, 'params');
    res.status(202).json(await accepted(await requestRefresh(ctx, id, staffActor(req))));
  });

  router.post('/applications/:id/actions/:actionId/retry', async (req, res) => {
    const { id, actionId } = parseRequest(actionIdParamsSchema, req.params, 'params');
    res.status(202).json(await accepted(await retryAction(ctx, id, actionId, staffActor(req))));
  });

  return router;
}
