import type { Kysely } from 'kysely';
import { staffActor } from '../auth/access-control.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { RouteHandlers } from '../http/route-handler.js';
import type { PiiVault } from '../pii/pii-vault.js';
import { ProviderCallError } from '../providers/provider-adapter.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import { onboardApplication } from './intake.service.js';

export function intakeRoutes(ctx: {
  db: Kysely<Database>;
  providers: ProviderRegistry;
  pii: PiiVault;
}): Pick<RouteHandlers, 'createApplication'> {
  return {
    createApplication: async ({ body, req }) => {
      if (!ctx.providers[body.provider])
        throw new AppError('conflict', `The desk is not connected to ${body.provider}`);
      try {
        const created = await onboardApplication(
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
        );
        return {
          status: 201,
          body: { id: created.applicationId, providerApplicationId: created.providerApplicationId },
        };
      } catch (err) {
        if (err instanceof ProviderCallError) {
          throw err.kind === 'refused'
            ? new AppError('unprocessable', `The provider refused the application: ${err.message}`)
            : new AppError('provider_unavailable', `The provider is unavailable: ${err.message}`);
        }
        throw err;
      }
    },
  };
}
