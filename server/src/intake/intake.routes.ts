import { providerActionPhaseOf } from '@desk/shared';
import type { Kysely } from 'kysely';
import { staffActor } from '../auth/access-control.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { RouteHandlers } from '../http/route-handler.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Logger } from '../logger.js';
import type { PiiVault } from '../pii/pii-vault.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import { submitIntake } from './intake.service.js';

export function intakeRoutes(ctx: {
  db: Kysely<Database>;
  jobs: JobQueue;
  providers: ProviderRegistry;
  pii: PiiVault;
  logger: Logger;
}): Pick<RouteHandlers, 'createApplication'> {
  return {
    createApplication: async ({ body, headers, req }) => {
      if (!ctx.providers[body.provider])
        throw new AppError('conflict', `The desk is not connected to ${body.provider}`);
      const outcome = await submitIntake(
        ctx,
        body.provider,
        {
          ...body.applicant,
          consent: {
            agreementVersion: body.consent.agreementVersion,
            consentedAt: new Date(body.consent.consentedAt),
          },
          investmentProfile: body.investmentProfile,
        },
        staffActor(req),
        { idempotencyKey: headers['Idempotency-Key'] ?? null },
      );
      switch (outcome.kind) {
        case 'created':
          return {
            status: 201,
            body: { id: outcome.applicationId, providerApplicationId: outcome.providerApplicationId },
          };
        case 'pending':
          return {
            status: 202,
            body: {
              intakeId: outcome.intake.id,
              state: providerActionPhaseOf({ state: outcome.intake.state, gaveUp: outcome.intake.gave_up }),
              attempts: outcome.intake.attempts,
              lastError: outcome.intake.last_error,
            },
          };
        case 'refused':
          throw new AppError('unprocessable', `The provider refused the application: ${outcome.message}`);
        case 'unavailable':
          throw new AppError('provider_unavailable', `The provider is unavailable: ${outcome.message}`);
      }
    },
  };
}
