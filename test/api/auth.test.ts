/**
 * Staff sign-in: sessions in the database behind an HttpOnly, SameSite=Strict cookie, a new
 * session at every sign-in, idle and absolute timeouts, sign-in throttling per account and per
 * address, cross-site request refusal, and every attempt on the audit trail.
 *
 * Every test brings what it counts on: its own staff members for failures and throttling, its
 * own client address (a loopback address of its own, so one test's failures never count
 * against another's), its own sessions for the timeouts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { defaultAuthSettings } from '@desk/server';
import type { ErrorBody, Me, StaffCreated, StaffMember, StaffRole } from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import {
  deskClient,
  emailOf,
  type SignedInClient,
  startTestDesk,
  type TestDesk,
  testPassword,
} from '../support/desk.js';

const login = (desk: TestDesk, body: unknown, headers: Record<string, string> = {}) =>
  desk.anonymous.fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/**
 * A sign-in sent from `address` (any of 127.0.0.0/8 reaches the desk on this machine), so a
 * test's failures are counted against an address no other test uses.
 */
function loginFrom(
  desk: TestDesk,
  address: string,
  body: { email: string; password: string },
): Promise<{ status: number; code: string | null; setCookie: string[] }> {
  const target = new URL(desk.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        localAddress: address,
        method: 'POST',
        path: '/api/auth/login',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(payload)),
          origin: desk.url,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const parsed = text ? (JSON.parse(text) as Partial<ErrorBody>) : {};
          resolve({
            status: res.statusCode ?? 0,
            code: parsed.code ?? null,
            setCookie: res.headers['set-cookie'] ?? [],
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

/** The session row's id: the SHA-256 of the cookie's token (the table never holds the token). */
const sessionIdOf = (cookie: string) =>
  createHash('sha256')
    .update(cookie.slice(cookie.indexOf('=') + 1))
    .digest('hex');

/** The last audit row's id, so a test reads only the rows written after it. */
const auditHead = async (desk: TestDesk) =>
  Number(
    (
      await desk.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow()
    ).id ?? 0,
  );

const auditRowsSince = (desk: TestDesk, action: string, afterId: number) =>
  desk.db
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', action)
    .where('id', '>', afterId)
    .orderBy('id')
    .execute();

/** A member created by the admin who sets their own password from the link the admin passes on. */
async function invite(desk: TestDesk, email: string, name: string, role: StaffRole): Promise<StaffMember> {
  const created = await desk.as('admin').post<StaffCreated>('/api/staff', { email, name, role });
  expect(created.status).toBe(201);
  const accepted = await desk.anonymous.post('/api/auth/invitations/accept', {
    token: created.body.invitation?.token,
    password: testPassword,
  });
  expect(accepted.status).toBe(200);
  return created.body.member;
}

/** A staff member of the test's own, created by the admin (nobody else ever signs in as them). */
async function newStaff(desk: TestDesk, role: 'analyst' | 'support' | 'auditor' = 'analyst'): Promise<string> {
  const email = `${role.replace('_', '.')}.${randomUUID().slice(0, 8)}@test.desk`;
  await invite(desk, email, `Own ${role}`, role);
  return email;
}

describe.each(databaseKinds)('staff sign-in on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    // Demo cases, so a state-changing request that got through would leave a trace.
    desk = await startTestDesk(kind, { demoCount: 5 });
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
    expect(
      await desk.db
        .selectFrom('staff_sessions')
        .select('id')
        .where('id', '=', sessionIdOf(cookieOf(res)))
        .executeTakeFirst(),
    ).toBeDefined();
  });

  it('When the password or the email is wrong, then the answer is the same 401 and the attempt is audited', async () => {
    const email = await newStaff(desk);
    const unknown = `nobody.${randomUUID().slice(0, 8)}@test.desk`;
    const head = await auditHead(desk);
    const wrongPassword = await login(desk, { email, password: 'not the password' });
    const unknownEmail = await login(desk, { email: unknown, password: 'not the password' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const bodies = [(await wrongPassword.json()) as ErrorBody, (await unknownEmail.json()) as ErrorBody];
    expect(bodies[0]).toEqual(bodies[1]);
    expect(bodies[0]?.message).toBe('Email or password is wrong');
    expect(wrongPassword.headers.get('set-cookie')).toBeNull();

    const failures = await auditRowsSince(desk, 'auth.sign_in_failed', head);
    expect(failures.map((f) => (f.data as { email: string }).email)).toEqual([email, unknown]);
    expect(JSON.stringify(failures)).not.toContain('not the password');
    expect(failures.every((f) => f.actor === 'anonymous' && f.ip !== null)).toBe(true);
    // The right password is audited as a success, under the member's own name.
    expect((await login(desk, { email, password: testPassword })).status).toBe(200);
    expect((await auditRowsSince(desk, 'auth.signed_in', head)).map((s) => s.actor)).toEqual([email]);
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
    expect((await deskClient(desk.url, firstCookie).get('/api/auth/me')).status).toBe(200);
    const second = await login(desk, { email: emailOf('auditor'), password: testPassword }, { cookie: firstCookie });
    const secondCookie = cookieOf(second);
    expect(secondCookie).not.toBe(firstCookie);
    expect((await deskClient(desk.url, firstCookie).get('/api/auth/me')).status).toBe(401);
    expect((await deskClient(desk.url, secondCookie).get('/api/auth/me')).status).toBe(200);
  });

  it('When staff sign out, then the cookie no longer opens anything', async () => {
    const head = await auditHead(desk);
    const signedIn = await desk.signIn(emailOf('support'), testPassword);
    expect((await signedIn.get('/api/applications')).status).toBe(200);
    const out = await signedIn.fetch('/api/auth/logout', { method: 'POST' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/desk_session=;/);
    expect((await signedIn.get('/api/applications')).status).toBe(401);
    expect((await auditRowsSince(desk, 'auth.signed_out', head)).map((r) => r.actor)).toEqual([emailOf('support')]);
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
    const app = await desk.db.selectFrom('applications').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const target = `/api/applications/${app.id}/refresh`;
    const actions = async () =>
      Number(
        (
          await desk.db
            .selectFrom('provider_actions')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('application_id', '=', app.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const sessions = async () =>
      Number(
        (
          await desk.db
            .selectFrom('staff_sessions')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const [actionsBefore, sessionsBefore] = [await actions(), await sessions()];

    const crossOrigin = await analyst.fetch(target, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(crossOrigin.status).toBe(403);
    expect(((await crossOrigin.json()) as ErrorBody).message).toMatch(/Cross-site request refused/);
    const crossSite = await analyst.fetch(target, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    const sameSiteOtherOrigin = await analyst.fetch(target, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-site' },
    });
    expect(sameSiteOtherOrigin.status).toBe(403);
    // A forged sign-in (login CSRF) is refused too: no session is made.
    const forgedLogin = await login(
      desk,
      { email: emailOf('analyst'), password: testPassword },
      { origin: 'https://evil.example' },
    );
    expect(forgedLogin.status).toBe(403);
    expect(forgedLogin.headers.get('set-cookie')).toBeNull();

    expect(await actions()).toBe(actionsBefore);
    expect(await sessions()).toBe(sessionsBefore);
    // The same request from the desk's own page goes through and records an action, so the
    // count above could have moved.
    const own = await analyst.fetch(target, { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } });
    expect(own.status).toBe(202);
    expect(await actions()).toBe(actionsBefore + 1);
    // Reads are not state-changing: a cross-site GET is answered (the SameSite cookie guards it in browsers).
    expect((await analyst.fetch('/api/auth/me', { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
  });

  it('When an admin deactivates or re-roles someone, then their sessions end at once', async () => {
    const admin = desk.as('admin');
    const created = { body: await invite(desk, 'temp.analyst@test.desk', 'Temp Analyst', 'analyst') };
    // Setting the password from the link moved the version on.
    created.body.version += 1;
    const temp = await desk.signIn('temp.analyst@test.desk', testPassword);
    expect((await temp.get('/api/applications')).status).toBe(200);
    const demoted = await admin.patch<StaffMember>(`/api/staff/${created.body.id}`, {
      role: 'support',
      version: created.body.version,
    });
    expect(demoted.status).toBe(200);
    expect((await temp.get('/api/applications')).status).toBe(401);

    const asSupport = await desk.signIn('temp.analyst@test.desk', testPassword);
    expect(asSupport.me.role).toBe('support');
    const stale = await admin.patch<ErrorBody>(`/api/staff/${created.body.id}`, {
      active: false,
      version: created.body.version,
    });
    expect(stale.status).toBe(409);
    const off = await admin.patch<StaffMember>(`/api/staff/${created.body.id}`, {
      active: false,
      version: demoted.body.version,
    });
    expect(off.status).toBe(200);
    expect((await asSupport.get('/api/applications')).status).toBe(401);
    expect((await login(desk, { email: 'temp.analyst@test.desk', password: testPassword })).status).toBe(401);
  });

  it('When passwords are stored, then they are argon2id hashes with at least OWASP parameters, never in a response', async () => {
    const rows = await desk.db
      .selectFrom('staff')
      .select(['email', 'password_hash'])
      .where('email', 'like', '%@test.desk')
      .execute();
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
    const { rows } = await sql<{ n: number; all: number }>`
      select count(*) filter (where length(id) <> 64)::int as n, count(*)::int as "all" from staff_sessions
    `.execute(desk.db);
    expect(rows[0]?.all).toBeGreaterThan(0);
    expect(rows[0]?.n).toBe(0);
  });
});

describe.each(databaseKinds)('sign-in throttling on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind, {
      auth: {
        ...defaultAuthSettings,
        idleTimeoutSeconds: 600,
        absoluteTimeoutSeconds: 3600,
        throttle: { perAccount: 3, perIp: 6, windowSeconds: 60 },
      },
    });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const throttledFor = async (email: string, afterId: number) =>
    (await auditRowsSince(desk, 'auth.sign_in_throttled', afterId)).filter(
      (e) => (e.data as { email: string }).email === email,
    );

  it('When an account fails three times, then the next sign-in is 429 even with the right password, from anywhere, and audited', async () => {
    const [email, neighbour] = [await newStaff(desk, 'auditor'), await newStaff(desk, 'support')];
    const head = await auditHead(desk);
    for (let i = 0; i < 3; i++) {
      expect((await loginFrom(desk, '127.0.0.11', { email, password: `guess ${i}` })).status).toBe(401);
    }
    const throttled = await loginFrom(desk, '127.0.0.11', { email, password: testPassword });
    expect(throttled.status).toBe(429);
    expect(throttled.code).toBe('rate_limited');
    expect(throttled.setCookie).toEqual([]);
    // The account is what is throttled: another address does no better …
    expect((await loginFrom(desk, '127.0.0.12', { email, password: testPassword })).status).toBe(429);
    const events = await throttledFor(email, head);
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ email, reason: 'account' }),
      expect.objectContaining({ email, reason: 'account' }),
    ]);
    expect(String(events[0]?.ip)).toContain('127.0.0.11');
    // … while another account from the same address is still let in (3 failures < 6 per address).
    expect((await loginFrom(desk, '127.0.0.11', { email: neighbour, password: testPassword })).status).toBe(200);
  });

  it('When one address fails across many accounts, then it is throttled for every account', async () => {
    const accounts = [await newStaff(desk), await newStaff(desk), await newStaff(desk)];
    const next = await newStaff(desk, 'auditor');
    const head = await auditHead(desk);
    // Two failures each: no account reaches its own limit of 3, the address reaches its 6.
    for (const email of [...accounts, ...accounts]) {
      expect((await loginFrom(desk, '127.0.0.21', { email, password: 'wrong password' })).status).toBe(401);
    }
    const blocked = await loginFrom(desk, '127.0.0.21', { email: next, password: testPassword });
    expect(blocked.status).toBe(429);
    expect(blocked.code).toBe('rate_limited');
    expect((await throttledFor(next, head)).map((e) => e.data)).toEqual([
      expect.objectContaining({ email: next, reason: 'address' }),
    ]);
    // The address is what is throttled: the same account from another address signs in.
    expect((await loginFrom(desk, '127.0.0.22', { email: next, password: testPassword })).status).toBe(200);
    expect((await loginFrom(desk, '127.0.0.22', { email: accounts[0] ?? '', password: testPassword })).status).toBe(
      200,
    );
  });
});

describe.each(databaseKinds)('session timeouts on %s database', (kind) => {
  // One desk per timeout, the other timeout long, so each test can end a session one way only.
  const idleSeconds = 3;
  const absoluteSeconds = 4;
  let idleDesk: TestDesk;
  let absoluteDesk: TestDesk;
  beforeAll(async () => {
    idleDesk = await startTestDesk(kind, {
      auth: {
        ...defaultAuthSettings,
        idleTimeoutSeconds: idleSeconds,
        absoluteTimeoutSeconds: 3600,
        throttle: { perAccount: 5, perIp: 30, windowSeconds: 900 },
      },
    });
    absoluteDesk = await startTestDesk(kind, {
      auth: {
        ...defaultAuthSettings,
        idleTimeoutSeconds: 3600,
        absoluteTimeoutSeconds: absoluteSeconds,
        throttle: { perAccount: 5, perIp: 30, windowSeconds: 900 },
      },
    });
  });
  afterAll(async () => {
    await idleDesk?.stop();
    await absoluteDesk?.stop();
  });

  const me = async (session: SignedInClient) => (await session.get<Me & ErrorBody>('/api/auth/me')).status;

  it('When a session is left unused past the idle timeout, then it ends, while one in use lives on', async () => {
    const left = await idleDesk.signIn(emailOf('analyst'), testPassword);
    const used = await idleDesk.signIn(emailOf('analyst'), testPassword);
    expect(await me(left)).toBe(200);
    expect(await me(used)).toBe(200);
    // Until the database itself says `left` has gone unused for longer than the idle timeout,
    // `used` keeps being used (and must keep answering).
    const unusedPastTimeout = async () => {
      expect(await me(used)).toBe(200);
      const { rows } = await sql<{ idle: boolean }>`
        SELECT last_seen_at <= now() - make_interval(secs => ${idleSeconds}) AS idle FROM staff_sessions WHERE id = ${sessionIdOf(left.cookie)}
      `.execute(idleDesk.db);
      return rows[0]?.idle ?? false;
    };
    await eventually(unusedPastTimeout, (idle) => idle, 20_000);
    expect(await me(left)).toBe(401);
    expect(await me(used)).toBe(200);
  });

  it('When a session is used all along, then it still ends at the absolute timeout', async () => {
    const session = await absoluteDesk.signIn(emailOf('analyst'), testPassword);
    const row = await absoluteDesk.db
      .selectFrom('staff_sessions')
      .select('expires_at')
      .where('id', '=', sessionIdOf(session.cookie))
      .executeTakeFirstOrThrow();
    let answered = 0;
    // Used every moment until it is refused.
    const use = async () => {
      const status = await me(session);
      if (status === 200) answered += 1;
      return { status, at: Date.now() };
    };
    const refused = await eventually(use, (r) => r.status !== 200, 20_000);
    expect(refused.status).toBe(401);
    expect(answered).toBeGreaterThan(1);
    // Not before the absolute timeout (the idle one is an hour here).
    expect(refused.at).toBeGreaterThanOrEqual(row.expires_at.getTime());
  });
});
