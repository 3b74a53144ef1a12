/**
 * Intakes, the outbox's entries for creating an application at a provider: the only module
 * that writes `intakes`. The state moves through the provider-action lifecycle (`@desk/shared`,
 * lifecycles/provider-actions.ts), each move made only from a phase the lifecycle allows; a
 * delivery holds the intake by a lease (`lease_until`, on the database's clock) so that one
 * attempt at a time calls the provider, in whichever process.
 */
import {
  type Provider,
  type ProviderActionPhase,
  providerActionPhasesBefore,
  storedProviderAction,
} from '@desk/shared';
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database, IntakeApplicantColumn, IntakeRow } from '../db/schema.js';
import { storedPhaseConditions } from '../provider-actions/provider-action.repository.js';

function inPhases(
  eb: ExpressionBuilder<Database, 'intakes'>,
  phases: readonly ProviderActionPhase[],
): Expression<SqlBool> {
  return eb.or(
    storedPhaseConditions(phases).map(({ state, gaveUp }) =>
      gaveUp === null ? eb('state', '=', state) : eb.and([eb('state', '=', state), eb('gave_up', '=', gaveUp)]),
    ),
  );
}

export type NewIntake = {
  provider: Provider;
  idempotencyKey: string;
  requestSha256: string;
  applicant: IntakeApplicantColumn;
  identificationNumber: { sealed: string; keyId: string };
  requestedBy: string | null;
};

/**
 * Writes a queued intake, or finds the one already written under the same key (a retry, or a
 * concurrent request: the unique key makes the second wait for the first and then find it).
 */
export async function insertOrFindIntake(
  trx: Kysely<Database>,
  intake: NewIntake,
): Promise<{ row: IntakeRow; inserted: boolean }> {
  const { state, gaveUp } = storedProviderAction('queued');
  const inserted = await trx
    .insertInto('intakes')
    .values({
      provider: intake.provider,
      idempotency_key: intake.idempotencyKey,
      request_sha256: intake.requestSha256,
      applicant: JSON.stringify(intake.applicant),
      identification_number_sealed: intake.identificationNumber.sealed,
      identification_number_key_id: intake.identificationNumber.keyId,
      state,
      gave_up: gaveUp,
      requested_by: intake.requestedBy,
    })
    .onConflict((oc) => oc.columns(['provider', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, inserted: true };
  const existing = await trx
    .selectFrom('intakes')
    .selectAll()
    .where('provider', '=', intake.provider)
    .where('idempotency_key', '=', intake.idempotencyKey)
    .executeTakeFirstOrThrow();
  return { row: existing, inserted: false };
}

export async function findIntake(db: Kysely<Database>, id: string): Promise<IntakeRow | undefined> {
  return db.selectFrom('intakes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The intake, its row locked until the transaction ends. */
export async function lockIntake(trx: Kysely<Database>, id: string): Promise<IntakeRow | undefined> {
  return trx.selectFrom('intakes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Takes the intake for one delivery attempt (→ sending, one more attempt, leased for
 * `leaseSeconds`): only from a phase the worker may send from, and not while another
 * attempt's lease runs. Returns the intake as taken, or undefined when it was not free.
 */
export async function claimIntake(
  db: Kysely<Database>,
  id: string,
  leaseSeconds: number,
): Promise<IntakeRow | undefined> {
  const { state, gaveUp } = storedProviderAction('sending');
  return db
    .updateTable('intakes')
    .set((eb) => ({
      state,
      gave_up: gaveUp,
      attempts: eb('attempts', '+', 1),
      lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .where((eb) => inPhases(eb, providerActionPhasesBefore('sending', 'worker')))
    .where((eb) =>
      eb.or([eb('state', '<>', state), eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]),
    )
    .returningAll()
    .executeTakeFirst();
}

/**
 * A given-up intake sent again by its caller (the same key, the same request): queued anew, with
 * its key and the provider's id an earlier attempt recorded, unless the provider refused it.
 * Returns the intake as queued, or undefined when it was not given up (or another request
 * queued it first).
 */
export async function requeueIntake(trx: Kysely<Database>, id: string): Promise<IntakeRow | undefined> {
  const { state, gaveUp } = storedProviderAction('queued');
  return trx
    .updateTable('intakes')
    .set((eb) => ({
      state,
      gave_up: gaveUp,
      lease_until: null,
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .where('refused', '=', false)
    .where((eb) => inPhases(eb, providerActionPhasesBefore('queued', 'staff')))
    .returningAll()
    .executeTakeFirst();
}

/** Records what the provider created for the intake, as soon as it names it. */
export async function recordProviderApplicationId(
  db: Kysely<Database>,
  id: string,
  providerApplicationId: string,
): Promise<void> {
  await db
    .updateTable('intakes')
    .set((eb) => ({
      provider_application_id: providerApplicationId,
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .execute();
}

/** A failed attempt: retrying (the queue tries again) or given up (`refused`: the provider said no). */
export async function failIntake(
  db: Kysely<Database>,
  id: string,
  details: { final: boolean; refused: boolean; error: string },
): Promise<boolean> {
  const to: ProviderActionPhase = details.final ? 'gave_up' : 'retrying';
  const { state, gaveUp } = storedProviderAction(to);
  const result = await db
    .updateTable('intakes')
    .set((eb) => ({
      state,
      gave_up: gaveUp,
      refused: details.final && details.refused,
      last_error: details.error.slice(0, 2000),
      lease_until: null,
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .where((eb) => inPhases(eb, providerActionPhasesBefore(to)))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Delivered: linked to its application; what was kept only to send it is dropped. */
export async function completeIntake(
  trx: Kysely<Database>,
  id: string,
  done: { applicationId: string; providerApplicationId: string },
): Promise<void> {
  const { state, gaveUp } = storedProviderAction('done');
  const now = new Date();
  await trx
    .updateTable('intakes')
    .set((eb) => ({
      state,
      gave_up: gaveUp,
      application_id: done.applicationId,
      provider_application_id: done.providerApplicationId,
      applicant: null,
      identification_number_sealed: null,
      identification_number_key_id: null,
      last_error: null,
      lease_until: null,
      completed_at: now,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', id)
    .where((eb) => inPhases(eb, providerActionPhasesBefore('done')))
    .execute();
}

/** The provider's id of the intake's application, once delivered. */
export async function findDeliveredApplication(
  db: Kysely<Database>,
  applicationId: string,
): Promise<{ id: string; provider_application_id: string } | undefined> {
  return db
    .selectFrom('applications')
    .select(['id', 'provider_application_id'])
    .where('id', '=', applicationId)
    .executeTakeFirst();
}

/** An application the desk already holds for the provider's id (registered by an earlier attempt). */
export async function findApplicationByProviderId(
  db: Kysely<Database>,
  provider: Provider,
  providerApplicationId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('applications')
    .select('id')
    .where('provider', '=', provider)
    .where('provider_application_id', '=', providerApplicationId)
    .executeTakeFirst();
}
