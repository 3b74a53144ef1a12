/**
 * Sign-in throttling under concurrency: a password check is reserved before it runs, so
 * however many attempts arrive at once an account (or an address) gets at most its limit of
 * checks; a browser trusted for the account (its device cookie) still signs in while the
 * account is attacked from elsewhere; the defaults are those the README documents.
 */

import { defaultAuthSettings, loadConfig } from '@desk/server';
import type { ErrorBody, Me } from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { emailOf, startTestDesk, type TestDesk, testPassword } from '../support/desk.js';

const documentedThrottle = { perAccount: 5, perIp: 30, windowSeconds: 15 * 60, perDevice: 5 };

const cookieNamed = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0] ?? null;

describe.each(databaseKinds)('sign-in throttling under concurrency on %s database', (kind) => {
  let desk: TestDesk;
  let auditMark = 0;

  beforeAll(async () => {
    // The documented defaults: 5 per account, 30 per address, 15 minutes.
    desk = await startTestDesk(kind);
  });
  afterAll(async () => {
    await desk?.stop();
  });
  beforeEach(async () => {
    // Each test starts with no recent attempts and counts only the audit events it caused.
    await desk.db.deleteFrom('login_attempts').execute();
    const last = await desk.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    auditMark = Number(last?.id ?? 0);
  });

  const login = (email: string, password: string, cookie?: string) =>
    desk.anonymous.fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ email, password }),
    });

  const inParallel = async (count: number, attempt: (i: number) => Promise<Response>) => {
    const answers = await Promise.all(Array.from({ length: count }, (_, i) => attempt(i)));
    return answers.map((res) => res.status).sort();
  };

  const tally = (statuses: number[]) => ({
    checked: statuses.filter((s) => s === 401).length,
    throttled: statuses.filter((s) => s === 429).length,
  });

  /** Audit events of this test by action, optionally for one email. */
  const auditCount = async (action: string, email?: string) => {
    let query = desk.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', '>', auditMark)
      .where('action', '=', action);
    if (email) query = query.where(sql<string>`data->>'email'`, '=', email);
    return Number((await query.executeTakeFirstOrThrow()).n);
  };

  /** Signs in from a fresh browser and returns the device cookie it is given. */
  const trustedBrowser = async (email: string) => {
    const res = await login(email, testPassword);
    expect(res.status).toBe(200);
    const device = cookieNamed(res, 'desk_device');
    expect(device).not.toBeNull();
    return device ?? '';
  };

  it('When 25 wrong passwords for one account arrive at once, then only 5 are checked and 20 refused before any check, on the audit trail', async () => {
    const email = emailOf('auditor');
    const statuses = await inParallel(25, (i) => login(email, `wrong guess ${i}`));
    expect(tally(statuses)).toEqual({ checked: 5, throttled: 20 });
    expect(await auditCount('auth.sign_in_failed', email)).toBe(5);
    expect(await auditCount('auth.sign_in_throttled', email)).toBe(20);
    // Every reserved check was settled, as a failure.
    const rows = await desk.db
      .selectFrom('login_attempts')
      .select(['succeeded', 'settled_at', 'device'])
      .where('email', '=', email)
      .execute();
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => !r.succeeded && r.settled_at !== null && r.device === null)).toBe(true);
    // The right password from an untrusted client is refused too, before it is checked.
    const locked = await login(email, testPassword);
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as ErrorBody).code).toBe('rate_limited');
  });

  it('When an account is attacked from elsewhere, then its owner still signs in from a browser trusted for it, and from nowhere else', async () => {
    const email = emailOf('admin');
    const device = await trustedBrowser(email);
    const otherAccountsDevice = await trustedBrowser(emailOf('support'));

    const attack = await inParallel(25, (i) => login(email, `attacker guess ${i}`));
    expect(tally(attack)).toEqual({ checked: 5, throttled: 20 });

    // Untrusted clients, a device trusted for another account and a forged device cookie all
    // count as the attacked pool.
    expect((await login(email, testPassword)).status).toBe(429);
    expect((await login(email, testPassword, otherAccountsDevice)).status).toBe(429);
    const forged = `${device.slice(0, -4)}${device.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect((await login(email, testPassword, forged)).status).toBe(429);

    const owner = await login(email, testPassword, device);
    expect(owner.status).toBe(200);
    expect(((await owner.json()) as Me).email).toBe(email);
    expect(cookieNamed(owner, 'desk_session')).not.toBeNull();
    const signedIn = await desk.db
      .selectFrom('audit_events')
      .select('data')
      .where('id', '>', auditMark)
      .where('action', '=', 'auth.signed_in')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(signedIn.data).toMatchObject({ trustedDevice: true });
    // The owner's success does not reopen the attacked pool.
    expect((await login(email, testPassword)).status).toBe(429);
  });

  it('When the device cookie is set, then it is HttpOnly, SameSite=Strict, long-lived and sent only to the sign-in routes', async () => {
    const res = await login(emailOf('analyst'), testPassword);
    expect(res.status).toBe(200);
    // The session cookie stays the first one set.
    expect(res.headers.getSetCookie()[0]).toMatch(/^desk_session=/);
    const device = res.headers.getSetCookie().find((c) => c.startsWith('desk_device=')) ?? '';
    expect(device).toMatch(/HttpOnly/i);
    expect(device).toMatch(/SameSite=Strict/i);
    expect(device).toMatch(/Path=\/api\/auth(;|$)/);
    expect(Number(/Max-Age=(\d+)/.exec(device)?.[1])).toBeGreaterThanOrEqual(30 * 24 * 3600);
  });

  it('When wrong passwords come from a trusted device, then that device has its own small allowance, then falls back to the shared pool', async () => {
    const email = emailOf('support');
    const device = await trustedBrowser(email);
    const statuses = await inParallel(25, (i) => login(email, `wrong from the device ${i}`, device));
    // 5 against the device, then 5 from the account's untrusted pool.
    expect(tally(statuses)).toEqual({ checked: 10, throttled: 15 });
    const rows = await desk.db
      .selectFrom('login_attempts')
      .select('device')
      .where('email', '=', email)
      .where('succeeded', '=', false)
      .execute();
    expect(rows.filter((r) => r.device !== null)).toHaveLength(5);
    expect(rows.filter((r) => r.device === null)).toHaveLength(5);
    expect((await login(email, testPassword, device)).status).toBe(429);
  });

  it('When 40 wrong sign-ins for different accounts arrive at once from one address, then only 30 are checked, and a trusted browser there still signs in', async () => {
    const device = await trustedBrowser(emailOf('senior_analyst'));
    const statuses = await inParallel(40, (i) => login(`nobody-${i}@test.desk`, 'not a password'));
    expect(tally(statuses)).toEqual({ checked: 30, throttled: 10 });
    expect(await auditCount('auth.sign_in_failed')).toBe(30);
    const throttled = await desk.db
      .selectFrom('audit_events')
      .select('data')
      .where('id', '>', auditMark)
      .where('action', '=', 'auth.sign_in_throttled')
      .execute();
    expect(throttled).toHaveLength(10);
    expect(throttled.every((e) => (e.data as { reason?: string }).reason === 'address')).toBe(true);
    // Every untrusted client at the address is refused; the browser trusted for its account is not.
    expect((await login(emailOf('senior_analyst'), testPassword)).status).toBe(429);
    expect((await login(emailOf('senior_analyst'), testPassword, device)).status).toBe(200);
  });
});

describe('sign-in throttling configuration', () => {
  it('When the desk is configured from the environment, then throttling takes the documented defaults and the session settings their own', () => {
    const configured = loadConfig({ DESK_SESSION_IDLE_MINUTES: '45', DESK_SESSION_MAX_HOURS: '8' });
    expect(configured.auth).toEqual({
      ...defaultAuthSettings,
      idleTimeoutSeconds: 45 * 60,
      absoluteTimeoutSeconds: 8 * 3600,
      throttle: documentedThrottle,
    });
    const unset = loadConfig({});
    expect(unset.auth).toEqual({
      ...defaultAuthSettings,
      idleTimeoutSeconds: 30 * 60,
      absoluteTimeoutSeconds: 12 * 3600,
      throttle: documentedThrottle,
    });
  });
});
