/**
 * Provider webhooks: verified, stored once per provider event id (a replay or a concurrent
 * duplicate is a no-op), acknowledged at once, applied by a worker that takes it from the inbox
 * (webhook-queue.ts). Applying an event means asking the provider for the application's current
 * state and applying that, so events that arrive late or out of order can never move a case
 * backwards.
 *
 * A webhook that is not shown to be the provider's (signature, timestamp) is refused with 401
 * and leaves no trace but a log line. One the provider signed whose content the desk cannot
 * take is kept in `webhook_rejections` and answered 422 (see `rejectWebhook`).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Provider } from '@desk/shared';
import type { Kysely } from 'kysely';
import { lockApplication } from '../applications/application.repository.js';
import { recordAudit } from '../audit/audit-log.js';
import { executePrepared, isOneOf } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { Logger } from '../logger.js';
import { webhookApplyLag } from '../metrics/process-metrics.js';
import { applySnapshot } from '../provider-actions/snapshot.js';
import type { WebhookRejection } from '../providers/provider-adapter.js';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry.js';

export type WebhookContext = { db: Kysely<Database>; providers: ProviderRegistry; logger: Logger };

export async function receiveWebhook(
  ctx: WebhookContext,
  provider: Provider,
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
): Promise<{ duplicate: boolean }> {
  const adapter = adapterFor(ctx.providers, provider);
  if (!adapter) throw AppError.notFound(`Webhook endpoint for ${provider}`);
  const verified = adapter.verifyWebhook(headers, rawBody, new Date());
  if (!verified.ok && verified.rejected) throw await rejectWebhook(ctx, provider, verified.rejected, rawBody);
  if (!verified.ok) {
    ctx.logger.warn({ provider, reason: verified.reason }, 'webhook refused');
    throw new AppError('unauthenticated', `Webhook refused: ${verified.reason}`);
  }
  const { event } = verified;
  return ctx.db.transaction().execute(async (trx) => {
    // Stored, with the application it is about (if the desk holds it) read in the same statement.
    const stored = (
      await executePrepared(
        trx,
        trx
          .insertInto('webhook_inbox')
          .values({
            provider,
            event_id: event.eventId,
            event_type: event.type,
            provider_application_id: event.providerApplicationId,
            payload: JSON.stringify(event.payload),
          })
          .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
          .returning((eb) => [
            'id',
            eb
              .selectFrom('applications')
              .select('applications.id')
              .where('applications.provider', '=', provider)
              .where('applications.provider_application_id', '=', event.providerApplicationId)
              .as('application_id'),
          ]),
      )
    ).rows[0];
    if (!stored) return { duplicate: true };
    // No job: the inbox row is the queue (webhook-queue.ts).
    await recordAudit(
      trx,
      { kind: 'provider', provider },
      {
        action: 'webhook.received',
        entityId: stored.id,
        applicationId: stored.application_id,
        data: { eventId: event.eventId, type: event.type, providerApplicationId: event.providerApplicationId },
      },
    );
    return { duplicate: false };
  });
}

/**
 * A webhook the provider signed but whose content the desk cannot take: stored once per body
 * (a retry of the same bytes is a no-op), audited as `webhook.rejected`, counted on /metrics
 * (`desk_webhooks_rejected_total`, read from the stored rows), and never applied. The answer
 * is 422, not 400: the request itself is sound — authentic, well-framed, within limits — and it
 * is its content the desk cannot process; a 400 would blame the HTTP request, and a 5xx would
 * have the provider retry forever. The body names each problem by field path.
 */
async function rejectWebhook(
  ctx: WebhookContext,
  provider: Provider,
  rejected: WebhookRejection,
  rawBody: Buffer,
): Promise<AppError> {
  const bodySha256 = createHash('sha256').update(rawBody).digest('hex');
  const stored = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('webhook_rejections')
      .values({
        provider,
        body_sha256: bodySha256,
        reason: rejected.reason,
        problems: JSON.stringify(rejected.problems),
        event_id: rejected.eventId,
        event_type: rejected.eventType,
        body: rawBody,
      })
      .onConflict((oc) => oc.columns(['provider', 'body_sha256']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return null;
    await recordAudit(
      trx,
      { kind: 'provider', provider },
      {
        action: 'webhook.rejected',
        entityId: row.id,
        data: {
          reason: rejected.reason,
          eventId: rejected.eventId,
          type: rejected.eventType,
          bodySha256,
          problems: Object.keys(rejected.problems),
        },
      },
    );
    return row;
  });
  ctx.logger.warn(
    { provider, reason: rejected.reason, eventId: rejected.eventId, duplicate: !stored },
    'webhook rejected: signed, but not an event the desk can take',
  );
  return new AppError('unprocessable', `Webhook not accepted: ${rejected.message}`, rejected.problems);
}

/**
 * A stored event not yet applied, as a worker takes it (webhook-queue.ts): with the application
 * it is about, if the desk holds it, and an action of ours on the wire for that application.
 */
export type PendingEvent = {
  id: string;
  provider: Provider;
  provider_application_id: string | null;
  event_type: string;
  received_at: Date;
  application_id: string | null;
  sending_action_id: string | null;
};

/**
 * Applies stored webhook events about one application (one event, or several a worker took
 * together), oldest first: the provider is read once, after every one of them was received, and
 * its answer applied in one transaction that marks them all applied. That is what applying them
 * one after another would end in, since each application reads the provider's current state;
 * the status history gives the newest event's type as the reason.
 */
export async function applyWebhook(
  ctx: WebhookContext,
  events: readonly PendingEvent[],
  attempt: { isLast: boolean } = { isLast: false },
): Promise<void> {
  const { db } = ctx;
  const event = events.at(-1);
  if (!event) return;
  if (
    events.some((e) => e.provider !== event.provider || e.provider_application_id !== event.provider_application_id)
  ) {
    throw new Error('webhook events applied together must be about one application');
  }
  const pending = events.map((e) => e.id);
  const markApplied = (trx: Kysely<Database>) =>
    executePrepared(
      trx,
      trx
        .updateTable('webhook_inbox')
        .set({ applied_at: new Date() })
        .where((eb) => isOneOf(eb.ref('id'), pending)),
    );
  const applicationId = event.application_id;
  const adapter = adapterFor(ctx.providers, event.provider);
  if (!applicationId || !adapter || !event.provider_application_id) {
    ctx.logger.info({ inboxIds: pending, type: event.event_type }, 'webhook for an application the desk does not hold');
    await markApplied(db);
    return;
  }
  // An action of ours is on the wire for this application: its answer comes first, so that
  // the history records each status in the order the provider went through them.
  // (On the last attempt it goes ahead regardless: an event is never dropped for waiting.)
  if (event.sending_action_id && !attempt.isLast)
    throw new Error(`action ${event.sending_action_id} is being delivered; the event is applied after it`);
  // Errors propagate: the inbox's queue tries again with backoff.
  const observedAt = new Date();
  const snapshot = await adapter.getApplication(event.provider_application_id, randomUUID());
  await db.transaction().execute(async (trx) => {
    const locked = await lockApplication(trx, applicationId);
    if (!locked) return;
    await applySnapshot(trx, locked, snapshot, {
      source: 'provider_webhook',
      actorId: null,
      reason: event.event_type,
      observedAt,
    });
    await markApplied(trx);
  });
  for (const applied of events) {
    webhookApplyLag.observe({ provider: applied.provider }, (Date.now() - applied.received_at.getTime()) / 1000);
  }
}
