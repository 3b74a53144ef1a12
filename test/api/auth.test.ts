/**
 * Staff sign-in: sessions in the database behind an HttpOnly, SameSite=Strict cookie, a new
 * session at every sign-in, idle and absolute timeouts, sign-in throttling per account and per
 * address, cross-site request refusal, and every attempt on the audit trail.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, Me, StaffMember } from '@desk/shared';
import { databaseKinds } from '../support/databases.js';
import { deskClient, emailOf, startTestDesk, testPassword, type TestDesk } from '../support/desk.js';

const login = (desk: TestDesk, body: unknown, headers: Record<string, string> = {}) =>
  desk.anonymous.fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

const auditRows = (desk: TestDesk, action: string) =>
  desk.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('id').execute();

describe.each(databaseKinds)('staff sign-in on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it('When staff sign in, then they get an HttpOnly SameSite=Strict session cookie and their permissions', async () => {
    const res = await login(desk, { email: 'Analyst@Test.Desk ', password: testPassword });
    expect(res.status).toBe(200);
    const me = (await res.json()) as Me;
    expect(me).toMatchObject({ email: emailOf('analyst'), role: 'analyst' });
    expect(me.permissions).toContain('applications.work');
    expect(me.permissions).not.toContain('audit.read');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^desk_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);

    const client = deskClient(desk.url, cookieOf(res));
    const again = await client.get<Me>('/api/auth/me');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(me);
    // Only the token's hash is stored.
    const token = cookieOf(res).split('=')[1] ?? '';
    const stored = await desk.db.selectFrom('staff_sessions').select('id').where('id', '=', token).executeTakeFirst();
    expect(stored).toBeUndefined();
  });

  it('When the password or the email is wrong, then the answer is the same 401 and the attempt is audited', async () => {
    const wrongPassword = await login(desk, { email: emailOf('support'), password: 'not the password' });
    const unknownEmail = await login(desk, { email: 'nobody@test.desk', password: 'not the password' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const bodies = [(await wrongPassword.json()) as ErrorBody, (await unknownEmail.json()) as ErrorBody];
    expect(bodies[0]).toEqual(bodies[1]);
    expect(bodies[0]?.message).toBe('Email or password is wrong');
    expect(wrongPassword.headers.get('set-cookie')).toBeNull();

    const failures = await auditRows(desk, 'auth.sign_in_failed');
    const emails = failures.map((f) => (f.data as { email: string }).email);
    expect(emails).toEqual(expect.arrayContaining([emailOf('support'), 'nobody@test.desk']));
    expect(JSON.stringify(failures)).not.toContain('not the password');
    expect(failures.every((f) => f.actor === 'anonymous' && f.ip !== null)).toBe(true);
    const successes = await auditRows(desk, 'auth.signed_in');
    expect(successes.map((s) => s.actor)).toContain(emailOf('analyst'));
  });

  it('When the sign-in body is malformed, then a 400 names each bad field', async () => {
    const res = await login(desk, { email: 'not-an-email', password: '', extra: 1 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(Object.keys(body.errors ?? {}).sort()).toEqual(['email', 'extra', 'password']);
  });

  it('When someone signs in again, then the old session is replaced by a new one', async () => {
    const first = await login(desk, { email: emailOf('auditor'), password: testPassword });
    const firstCookie = cookieOf(first);
    const second = await login(desk, { email: emailOf('auditor'), password: testPassword }, { cookie: firstCookie });
    const secondCookie = cookieOf(second);
    expect(secondCookie).not.toBe(firstCookie);
    expect((await deskClient(desk.url, firstCookie).get('/api/auth/me')).status).toBe(401);
    expect((await deskClient(desk.url, secondCookie).get('/api/auth/me')).status).toBe(200);
  });

  it('When staff sign out, then the cookie no longer opens anything', async () => {
    const signedIn = await desk.signIn(emailOf('support'), testPassword);
    expect((await signedIn.get('/api/applications')).status).toBe(200);
    const out = await signedIn.fetch('/api/auth/logout', { method: 'POST' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/desk_session=;/);
    expect((await signedIn.get('/api/applications')).status).toBe(401);
    expect((await auditRows(desk, 'auth.signed_out')).some((r) => r.actor === emailOf('support'))).toBe(true);
  });

  it('When nobody is signed in, then every API route but sign-in answers 401, and forged cookies do too', async () => {
    for (const path of ['/api/applications', '/api/rfis', '/api/staff', '/api/auth/me', '/api/audit-events']) {
      const res = await desk.anonymous.get<ErrorBody>(path);
      expect(res.status, path).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
    }
    const forged = deskClient(desk.url, 'desk_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await forged.get('/api/applications')).status).toBe(401);
    const garbage = deskClient(desk.url, 'desk_session=../../etc');
    expect((await garbage.get('/api/applications')).status).toBe(401);
    // Health and the API description stay public.
    expect((await desk.anonymous.get('/api/openapi.json')).status).toBe(200);
    expect((await fetch(`${desk.url}/readyz`)).status).toBe(200);
  });

  it('When a state-changing request comes from another site, then it is refused before anything happens', async () => {
    const analyst = desk.as('analyst');
    const app = await desk.db.selectFrom('applications').select('id').limit(1).executeTakeFirst();
    const target = `/api/applications/${app?.id ?? '00000000-0000-4000-8000-000000000000'}/refresh`;
    const before = await desk.db.selectFrom('provider_actions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

    const crossOrigin = await analyst.fetch(target, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(crossOrigin.status).toBe(403);
    expect(((await crossOrigin.json()) as ErrorBody).message).toMatch(/Cross-site request refused/);
    const crossSite = await analyst.fetch(target, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    const sameSiteOtherOrigin = await analyst.fetch(target, { method: 'POST', headers: { 'sec-fetch-site': 'same-site' } });
    expect(sameSiteOtherOrigin.status).toBe(403);
    // A forged sign-in (login CSRF) is refused too.
    const forgedLogin = await login(desk, { email: emailOf('analyst'), password: testPassword }, { origin: 'https://evil.example' });
    expect(forgedLogin.status).toBe(403);

    const after = await desk.db.selectFrom('provider_actions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    // Reads are not state-changing: a cross-site GET is answered (the SameSite cookie guards it in browsers).
    expect((await analyst.fetch('/api/auth/me', { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
    // The desk's own pages pass.
    const own = await analyst.fetch('/api/auth/me', { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(own.status).toBe(200);
  });

  it('When an admin deactivates or re-roles someone, then their sessions end at once', async () => {
    const admin = desk.as('admin');
    const created = await admin.post<StaffMember>('/api/staff', {
      email: 'temp.analyst@test.desk',
      name: 'Temp Analyst',
      role: 'analyst',
      password: testPassword,
    });
    expect(created.status).toBe(201);
    const temp = await desk.signIn('temp.analyst@test.desk', testPassword);
    expect((await temp.get('/api/applications')).status).toBe(200);
    const demoted = await admin.patch<StaffMember>(`/api/staff/${created.body.id}`, { role: 'support', version: created.body.version });
    expect(demoted.status).toBe(200);
    expect((await temp.get('/api/applications')).status).toBe(401);

    const asSupport = await desk.signIn('temp.analyst@test.desk', testPassword);
    expect(asSupport.me.role).toBe('support');
    const stale = await admin.patch<ErrorBody>(`/api/staff/${created.body.id}`, { active: false, version: created.body.version });
    expect(stale.status).toBe(409);
    const off = await admin.patch<StaffMember>(`/api/staff/${created.body.id}`, { active: false, version: demoted.body.version });
    expect(off.status).toBe(200);
    expect((await asSupport.get('/api/applications')).status).toBe(401);
    expect((await login(desk, { email: 'temp.analyst@test.desk', password: testPassword })).status).toBe(401);
  });

  it('When passwords are stored, then they are argon2id hashes with at least OWASP parameters, never in a response', async () => {
    const rows = await desk.db.selectFrom('staff').select(['email', 'password_hash']).where('email', 'like', '%@test.desk').execute();
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) {
      const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(row.password_hash ?? '');
      expect(match, row.email).not.toBeNull();
      const [memory, passes] = [Number(match?.[1]), Number(match?.[2])];
      expect(memory).toBeGreaterThanOrEqual(19_456);
      expect(passes).toBeGreaterThanOrEqual(2);
    }
    const list = await desk.as('admin').get<{ data: StaffMember[] }>('/api/staff');
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|password/i);
  });

  it('When the session table is read as the database owner, then no session row carries the cookie value', async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from staff_sessions where length(id) <> 64`.execute(desk.db);
    expect(rows[0]?.n).toBe(0);
  });
});

describe.each(databaseKinds)('sign-in throttling and session timeouts on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind, {
      auth: { idleTimeoutSeconds: 2, absoluteTimeoutSeconds: 5, throttle: { perAccount: 3, perIp: 6, windowSeconds: 60 } },
    });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it('When an account fails three times, then the next sign-in is 429 even with the right password, and audited', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await login(desk, { email: emailOf('auditor'), password: `guess ${i}` })).status).toBe(401);
    }
    const throttled = await login(desk, { email: emailOf('auditor'), password: testPassword });
    expect(throttled.status).toBe(429);
    expect(((await throttled.json()) as ErrorBody).code).toBe('rate_limited');
    expect(throttled.headers.get('set-cookie')).toBeNull();
    const events = await auditRows(desk, 'auth.sign_in_throttled');
    expect(events.at(-1)?.data).toMatchObject({ email: emailOf('auditor'), reason: 'account' });
    // Another account from the same address is still allowed (3 failures < 6 per address).
    expect((await login(desk, { email: emailOf('support'), password: testPassword })).status).toBe(200);
  });

  it('When one address fails across many accounts, then it is throttled for every account', async () => {
    const accounts = ['analyst', 'support', 'admin'] as const;
    for (const role of accounts) {
      expect((await login(desk, { email: emailOf(role), password: 'wrong password' })).status).toBe(401);
    }
    // 3 earlier failures + 3 here = 6 for this address.
    const blocked = await login(desk, { email: emailOf('senior_analyst'), password: testPassword });
    expect(blocked.status).toBe(429);
    expect((await auditRows(desk, 'auth.sign_in_throttled')).at(-1)?.data).toMatchObject({ reason: 'address' });
  });

  it('When a session is idle past the timeout, then it ends', async () => {
    const session = desk.as('analyst');
    await new Promise((r) => setTimeout(r, 2_600));
    const res = await session.get<ErrorBody>('/api/auth/me');
    expect(res.status).toBe(401);
  });

  it('When a session is used all along, then it still ends at the absolute timeout', async () => {
    await desk.db.deleteFrom('login_attempts').execute();
    const session = await desk.signIn(emailOf('senior_analyst'), testPassword);
    const started = Date.now();
    // Used every 0.8 s (well inside the 2 s idle timeout) …
    while (Date.now() - started < 4_200) {
      expect((await session.get('/api/auth/me')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 800));
    }
    // … and still over once 5 s have passed since sign-in.
    await new Promise((r) => setTimeout(r, Math.max(0, 5_300 - (Date.now() - started))));
    expect((await session.get('/api/auth/me')).status).toBe(401);
  });
});
