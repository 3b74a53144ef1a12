import type { Kysely } from 'kysely';
import { staffActor, viewerOf } from '../auth/access-control.js';
import type { Database } from '../db/schema.js';
import type { RouteHandlers } from '../http/route-handler.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import { answerRfi, closeRfi, getRfi, listRfis, raiseInternalRfi } from './rfi.service.js';

type RfiRoutes = 'listRfis' | 'getRfi' | 'raiseRfi' | 'answerRfi' | 'closeRfi';

export function rfiRoutes(ctx: {
  db: Kysely<Database>;
  jobs: JobQueue;
  providers: ProviderRegistry;
}): Pick<RouteHandlers, RfiRoutes> {
  const { db } = ctx;
  return {
    listRfis: async ({ query, req }) => ({ status: 200, body: await listRfis(db, query, viewerOf(req)) }),
    getRfi: async ({ params }) => ({ status: 200, body: await getRfi(db, params.id) }),
    raiseRfi: async ({ params, body, req }) => ({
      status: 201,
      body: await raiseInternalRfi(db, params.id, body, staffActor(req)),
    }),
    answerRfi: async ({ params, body, files, req }) => {
      // Files are parts named by the item they answer; their types are the service's to check.
      const answer = {
        text: body.text,
        fields: body.fields,
        files: files.map((f) => ({
          itemKey: f.field,
          originalName: f.originalName,
          contentType: f.contentType,
          bytes: f.bytes,
        })),
      };
      return { status: 201, body: await answerRfi(ctx, params.id, answer, staffActor(req)) };
    },
    closeRfi: async ({ params, req }) => ({ status: 200, body: await closeRfi(db, params.id, staffActor(req)) }),
  };
}
