/**
 * Intake: an application created at a provider by an onboarding flow, through the outbox.
 *
 * The request records the intent — the intake, keyed by the request's `Idempotency-Key` (or
 * its own id) — and enqueues its delivery job in one transaction; nothing is sent before that
 * commits. Delivery (`deliverIntake`) is made by the request itself at once and, should that
 * attempt fail or its process die, by the job's retries in any process: one attempt at a time
 * (a lease on the intake row), every attempt with the same key, and with the provider's id for
 * what an earlier attempt created (recorded as soon as the provider names it), so the adapter
 * carries on with that instead of creating another. The provider's answer is registered —
 * customer, application, first history row, audit event — in one transaction that also marks
 * the intake delivered, once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type Provider, stageOf } from '@desk/shared';
import type { Kysely } from 'kysely';
import { insertApplication } from '../applications/application.repository.js';
import { type Actor, recordAudit, staffIdOf } from '../audit/audit-log.js';
import type { Database, IntakeApplicantColumn, IntakeRow } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { type JobQueue, queues } from '../jobs/job-queue.js';
import type { Logger } from '../logger.js';
import type { PiiVault } from '../pii/pii-vault.js';
import { applySnapshot } from '../provider-actions/snapshot.js';
import { type NewApplicant, ProviderCallError, type ProviderSnapshot } from '../providers/provider-adapter.js';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry.js';
import { upsertAgreements } from './agreement.repository.js';
import { insertCustomer } from './customer.repository.js';
import {
  claimIntake,
  completeIntake,
  failIntake,
  findApplicationByProviderId,
  findDeliveredApplication,
  findIntake,
  insertOrFindIntake,
  lockIntake,
  recordProviderApplicationId,
  requeueIntake,
} from './intake.repository.js';

export type IntakeContext = {
  db: Kysely<Database>;
  providers: ProviderRegistry;
  pii: PiiVault;
  jobs: JobQueue;
  logger?: Logger;
};

/** How long one delivery attempt holds the intake: the job expiry (a dead worker's job is retried after it). */
const leaseSecondsOf = (jobs: JobQueue) => jobs.expireInSeconds;
/** How long a request waits for an attempt made elsewhere (a concurrent retry) before answering 202. */
const defaultWaitMs = 10_000;
const waitStepMs = 100;

export type Created = { applicationId: string; providerApplicationId: string };

/** Where an intake stands after the request did what it could. */
export type IntakeOutcome =
  | ({ kind: 'created' } & Created)
  | { kind: 'pending'; intake: IntakeRow }
  | { kind: 'refused'; message: string }
  | { kind: 'unavailable'; message: string };

function applicantColumn(applicant: NewApplicant): IntakeApplicantColumn {
  return {
    firstName: applicant.firstName,
    lastName: applicant.lastName,
    email: applicant.email,
    phone: applicant.phone,
    dateOfBirth: applicant.dateOfBirth,
    address: applicant.address,
    consent: {
      agreementVersion: applicant.consent.agreementVersion,
      consentedAt: applicant.consent.consentedAt.toISOString(),
    },
    investmentProfile: applicant.investmentProfile,
  };
}

/** The request's fingerprint: the same key sent with another application is refused. */
function requestSha256(provider: Provider, applicant: NewApplicant): string {
  const canonical = JSON.stringify([provider, applicantColumn(applicant), applicant.identificationNumber]);
  return createHash('sha256').update(canonical).digest('hex');
}

function applicantOf(intake: IntakeRow, pii: PiiVault): NewApplicant {
  const stored = intake.applicant;
  if (!stored || !intake.identification_number_sealed || !intake.identification_number_key_id) {
    throw new Error(`intake ${intake.id} holds no applicant to send`);
  }
  return {
    ...stored,
    identificationNumber: pii.open({
      sealed: intake.identification_number_sealed,
      keyId: intake.identification_number_key_id,
    }),
    consent: { agreementVersion: stored.consent.agreementVersion, consentedAt: new Date(stored.consent.consentedAt) },
  };
}

/**
 * The intake's delivery job: named by the intake (one job per intake at a time) and held back
 * for as long as the request's own attempt may hold the intake, so that it only runs when that
 * attempt did not settle it — failed (the request then brings it forward, `settleJobAfter`) or
 * died with its process.
 */
async function enqueueDelivery(ctx: IntakeContext, trx: Kysely<Database>, intakeId: string): Promise<void> {
  await ctx.jobs.send(trx, queues.intake, { intakeId }, { id: intakeId, startAfterSeconds: leaseSecondsOf(ctx.jobs) });
}

/**
 * Records the intake and enqueues its delivery, in one transaction; a key already used answers
 * the intake recorded under it (409 when it was for another application). An intake whose
 * retries gave up with the provider unreachable is queued anew when its request is sent again
 * (a fresh round of attempts, with the same key and the provider's id recorded so far); one the
 * provider refused stays refused. Without a key, the intake's own id is its key: stable across
 * the desk's retries, not across the caller's.
 */
export async function recordIntake(
  ctx: IntakeContext,
  provider: Provider,
  applicant: NewApplicant,
  actor: Actor,
  idempotencyKey: string | null,
): Promise<IntakeRow> {
  const fingerprint = requestSha256(provider, applicant);
  return ctx.db.transaction().execute(async (trx) => {
    const { row, inserted } = await insertOrFindIntake(trx, {
      provider,
      idempotencyKey: idempotencyKey ?? randomUUID(),
      requestSha256: fingerprint,
      applicant: applicantColumn(applicant),
      identificationNumber: ctx.pii.seal(applicant.identificationNumber),
      requestedBy: staffIdOf(actor),
    });
    if (inserted) {
      await enqueueDelivery(ctx, trx, row.id);
      return row;
    }
    if (row.request_sha256 !== fingerprint) {
      throw new AppError(
        'conflict',
        'This Idempotency-Key was already used for another application; send a new key for a new application',
      );
    }
    const requeued = await requeueIntake(trx, row.id);
    if (!requeued) return (await findIntake(trx, row.id)) ?? row;
    // The job that gave up is settled; a fresh one takes over (its id is the intake's).
    await ctx.jobs.discard(trx, queues.intake, row.id);
    await enqueueDelivery(ctx, trx, row.id);
    await recordAudit(trx, actor, {
      action: 'intake.resent',
      entityId: row.id,
      data: { provider, attempts: row.attempts, providerApplicationId: row.provider_application_id },
    });
    return requeued;
  });
}

/** Registers the provider's answer and marks the intake delivered, once (a second finisher finds it done). */
async function registerDelivery(
  ctx: IntakeContext,
  intake: IntakeRow,
  applicant: NewApplicant,
  snapshot: ProviderSnapshot,
  observed: { at: Date; by: Actor },
): Promise<Created> {
  const stage = stageOf(intake.provider, snapshot.status);
  if (!stage) throw new ProviderCallError('refused', `${intake.provider} status ${snapshot.status} has no stage`);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await lockIntake(trx, intake.id);
    if (current?.application_id) {
      return { applicationId: current.application_id, providerApplicationId: snapshot.providerApplicationId };
    }
    const known = await findApplicationByProviderId(trx, intake.provider, snapshot.providerApplicationId);
    if (known) {
      await completeIntake(trx, intake.id, {
        applicationId: known.id,
        providerApplicationId: snapshot.providerApplicationId,
      });
      return { applicationId: known.id, providerApplicationId: snapshot.providerApplicationId };
    }
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
        provider: intake.provider,
        provider_application_id: snapshot.providerApplicationId,
        provider_status: snapshot.status,
        stage,
        agreement_version: applicant.consent.agreementVersion,
        consented_at: applicant.consent.consentedAt,
        provider_customer_id: snapshot.providerCustomerId,
      },
      { source: 'provider_response', actorId: null, reason: 'Application created at the provider' },
    );
    await applySnapshot(trx, app, snapshot, {
      source: 'provider_response',
      actorId: intake.requested_by,
      observedAt: observed.at,
    });
    await recordAudit(trx, observed.by, {
      action: 'application.created',
      entityId: app.id,
      applicationId: app.id,
      data: {
        provider: intake.provider,
        providerApplicationId: snapshot.providerApplicationId,
        status: snapshot.status,
        customerId: customer.id,
      },
    });
    await completeIntake(trx, intake.id, {
      applicationId: app.id,
      providerApplicationId: snapshot.providerApplicationId,
    });
    return { applicationId: app.id, providerApplicationId: snapshot.providerApplicationId };
  });
}

/** What one delivery attempt came to. `busy`: another attempt holds the intake. */
export type DeliveryResult =
  | ({ kind: 'created' } & Created)
  | { kind: 'busy' }
  | { kind: 'failed'; final: boolean; error: unknown };

/**
 * One delivery attempt of an intake (the request's own, or the job's). `isLast`: the queue will
 * not try again, so a provider that stays unavailable makes the intake give up. `actor`: who
 * the creation is audited as (the requester on the request's own attempt, else the system).
 */
export async function deliverIntake(
  ctx: IntakeContext,
  intakeId: string,
  attempt: { isLast: boolean },
  actor: Actor = { kind: 'system' },
): Promise<DeliveryResult> {
  const intake = await findIntake(ctx.db, intakeId);
  if (!intake) throw new Error(`intake ${intakeId} not found`);
  if (intake.application_id) {
    const app = await findDeliveredApplication(ctx.db, intake.application_id);
    if (app) return { kind: 'created', applicationId: app.id, providerApplicationId: app.provider_application_id };
  }
  if (intake.gave_up) return { kind: 'failed', final: true, error: new Error(intake.last_error ?? 'given up') };
  const adapter = adapterFor(ctx.providers, intake.provider);
  if (!adapter) {
    const error = `Not connected to ${intake.provider}`;
    await failIntake(ctx.db, intake.id, { final: true, refused: false, error });
    return { kind: 'failed', final: true, error: new Error(error) };
  }
  const claimed = await claimIntake(ctx.db, intake.id, leaseSecondsOf(ctx.jobs));
  if (!claimed) return { kind: 'busy' };
  try {
    const applicant = applicantOf(claimed, ctx.pii);
    // The provider is the source of agreement versions: keep the desk's copy current so the
    // case can say whether the consented version was the latest at the time.
    await upsertAgreements(ctx.db, intake.provider, await adapter.listAgreements(randomUUID()));
    const observedAt = new Date();
    const snapshot = await adapter.createApplication(applicant, claimed.idempotency_key, {
      providerApplicationId: claimed.provider_application_id,
      record: (providerApplicationId) => recordProviderApplicationId(ctx.db, claimed.id, providerApplicationId),
    });
    const created = await registerDelivery(ctx, claimed, applicant, snapshot, { at: observedAt, by: actor });
    return { kind: 'created', ...created };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const refused = err instanceof ProviderCallError && err.kind === 'refused';
    const final = !(err instanceof ProviderCallError) || refused || attempt.isLast;
    await failIntake(ctx.db, claimed.id, { final, refused, error: message });
    // A refusal may quote what was sent (the applicant's data): it is kept on the intake, not logged.
    ctx.logger?.warn(
      { intakeId, provider: intake.provider, final, refused, ...(refused ? {} : { err: message }) },
      'intake delivery failed',
    );
    return { kind: 'failed', final, error: err };
  }
}

/**
 * After the request's own attempt, its job: dropped when the attempt settled the intake (nothing
 * is left to do), brought forward to the first retry delay when it failed and the job retries.
 * Left alone when another attempt holds the intake. Either way the job stays the guarantee: had
 * this not run, it would find the intake settled, or take it up once the lease ran out.
 */
async function settleJobAfter(ctx: IntakeContext, intakeId: string, result: DeliveryResult): Promise<void> {
  if (result.kind === 'busy') return;
  try {
    if (result.kind === 'failed' && !result.final) await ctx.jobs.retrySoon(ctx.db, queues.intake, intakeId);
    else await ctx.jobs.discard(ctx.db, queues.intake, intakeId);
  } catch (err) {
    ctx.logger?.warn({ intakeId, err }, 'intake job left as it was');
  }
}

/** Where a settled or pending intake stands, as the request answers it. */
async function outcomeOf(ctx: IntakeContext, intake: IntakeRow): Promise<IntakeOutcome | null> {
  if (intake.application_id) {
    const app = await findDeliveredApplication(ctx.db, intake.application_id);
    if (app) return { kind: 'created', applicationId: app.id, providerApplicationId: app.provider_application_id };
  }
  if (intake.gave_up) {
    const message = intake.last_error ?? 'The provider did not take the application';
    return intake.refused ? { kind: 'refused', message } : { kind: 'unavailable', message };
  }
  return null;
}

/**
 * Intake as the request makes it: record, deliver at once, and answer what became of it. When
 * another attempt holds the intake (a concurrent retry with the same key), waits for it up to
 * `waitMs`; when the provider was unavailable, the job retries and the intake is pending.
 */
export async function submitIntake(
  ctx: IntakeContext,
  provider: Provider,
  applicant: NewApplicant,
  actor: Actor,
  options: { idempotencyKey: string | null; waitMs?: number },
): Promise<IntakeOutcome> {
  const recorded = await recordIntake(ctx, provider, applicant, actor, options.idempotencyKey);
  const settled = await outcomeOf(ctx, recorded);
  if (settled) return settled;
  const result = await deliverIntake(ctx, recorded.id, { isLast: false }, actor);
  await settleJobAfter(ctx, recorded.id, result);
  if (result.kind === 'created') return result;
  const deadline = Date.now() + (options.waitMs ?? defaultWaitMs);
  for (;;) {
    const current = await findIntake(ctx.db, recorded.id);
    if (!current) throw new Error(`intake ${recorded.id} not found`);
    const outcome = await outcomeOf(ctx, current);
    if (outcome) return outcome;
    if (result.kind === 'failed' || Date.now() >= deadline) return { kind: 'pending', intake: current };
    await new Promise((resolve) => setTimeout(resolve, waitStepMs));
  }
}

/**
 * Intake for a caller that needs the application at once (a demo, a test): the created
 * application, or the provider's error when it refused or could not be reached (the job
 * retries the latter by itself).
 */
export async function onboardApplication(
  ctx: IntakeContext,
  provider: Provider,
  applicant: NewApplicant,
  actor: Actor = { kind: 'system' },
  idempotencyKey: string | null = null,
): Promise<Created> {
  const outcome = await submitIntake(ctx, provider, applicant, actor, { idempotencyKey });
  switch (outcome.kind) {
    case 'created':
      return { applicationId: outcome.applicationId, providerApplicationId: outcome.providerApplicationId };
    case 'refused':
      throw new ProviderCallError('refused', outcome.message);
    case 'unavailable':
      throw new ProviderCallError('unavailable', outcome.message);
    case 'pending':
      throw new ProviderCallError(
        'unavailable',
        `The application is not created yet (${outcome.intake.last_error ?? outcome.intake.state}); it is retried`,
      );
  }
}
