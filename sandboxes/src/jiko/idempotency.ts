/**
 * `x-jiko-idempotency` for the calls that change something (create, apply, upload).
 *
 * The key is inserted first, in the same transaction as the work it guards, and the answer
 * is written beside it before commit. A concurrent duplicate's insert waits on the unique
 * key until that transaction ends, then finds the answer and replays it: one effect, one
 * answer, whatever the timing. A replay answers the first status and the exact first body
 * (with `x-jiko-idempotent-replay: true`), even if the application has moved on since.
 *
 * What is remembered: every answer given once the request passed edge validation (auth,
 * headers, signature, body schema), refusals (404, 409) included, so a retried request
 * always gets the same answer. Requests refused at the edge are not remembered: fixing the
 * request and retrying with the same key works. The same key on a different request
 * (method, path or body bytes differ) is 409. Keys are forgotten after 24 hours.
 */
import { sql } from 'kysely';
import { type JikoAnswer, JikoError, type SerializedAnswer, serialize } from './http.js';
import type { SandboxDb } from './sandbox.tables.js';
import { sha256Hex } from './signing.js';

export const idempotencyRetentionHours = 24;

export type IdempotentRequest = { key: string; method: string; path: string; body: Buffer };

function requestDigest(request: IdempotentRequest): string {
  return sha256Hex(`${request.method}\n${request.path}\n${sha256Hex(request.body)}`);
}

/** Claims the key (null) or returns the answer it already holds (replay or conflict). */
async function claimKey(trx: SandboxDb, request: IdempotentRequest, digest: string): Promise<SerializedAnswer | null> {
  const inserted = await trx
    .insertInto('sandbox.jiko_idempotency_keys')
    .values({ key: request.key, method: request.method, path: request.path, request_sha256: digest })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return null;
  const existing = await trx
    .selectFrom('sandbox.jiko_idempotency_keys')
    .select(['request_sha256', 'response_status', 'response_body'])
    .where('key', '=', request.key)
    .executeTakeFirstOrThrow();
  if (existing.request_sha256 !== digest) {
    return serialize(
      new JikoError(409, 'This x-jiko-idempotency key was already used for a different request.').toAnswer(),
    );
  }
  if (existing.response_status === null || existing.response_body === null) {
    // Cannot happen: the answer is written before the claiming transaction commits.
    throw new Error('idempotency record without an answer');
  }
  return { status: existing.response_status, text: existing.response_body, replayed: true };
}

async function recordAnswer(trx: SandboxDb, key: string, answer: JikoAnswer): Promise<SerializedAnswer> {
  const serialized = serialize(answer);
  await trx
    .updateTable('sandbox.jiko_idempotency_keys')
    .set({ response_status: serialized.status, response_body: serialized.text })
    .where('key', '=', key)
    .execute();
  return serialized;
}

/**
 * Runs `work` once per key. A JikoError thrown by the work is its answer: the work's writes
 * are rolled back and the refusal is remembered under the key instead.
 */
export async function runIdempotent(
  db: SandboxDb,
  request: IdempotentRequest,
  work: (trx: SandboxDb) => Promise<JikoAnswer>,
): Promise<SerializedAnswer> {
  const digest = requestDigest(request);
  try {
    return await db.transaction().execute(async (trx) => {
      const earlier = await claimKey(trx, request, digest);
      if (earlier) return earlier;
      return recordAnswer(trx, request.key, await work(trx));
    });
  } catch (err) {
    if (!(err instanceof JikoError)) throw err;
    return db.transaction().execute(async (trx) => {
      const earlier = await claimKey(trx, request, digest);
      if (earlier) return earlier;
      return recordAnswer(trx, request.key, err.toAnswer());
    });
  }
}

/** Forgets keys older than the retention window. */
export async function forgetOldIdempotencyKeys(db: SandboxDb): Promise<void> {
  await db
    .deleteFrom('sandbox.jiko_idempotency_keys')
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${idempotencyRetentionHours})`)
    .execute();
}
