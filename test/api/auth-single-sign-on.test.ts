/**
 * Single sign-on against a real OpenID provider (`oidc-provider`, certified) running in this
 * process on a port of its own: the authorization code flow with PKCE, state and nonce; the
 * member provisioned at the first sign-in and their role following their groups at each; an
 * unmapped member refused and their sessions ended; forged or expired ID tokens and a wrong
 * state or nonce refused; password sign-in switched off.
 */
import { mountSandboxes } from '@desk/sandboxes';
import {
  createLogger,
  createStaff,
  defaultAuthSettings,
  generatePiiKeys,
  loadConfig,
  type RunningDesk,
  startDesk,
} from '@desk/server';
import type { ErrorBody, Me, SignInOptions, SingleSignOnStart, StaffMember } from '@desk/shared';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { deskClient, startTestDesk, type TestDesk, testPassword } from '../support/desk.js';
import {
  type IdentityProvider,
  type IdentityProviderAccount,
  startIdentityProvider,
} from '../support/identity-provider.js';

const redirectUrl = 'https://desk.example.test/sso/callback';
const roleMap = [
  { group: 'desk-admins', role: 'admin' },
  { group: 'desk-seniors', role: 'senior_analyst' },
  { group: 'desk-analysts', role: 'analyst' },
] as const;

/** A browser at the identity provider: follows its redirects (keeping its cookies) back to the desk's callback page. */
async function authorize(authorizationUrl: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith(redirectUrl)) return new URL(url).search;
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const cookie of res.headers.getSetCookie()) {
      const pair = cookie.split(';')[0] ?? '';
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`the identity provider stopped at ${url}: ${res.status} ${await res.text()}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects at the identity provider');
}

const cookieNamed = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0] ?? null;

/** One sign-in through the desk's API as its web client would: start, the provider, the callback page. */
async function singleSignOn(
  deskUrl: string,
  options: { editAuthorizationUrl?: (url: URL) => void; editQuery?: (query: URLSearchParams) => void } = {},
) {
  const start = await deskClient(deskUrl, null).fetch('/api/auth/sso/start', { method: 'POST' });
  expect(start.status).toBe(200);
  const { authorizationUrl } = (await start.json()) as SingleSignOnStart;
  const ssoCookie = cookieNamed(start, 'desk_sso');
  const url = new URL(authorizationUrl);
  options.editAuthorizationUrl?.(url);
  const query = new URLSearchParams(await authorize(url.href));
  options.editQuery?.(query);
  const browser = deskClient(deskUrl, ssoCookie);
  const res = await browser.fetch('/api/auth/sso/callback', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `?${query}` }),
  });
  const body = (await res.json()) as Me & ErrorBody;
  const session = cookieNamed(res, 'desk_session');
  return { status: res.status, body, authorizationUrl: url, query: `?${query}`, browser, session };
}

const identityProvider = () =>
  startIdentityProvider({ name: 'Test IdP', roleMap, deskUrl: new URL(redirectUrl).origin });

describe.each(databaseKinds)('single sign-on on %s database', (kind) => {
  let idp: IdentityProvider;
  let desk: TestDesk;
  beforeAll(async () => {
    idp = await identityProvider();
    desk = await startTestDesk(kind, { auth: { ...defaultAuthSettings, oidc: idp.settings } });
  });
  afterAll(async () => {
    await desk?.stop();
    await idp?.close();
  });

  let count = 0;
  const account = (groups: string[], extra: Partial<IdentityProviderAccount> = {}) => {
    const sub = `subject-${++count}`;
    idp.accounts.set(sub, {
      email: `sso.${count}@corp.example`,
      name: `Sso ${count}`,
      groups,
      email_verified: true,
      ...extra,
    });
    idp.nextLogin = sub;
    return sub;
  };
  const auditFor = async (action: string, email?: string) => {
    const rows = await desk.db
      .selectFrom('audit_events')
      .select(['action', 'data', 'entity_id'])
      .where('action', '=', action)
      .orderBy('id')
      .execute();
    return email === undefined
      ? rows
      : rows.filter((r) => JSON.stringify(r.data).includes(email) || r.entity_id !== null);
  };
  const memberByEmail = async (email: string) =>
    (await desk.as('admin').get<{ data: StaffMember[] }>('/api/staff')).body.data.find((m) => m.email === email);

  it('When the sign-in page asks, then it offers the password and "Sign in with Test IdP"', async () => {
    const options = await desk.anonymous.get<SignInOptions>('/api/auth/options');
    expect(options.body).toEqual({ passwordSignIn: true, singleSignOn: { name: 'Test IdP' } });
  });

  it('When someone of a mapped group signs in for the first time, then they are provisioned with that role and get a session', async () => {
    const sub = account(['unrelated', 'desk-analysts']);
    const done = await singleSignOn(desk.url);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ email: `sso.${count}@corp.example`, name: `Sso ${count}`, role: 'analyst' });
    // Code flow with PKCE (S256), state and nonce.
    const params = done.authorizationUrl.searchParams;
    expect(params.get('response_type')).toBe('code');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toBeTruthy();
    expect(params.get('nonce')).toBeTruthy();
    const session = deskClient(desk.url, done.session);
    expect((await session.get<Me>('/api/auth/me')).body.role).toBe('analyst');
    expect((await memberByEmail(`sso.${count}@corp.example`))?.role).toBe('analyst');
    const provisioned = await desk.db
      .selectFrom('staff_identities')
      .select(['issuer', 'subject'])
      .where('subject', '=', sub)
      .execute();
    expect(provisioned).toEqual([{ issuer: idp.issuer, subject: sub }]);
    expect((await auditFor('staff.provisioned')).map((r) => r.data)).toContainEqual({
      email: `sso.${count}@corp.example`,
      name: `Sso ${count}`,
      role: 'analyst',
      issuer: idp.issuer,
    });
    // The callback is good once.
    const replay = await done.browser.post<ErrorBody>('/api/auth/sso/callback', { query: done.query });
    expect(replay.status).toBe(401);
  });

  it('When a member’s groups change, then their role follows at the next sign-in and the old role’s sessions end', async () => {
    const sub = account(['desk-analysts']);
    const first = await singleSignOn(desk.url);
    expect(first.body.role).toBe('analyst');
    const account1 = idp.accounts.get(sub) as IdentityProviderAccount;
    idp.accounts.set(sub, { ...account1, groups: ['desk-analysts', 'desk-seniors'] });
    idp.nextLogin = sub;
    const second = await singleSignOn(desk.url);
    expect(second.status).toBe(200);
    // The first listed mapping the member is in wins.
    expect(second.body.role).toBe('senior_analyst');
    expect((await deskClient(desk.url, first.session).get('/api/auth/me')).status).toBe(401);
    expect((await deskClient(desk.url, second.session).get<Me>('/api/auth/me')).body.role).toBe('senior_analyst');
    const synced = await auditFor('staff.role_synced');
    expect(synced.at(-1)?.data).toEqual({
      from: 'analyst',
      to: 'senior_analyst',
      groups: ['desk-analysts', 'desk-seniors'],
    });
    // Same person, same account: no second member.
    expect((await desk.db.selectFrom('staff_identities').selectAll().where('subject', '=', sub).execute()).length).toBe(
      1,
    );
  });

  it('When a member’s groups no longer map to a role, then they are refused and their sessions end', async () => {
    const sub = account(['desk-analysts']);
    const first = await singleSignOn(desk.url);
    expect(first.status).toBe(200);
    idp.accounts.set(sub, { ...(idp.accounts.get(sub) as IdentityProviderAccount), groups: ['marketing'] });
    idp.nextLogin = sub;
    const refused = await singleSignOn(desk.url);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/no role at this desk/);
    expect(refused.session).toBeNull();
    expect((await deskClient(desk.url, first.session).get('/api/auth/me')).status).toBe(401);
    const audited = (await auditFor('auth.sso_refused')).at(-1);
    expect(audited?.data).toMatchObject({ reason: 'unmapped', subject: sub, sessionsEnded: 1 });
    // Someone unmapped from the start is not provisioned.
    account(['marketing']);
    expect((await singleSignOn(desk.url)).status).toBe(403);
    expect(await memberByEmail(`sso.${count}@corp.example`)).toBeUndefined();
  });

  it('When the state sent back is not the one the desk sent, then it is refused', async () => {
    account(['desk-analysts']);
    const done = await singleSignOn(desk.url, { editQuery: (q) => q.set('state', 'not-the-state-we-sent') });
    expect(done.status).toBe(401);
    expect(done.session).toBeNull();
    expect((await auditFor('auth.sso_refused')).at(-1)?.data).toMatchObject({ reason: 'unchecked' });
  });

  it('When the nonce in the ID token is not the one the desk sent, then it is refused', async () => {
    account(['desk-analysts']);
    const done = await singleSignOn(desk.url, {
      editAuthorizationUrl: (url) => url.searchParams.set('nonce', 'a-nonce-the-desk-never-made'),
    });
    expect(done.status).toBe(401);
    expect(done.session).toBeNull();
    expect(String((await auditFor('auth.sso_refused')).at(-1)?.data.detail)).toMatch(/nonce/);
  });

  it('When the ID token is forged (signed with another key) or expired, then it is refused', async () => {
    const sub = account(['desk-admins']);
    const { privateKey: attackerKey } = await generateKeyPair('RS256');
    idp.tamper = async (idToken) =>
      new SignJWT({ ...decodeJwt(idToken) }).setProtectedHeader({ alg: 'RS256', kid: 'idp-key' }).sign(attackerKey);
    try {
      const forged = await singleSignOn(desk.url);
      expect(forged.status).toBe(401);
      expect(forged.session).toBeNull();
      const now = Math.floor(Date.now() / 1000);
      idp.tamper = async (idToken) => idp.signAsProvider({ ...decodeJwt(idToken), iat: now - 7200, exp: now - 3600 });
      idp.nextLogin = sub;
      const expired = await singleSignOn(desk.url);
      expect(expired.status).toBe(401);
      expect(expired.session).toBeNull();
      expect(String((await auditFor('auth.sso_refused')).at(-1)?.data.detail)).toMatch(/exp/);
      // Untampered, the same person signs in: the refusals were the tokens'.
      idp.tamper = async (idToken) => idToken;
      idp.nextLogin = sub;
      expect((await singleSignOn(desk.url)).body.role).toBe('admin');
    } finally {
      idp.tamper = null;
    }
  });

  it('When a desk account has the email, then a verified email links it (role from the groups) and an unverified one is refused', async () => {
    await createStaff(
      desk.db,
      { email: 'linked@corp.example', name: 'Linked', role: 'support', password: testPassword },
      { kind: 'system' },
    );
    account(['desk-analysts'], { email: 'linked@corp.example', email_verified: false });
    const unverified = await singleSignOn(desk.url);
    expect(unverified.status).toBe(403);
    account(['desk-analysts'], { email: 'Linked@corp.example' });
    const linked = await singleSignOn(desk.url);
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ email: 'linked@corp.example', role: 'analyst' });
    // Deactivated at the desk: refused, whatever the provider says.
    const member = (await memberByEmail('linked@corp.example')) as StaffMember;
    await desk.as('admin').patch(`/api/staff/${member.id}`, { active: false, version: member.version });
    idp.nextLogin = `subject-${count}`;
    const off = await singleSignOn(desk.url);
    expect(off.status).toBe(403);
    expect(off.body.message).toMatch(/deactivated/);
  });

  it('When a callback comes without a sign-in started in this browser, then it is refused', async () => {
    const res = await desk.anonymous.post<ErrorBody>('/api/auth/sso/callback', { query: '?code=abc&state=def' });
    expect(res.status).toBe(401);
  });
});

describe.each(databaseKinds)('password sign-in switched off on %s database', (kind) => {
  let idp: IdentityProvider;
  let database: TestDatabase;
  let desk: RunningDesk;
  beforeAll(async () => {
    idp = await identityProvider();
    database = await createTestDatabase(kind);
    desk = await startDesk({
      database: database.target,
      port: 0,
      logger: createLogger('silent'),
      sandboxes: mountSandboxes(),
      reconcileEverySeconds: 0,
      worker: false,
      pii: generatePiiKeys(),
      auth: { ...defaultAuthSettings, passwordSignIn: false, oidc: idp.settings },
    });
    await createStaff(
      desk.db,
      { email: 'admin@corp.example', name: 'Admin', role: 'admin', password: testPassword },
      { kind: 'system' },
    );
  });
  afterAll(async () => {
    await desk?.close();
    await database?.drop();
    await idp?.close();
  });

  it('When password sign-in is off, then the password is refused, no link is issued, and single sign-on works', async () => {
    const anonymous = deskClient(desk.url, null);
    expect((await anonymous.get<SignInOptions>('/api/auth/options')).body).toEqual({
      passwordSignIn: false,
      singleSignOn: { name: 'Test IdP' },
    });
    const password = await anonymous.post<ErrorBody>('/api/auth/login', {
      email: 'admin@corp.example',
      password: testPassword,
    });
    expect(password.status).toBe(403);
    expect(password.body.message).toMatch(/Sign in with Test IdP/i);
    idp.accounts.set('the-admin', {
      email: 'admin@corp.example',
      name: 'Admin',
      groups: ['desk-admins'],
      email_verified: true,
    });
    idp.nextLogin = 'the-admin';
    const done = await singleSignOn(desk.url);
    expect(done.status).toBe(200);
    const admin = deskClient(desk.url, done.session);
    const created = await admin.post<{ invitation: unknown }>('/api/staff', {
      email: 'new@corp.example',
      name: 'New',
      role: 'analyst',
    });
    expect(created.status).toBe(201);
    expect(created.body.invitation).toBeNull();
    const accept = await anonymous.post('/api/auth/invitations/accept', {
      token: 'x'.repeat(43),
      password: 'a long enough password',
    });
    expect(accept.status).toBe(403);
  });
});

describe('single sign-on configuration', () => {
  const oidcEnv = {
    DESK_OIDC_ISSUER: 'https://idp.example.test',
    DESK_OIDC_CLIENT_ID: 'desk',
    DESK_OIDC_CLIENT_SECRET: 'secret',
    DESK_OIDC_ROLE_MAP: 'desk-admins=admin, desk-analysts=analyst',
  };
  it('When single sign-on is configured from the environment, then every part is read and a missing one is named', () => {
    expect(loadConfig({ ...oidcEnv, DESK_PUBLIC_URL: 'https://desk.example.test/x' }).auth.oidc).toEqual({
      issuer: 'https://idp.example.test',
      clientId: 'desk',
      clientSecret: 'secret',
      redirectUrl: 'https://desk.example.test/sso/callback',
      groupsClaim: 'groups',
      roleMap: [
        { group: 'desk-admins', role: 'admin' },
        { group: 'desk-analysts', role: 'analyst' },
      ],
      name: 'single sign-on',
      scopes: 'openid email profile',
    });
    expect(loadConfig({}).auth).toMatchObject({ oidc: null, passwordSignIn: true });
    expect(() => loadConfig({ DESK_OIDC_ISSUER: 'https://idp.example.test' })).toThrow(
      /DESK_OIDC_CLIENT_ID, DESK_OIDC_CLIENT_SECRET, DESK_OIDC_ROLE_MAP/,
    );
    expect(() => loadConfig({ ...oidcEnv, DESK_OIDC_ROLE_MAP: 'desk-admins=root' })).toThrow(/DESK_OIDC_ROLE_MAP/);
    expect(() => loadConfig({ DESK_PASSWORD_SIGN_IN: 'false' })).toThrow(/DESK_PASSWORD_SIGN_IN/);
    expect(loadConfig({ ...oidcEnv, DESK_PASSWORD_SIGN_IN: 'false' }).auth.passwordSignIn).toBe(false);
  });
});
