/**
 * Single sign-on with OpenID Connect (`openid-client`): the authorization code flow with PKCE,
 * `state` and `nonce`, and the ID token checked by the library — signature against the
 * provider's JWKS, issuer, audience, expiry, nonce.
 *
 * Starting a sign-in stores its state, nonce and code verifier under the SHA-256 of a random
 * token the browser keeps in the `desk_sso` cookie; the provider sends the browser back to the
 * web client's callback page, which posts the query string here. The pending sign-in is used
 * up before the provider is asked for tokens, so a callback is good once.
 *
 * The member is the provider's subject (issuer + `sub`, `staff_identities`). At the first sign-in
 * a member with the same (verified) email is linked, or a new one is provisioned. The role
 * follows the groups claim at every sign-in through the configured group → role mapping (first
 * listed group the member is in wins); a member whose groups map to no role is refused and their
 * sessions end. The identity provider is the authority for these members' roles and second
 * factor: the desk asks no TOTP code after single sign-on.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { StaffRole } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import * as client from 'openid-client';
import { type Actor, recordAudit, type StaffActor } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { createSession, endSessionsOf, type SessionSettings } from './sessions.js';

export type OidcSettings = {
  /** The issuer URL (its `/.well-known/openid-configuration` is read at the first sign-in). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back: the web client's callback page. */
  redirectUrl: string;
  /** The claim that lists the member's groups (default `groups`). */
  groupsClaim: string;
  /** Group → role, in order of precedence. */
  roleMap: readonly { group: string; role: StaffRole }[];
  /** Shown as "Sign in with <name>". */
  name: string;
  scopes: string;
};

export const ssoSeconds = 10 * 60;

/** Parses `group=role,group=role` (roles as in the permission matrix). */
export function parseRoleMap(text: string, roles: readonly string[]): { group: string; role: StaffRole }[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const eq = entry.lastIndexOf('=');
      const group = entry.slice(0, eq).trim();
      const role = entry.slice(eq + 1).trim();
      if (eq <= 0 || group === '') throw new Error(`"${entry}" is not group=role`);
      if (!roles.includes(role)) throw new Error(`"${role}" is not a role (${roles.join(', ')})`);
      return { group, role: role as StaffRole };
    });
  if (entries.length === 0) throw new Error('maps no group');
  return entries;
}

function pendingIdOf(token: string): string {
  return createHash('sha256').update(`sso:${token}`).digest('hex');
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

export type SingleSignOn = {
  settings: OidcSettings;
  /** Starts a sign-in: the provider's authorization URL, and the token for the browser's cookie. */
  start(db: Kysely<Database>): Promise<{ authorizationUrl: string; token: string }>;
  /** Completes one from the callback's query string; the member, signed in (or a 401/403 naming why not). */
  complete(
    db: Kysely<Database>,
    sessions: SessionSettings,
    input: { token: string | null; query: string },
    client: { ip: string | null; userAgent: string | null },
  ): Promise<{ token: string; member: { id: string; email: string; name: string; role: StaffRole } }>;
};

type Claims = Record<string, unknown>;

type SignedInMember = { id: string; email: string; name: string; role: StaffRole };

type Completion =
  | { refused: 'no_email' | 'email_taken' | 'inactive'; staffId: string | null }
  | { token: string; member: SignedInMember };

export function createSingleSignOn(settings: OidcSettings): SingleSignOn {
  let configuration: Promise<client.Configuration> | null = null;
  /** The provider's metadata and keys, read once (a failed read is tried again next time). */
  const config = () => {
    configuration ??= (async () => {
      const issuer = new URL(settings.issuer);
      // Plain HTTP only for a provider on this machine (development, tests).
      const insecure = issuer.protocol === 'http:' && loopbackHosts.has(issuer.hostname);
      // Non-repudiation: the ID token's signature is checked against the provider's JWKS even
      // though it came straight from the token endpoint (the library would trust TLS alone).
      const execute = [client.enableNonRepudiationChecks, ...(insecure ? [client.allowInsecureRequests] : [])];
      return client.discovery(issuer, settings.clientId, settings.clientSecret, undefined, { execute });
    })();
    configuration.catch(() => {
      configuration = null;
    });
    return configuration.catch((err: unknown) => {
      throw new AppError(
        'provider_unavailable',
        `The identity provider could not be reached (${err instanceof Error ? err.message : String(err)})`,
      );
    });
  };

  const refuse = async (
    db: Kysely<Database>,
    actor: Actor,
    staffId: string | null,
    data: {
      reason: 'unchecked' | 'provider_error' | 'unmapped' | 'inactive' | 'no_email' | 'email_taken';
      detail: string;
      subject: string | null;
      sessionsEnded?: number;
    },
    error: AppError,
  ): Promise<never> => {
    await recordAudit(db, actor, {
      action: 'auth.sso_refused',
      entityId: staffId,
      data: { ...data, detail: data.detail.slice(0, 300), sessionsEnded: data.sessionsEnded ?? 0 },
    });
    throw error;
  };

  return {
    settings,
    async start(db) {
      const configured = await config();
      const token = randomBytes(32).toString('base64url');
      const state = client.randomState();
      const nonce = client.randomNonce();
      const verifier = client.randomPKCECodeVerifier();
      await db
        .insertInto('oidc_sign_ins')
        .values({
          id: pendingIdOf(token),
          state,
          nonce,
          code_verifier: verifier,
          expires_at: sql<Date>`now() + make_interval(secs => ${ssoSeconds})`,
        })
        .execute();
      const url = client.buildAuthorizationUrl(configured, {
        redirect_uri: settings.redirectUrl,
        scope: settings.scopes,
        response_type: 'code',
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      return { authorizationUrl: url.href, token };
    },

    async complete(db, sessions, input, who) {
      const anonymous: Actor = { kind: 'anonymous', ip: who.ip };
      // Used up first: whatever follows, this callback is not good twice.
      const pending = input.token
        ? await db
            .updateTable('oidc_sign_ins')
            .set({ used_at: sql<Date>`now()` })
            .where('id', '=', pendingIdOf(input.token))
            .where('used_at', 'is', null)
            .where('expires_at', '>', sql<Date>`now()`)
            .returning(['state', 'nonce', 'code_verifier'])
            .executeTakeFirst()
        : undefined;
      if (!pending) {
        throw new AppError(
          'unauthenticated',
          'No single sign-on is in progress in this browser (or it expired); start again',
        );
      }
      const configured = await config();
      const currentUrl = new URL(settings.redirectUrl);
      currentUrl.search = input.query.startsWith('?') ? input.query : `?${input.query}`;
      const providerError = currentUrl.searchParams.get('error');
      if (providerError !== null) {
        const detail = `${providerError}: ${currentUrl.searchParams.get('error_description') ?? ''}`;
        return refuse(
          db,
          anonymous,
          null,
          { reason: 'provider_error', detail, subject: null },
          new AppError('unauthenticated', `The identity provider did not sign you in (${detail.slice(0, 200)})`),
        );
      }

      let claims: Claims;
      try {
        const tokens = await client.authorizationCodeGrant(configured, currentUrl, {
          pkceCodeVerifier: pending.code_verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) throw new Error('no ID token');
        claims = { ...idClaims };
        // Some providers put profile claims only in userinfo.
        if (
          (claims[settings.groupsClaim] === undefined || claims.email === undefined) &&
          configured.serverMetadata().userinfo_endpoint
        ) {
          const info = await client.fetchUserInfo(configured, tokens.access_token, idClaims.sub);
          claims = { ...info, ...idClaims, ...pick(info, [settings.groupsClaim, 'email', 'email_verified', 'name']) };
        }
      } catch (err) {
        const detail = describeRefusal(err);
        return refuse(
          db,
          anonymous,
          null,
          { reason: 'unchecked', detail, subject: null },
          new AppError(
            'unauthenticated',
            `The identity provider's answer did not check out; start again (${detail.slice(0, 200)})`,
          ),
        );
      }

      const subject = String(claims.sub);
      const issuer = configured.serverMetadata().issuer;
      const groups = groupsOf(claims[settings.groupsClaim]);
      const role = settings.roleMap.find((m) => groups.includes(m.group))?.role ?? null;
      const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null;
      const name =
        typeof claims.name === 'string' && claims.name.trim() !== '' ? claims.name.trim().slice(0, 200) : email;

      const linked = await db
        .selectFrom('staff_identities as i')
        .innerJoin('staff', 'staff.id', 'i.staff_id')
        .select(['staff.id', 'staff.email', 'staff.name', 'staff.role', 'staff.active'])
        .where('i.issuer', '=', issuer)
        .where('i.subject', '=', subject)
        .executeTakeFirst();

      if (role === null) {
        // The provider no longer gives this person a role here: whatever sessions they hold end.
        const ended = linked ? await endLiveSessions(db, linked.id) : 0;
        return refuse(
          db,
          anonymous,
          linked?.id ?? null,
          { reason: 'unmapped', detail: `groups: ${groups.join(', ').slice(0, 250)}`, subject, sessionsEnded: ended },
          new AppError(
            'forbidden',
            `Your groups at ${settings.name} give you no role at this desk; ask your administrator`,
          ),
        );
      }

      const member = await db.transaction().execute(async (trx): Promise<Completion> => {
        let current = linked;
        if (!current) {
          if (email === null) return { refused: 'no_email', staffId: null };
          const sameEmail = await trx
            .selectFrom('staff')
            .select(['id', 'email', 'name', 'role', 'active'])
            .where(sql<string>`lower(email)`, '=', email)
            .forUpdate()
            .executeTakeFirst();
          if (sameEmail) {
            // Linking an existing account takes the provider's word that the address is theirs.
            if (claims.email_verified !== true) return { refused: 'email_taken', staffId: sameEmail.id };
            await trx.insertInto('staff_identities').values({ issuer, subject, staff_id: sameEmail.id }).execute();
            current = sameEmail;
            await recordAudit(trx, actorOf(sameEmail, who.ip), {
              action: 'staff.identity_linked',
              entityId: sameEmail.id,
              data: { issuer, subject },
            });
          } else {
            const created = await trx
              .insertInto('staff')
              .values({ email, name: name ?? email, role, password_hash: null })
              .returning(['id', 'email', 'name', 'role', 'active'])
              .executeTakeFirstOrThrow();
            await trx.insertInto('staff_identities').values({ issuer, subject, staff_id: created.id }).execute();
            await recordAudit(
              trx,
              { kind: 'system' },
              {
                action: 'staff.provisioned',
                entityId: created.id,
                data: { email: created.email, name: created.name, role, issuer },
              },
            );
            current = created;
          }
        }
        if (!current.active) return { refused: 'inactive', staffId: current.id };
        if (current.role !== role) {
          await trx
            .updateTable('staff')
            .set((eb) => ({ role, version: eb('version', '+', 1), updated_at: new Date() }))
            .where('id', '=', current.id)
            .execute();
          // Sessions of the old role end with it.
          await endSessionsOf(trx, current.id);
          await recordAudit(
            trx,
            { kind: 'system' },
            {
              action: 'staff.role_synced',
              entityId: current.id,
              data: { from: current.role, to: role, groups: groups.slice(0, 50) },
            },
          );
        }
        const signedIn = { id: current.id, email: current.email, name: current.name, role };
        const session = await createSession(trx, current.id, sessions, who);
        await trx.updateTable('staff').set({ last_sign_in_at: new Date() }).where('id', '=', current.id).execute();
        await recordAudit(trx, actorOf(signedIn, who.ip), {
          action: 'auth.signed_in',
          entityId: current.id,
          data: { userAgent: who.userAgent?.slice(0, 200) ?? null, trustedDevice: false, singleSignOn: true },
        });
        return { token: session.token, member: signedIn };
      });
      if ('refused' in member) {
        const messages = {
          no_email: `${settings.name} sent no email address for you, which the desk needs to create your account`,
          email_taken: `A desk account with your email exists; ${settings.name} must vouch for the address (email_verified) to link it`,
          inactive: 'Your desk account is deactivated; ask an admin',
        } as const;
        return refuse(
          db,
          anonymous,
          member.staffId,
          { reason: member.refused, detail: messages[member.refused], subject },
          new AppError('forbidden', messages[member.refused]),
        );
      }
      return member;
    },
  };
}

/** What the library found wrong, for the audit trail and the answer: its code and message, and its cause's (which names the claim at fault). */
function describeRefusal(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(`${typeof code === 'string' ? code : current.name}: ${current.message}`);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(' — ') : String(err);
}

function pick(source: Claims, keys: string[]): Claims {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}

/** A groups claim as a list of names (a list, or one name). */
function groupsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string') : [];
}

function actorOf(member: { id: string; email: string; role: StaffRole }, ip: string | null): StaffActor {
  return { kind: 'staff', staffId: member.id, email: member.email, role: member.role, ip };
}

async function endLiveSessions(db: Kysely<Database>, staffId: string): Promise<number> {
  const ended = await db
    .updateTable('staff_sessions')
    .set({ ended_at: sql<Date>`now()` })
    .where('staff_id', '=', staffId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(ended.numUpdatedRows);
}
