import type { RouteHandlers } from '../http/route-handler.js';
import { receiveWebhook, type WebhookContext } from './webhook.service.js';

export function webhookRoutes(ctx: WebhookContext): Pick<RouteHandlers, 'receiveWebhook'> {
  return {
    // Signatures are over the exact bytes received: the route reads its body raw.
    receiveWebhook: async ({ params, body, req }) => {
      const result = await receiveWebhook(ctx, params.provider, req.headers, body);
      return { status: 200, body: { received: true, duplicate: result.duplicate } };
    },
  };
}
