/**
 * Intake: an application created at a provider by an onboarding flow, and registered with the
 * desk from the provider's answer. The call to the provider happens before (never inside) the
 * transaction that records the customer, the application and its first history row.
 */
import { randomUUID } from 'node:crypto';
import { type Provider, stageOf } from '@desk/shared';
import type { Kysely } from 'kysely';
import { insertApplication } from '../applications/application.repository.js';
import { type Actor, recordAudit, staffIdOf } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import type { PiiVault } from '../pii/pii-vault.js';
import { applySnapshot } from '../provider-actions/snapshot.js';
import type { NewApplicant } from '../providers/provider-adapter.js';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry.js';
import { upsertAgreements } from './agreement.repository.js';
import { insertCustomer } from './customer.repository.js';

export async function onboardApplication(
  ctx: { db: Kysely<Database>; providers: ProviderRegistry; pii: PiiVault },
  provider: Provider,
  applicant: NewApplicant,
  actor: Actor = { kind: 'system' },
): Promise<{ applicationId: string; providerApplicationId: string }> {
  const adapter = adapterFor(ctx.providers, provider);
  if (!adapter) throw new Error(`not connected to ${provider}`);
  // The provider is the source of agreement versions: keep the desk's copy current so the
  // case can say whether the consented version was the latest at the time.
  await upsertAgreements(ctx.db, provider, await adapter.listAgreements(randomUUID()));
  const observedAt = new Date();
  const snapshot = await adapter.createApplication(applicant, randomUUID());
  const stage = stageOf(provider, snapshot.status);
  if (!stage) throw new Error(`${provider} status ${snapshot.status} has no stage`);
  return ctx.db.transaction().execute(async (trx) => {
    const customer = await insertCustomer(trx, {
      first_name: applicant.firstName,
      last_name: applicant.lastName,
      email: applicant.email.toLowerCase(),
      phone: applicant.phone,
      date_of_birth: applicant.dateOfBirth,
      street: applicant.address.street,
      city: applicant.address.city,
      postal_code: applicant.address.postalCode,
      state: applicant.address.state,
      country: applicant.address.country,
      ...ctx.pii.protect(applicant.identificationNumber),
    });
    const app = await insertApplication(
      trx,
      {
        customer_id: customer.id,
        provider,
        provider_application_id: snapshot.providerApplicationId,
        provider_status: snapshot.status,
        stage,
        agreement_version: applicant.consent.agreementVersion,
        consented_at: applicant.consent.consentedAt,
        provider_customer_id: snapshot.providerCustomerId,
      },
      { source: 'provider_response', actorId: null, reason: 'Application created at the provider' },
    );
    await applySnapshot(trx, app, snapshot, { source: 'provider_response', actorId: staffIdOf(actor), observedAt });
    await recordAudit(trx, actor, {
      action: 'application.created',
      entityId: app.id,
      applicationId: app.id,
      data: {
        provider,
        providerApplicationId: snapshot.providerApplicationId,
        status: snapshot.status,
        customerId: customer.id,
      },
    });
    return { applicationId: app.id, providerApplicationId: snapshot.providerApplicationId };
  });
}
