/**
 * `POST /api/v1/login/` and the bearer tokens it hands out.
 *
 * Login takes `{ username, password }` as JSON (a form-encoded body is accepted too) and
 * answers 200 `{ token, token_type: "bearer", expires_in }`; a wrong pair is 401
 * `{ detail: "Incorrect username or password" }`, a body without them 422. Tokens are 32
 * random bytes (base64url), valid for an hour; only their SHA-256 is stored, so they survive
 * a restart and any process sharing the database accepts them. Every other Jiko route needs
 * `Authorization: Bearer <token>`: missing → 401 `{ detail: "Not authenticated" }`, unknown
 * or expired → 401 `{ detail: "Invalid or expired token" }`, both with
 * `WWW-Authenticate: Bearer`.
 */
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sql } from 'kysely';
import { headerValue, type JikoAnswer, JikoError } from './http.js';
import type { SandboxDb } from './sandbox.tables.js';
import { secretsEqual, sha256Hex } from './signing.js';
import { loginSchema, parseBody } from './validation.js';

export const tokenLifetimeSeconds = 3600;

export type Credentials = { username: string; password: string };

function parseLoginBody(bytes: Buffer, contentType: string | null): unknown {
  if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(bytes.toString('utf8')));
  }
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw JikoError.validation([{ loc: ['body', 0], msg: 'JSON decode error', type: 'json_invalid' }]);
  }
}

export async function login(
  db: SandboxDb,
  credentials: Credentials,
  bytes: Buffer,
  contentType: string | null,
): Promise<JikoAnswer> {
  const body = parseBody(loginSchema, parseLoginBody(bytes, contentType) ?? {});
  // Both compared, always: the time taken does not say which one was wrong.
  const userOk = secretsEqual(credentials.username, body.username);
  const passwordOk = secretsEqual(credentials.password, body.password);
  if (!userOk || !passwordOk) throw new JikoError(401, 'Incorrect username or password');
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sandbox.jiko_tokens')
    .values({
      token_sha256: sha256Hex(token),
      username: body.username,
      expires_at: sql<Date>`now() + make_interval(secs => ${tokenLifetimeSeconds})`,
    })
    .execute();
  return { status: 200, body: { token, token_type: 'bearer', expires_in: tokenLifetimeSeconds } };
}

export function requireBearerToken(db: SandboxDb): RequestHandler {
  return async (req, res, next) => {
    res.setHeader('WWW-Authenticate', 'Bearer');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headerValue(req, 'authorization') ?? '');
    if (!match?.[1]) throw new JikoError(401, 'Not authenticated');
    const row = await db
      .selectFrom('sandbox.jiko_tokens')
      .select('token_sha256')
      .where('token_sha256', '=', sha256Hex(match[1]))
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
    if (!row) throw new JikoError(401, 'Invalid or expired token');
    res.removeHeader('WWW-Authenticate');
    next();
  };
}

/** Forgets tokens that expired more than a day ago. */
export async function forgetExpiredTokens(db: SandboxDb): Promise<void> {
  await db.deleteFrom('sandbox.jiko_tokens').where('expires_at', '<', sql<Date>`now() - interval '1 day'`).execute();
}
