import express, { Router } from 'express';
import { providerSchema } from '@desk/shared';
import { z } from 'zod';
import { parseRequest } from '../http/validate.js';
import { receiveWebhook, type WebhookContext } from './webhook.service.js';

const webhookParamsSchema = z.object({ provider: providerSchema });

export function webhookRoutes(ctx: WebhookContext): Router {
  const router = Router();
  // Signatures are over the exact bytes received, so the body stays raw.
  router.post('/webhooks/:provider', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const { provider } = parseRequest(webhookParamsSchema, req.params, 'params');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const result = await receiveWebhook(ctx, provider, req.headers, body);
    res.status(200).json({ received: true, duplicate: result.duplicate });
  });
  return router;
}
