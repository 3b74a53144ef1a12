import { staffActor } from '../auth/access-control.js';
import { AppError } from '../http/app-error.js';
import type { RouteHandlers } from '../http/route-handler.js';
import { actionRowToProviderAction } from './provider-action.mapper.js';
import { findActionView } from './provider-action.repository.js';
import {
  type ActionContext,
  requestDocumentUpload,
  requestReapply,
  requestRefresh,
  retryAction,
} from './provider-action.service.js';

type ProviderActionRoutes = 'uploadDocument' | 'reapplyApplication' | 'refreshApplication' | 'retryProviderAction';

export function providerActionRoutes(ctx: ActionContext): Pick<RouteHandlers, ProviderActionRoutes> {
  const accepted = async (action: { id: string }) => ({
    status: 202 as const,
    body: actionRowToProviderAction(await findActionView(ctx.db, action.id)),
  });
  return {
    uploadDocument: async ({ params, body, files, req }) => {
      const file = files[0];
      if (!file) throw new AppError('validation_failed', 'Invalid body: file', { file: ['is required'] });
      const action = await requestDocumentUpload(
        ctx,
        params.id,
        body,
        { originalName: file.originalName, contentType: file.contentType, bytes: file.bytes },
        staffActor(req),
      );
      return accepted(action);
    },
    reapplyApplication: async ({ params, req }) => accepted(await requestReapply(ctx, params.id, staffActor(req))),
    refreshApplication: async ({ params, req }) => accepted(await requestRefresh(ctx, params.id, staffActor(req))),
    retryProviderAction: async ({ params, req }) =>
      accepted(await retryAction(ctx, params.id, params.actionId, staffActor(req))),
  };
}
