/**
 * `DESK_TRUST_PROXY`, through the real entry and the environment. Off (the default), whatever a
 * client claims in `X-Forwarded-For` is neither the address on the audit trail nor the address
 * sign-ins are throttled by, and `X-Forwarded-Proto: https` does not make the session cookie
 * `Secure`. On (behind a TLS-terminating proxy), both are taken from the proxy's headers.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { testPassword } from '../support/desk.js';
import { type DeskProcess, spawnDesk, stopDeskProcess } from '../support/process.js';
import { createProcessDatabase, createProcessStaff, type ProcessDatabase } from '../support/process-database.js';

const adminEmail = 'taylor@test.desk';
/** The documented allowance of failed sign-ins per address in 15 minutes. */
const perAddress = 30;

type Desk = { database: ProcessDatabase; process: DeskProcess; session: string; device: string };

const cookieNamed = (res: Response, name: string) =>
  res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? null;

function login(desk: Desk, email: string, password: string, headers: Record<string, string>): Promise<Response> {
  // No Origin header: a client that is not a browser page (the cross-site check does not apply).
  return fetch(`${desk.process.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });
}

/** The newest audit events of `action`, as the admin reads the trail. */
async function auditEvents(desk: Desk, action: string): Promise<AuditEvent[]> {
  const res = await fetch(`${desk.process.url}/api/audit-events?action=${action}&limit=100`, {
    headers: { cookie: desk.session },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: AuditEvent[] }).data;
}

/** `count` failed sign-ins for accounts nobody has, each from the forwarded address `forwardedFor(i)`. */
async function failedSignIns(desk: Desk, count: number, forwardedFor: (i: number) => string): Promise<number[]> {
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      login(desk, `nobody-${randomUUID()}@test.desk`, 'not the password', { 'x-forwarded-for': forwardedFor(i) }),
    ),
  );
  return answers.map((res) => res.status);
}

describe.each(databaseKinds)('DESK_TRUST_PROXY on %s database', { timeout: 120_000 }, (kind) => {
  const desks = new Map<'off' | 'on', Desk>();
  const deskOf = (setting: 'off' | 'on'): Desk => {
    const desk = desks.get(setting);
    if (!desk) throw new Error(`no desk with the proxy ${setting}`);
    return desk;
  };

  beforeAll(async () => {
    await Promise.all(
      (['off', 'on'] as const).map(async (setting) => {
        const database = await createProcessDatabase(kind);
        await createProcessStaff(database, [{ email: adminEmail, role: 'admin' }], testPassword);
        const process = await spawnDesk({
          ...database.env,
          // Off is the default: the variable is left unset (empty), not set to false.
          DESK_TRUST_PROXY: setting === 'on' ? 'true' : '',
          DESK_SANDBOXES: 'true',
          DESK_DEMO_DATA: 'false',
        });
        const desk: Desk = { database, process, session: '', device: '' };
        desks.set(setting, desk);
        // A browser the admin signed in from: its device cookie keeps it out of the address pool
        // the throttling tests exhaust, so the tests run in any order.
        const res = await login(desk, adminEmail, testPassword, {});
        expect(res.status).toBe(200);
        desk.session = cookieNamed(res, 'desk_session')?.split(';')[0] ?? '';
        desk.device = cookieNamed(res, 'desk_device')?.split(';')[0] ?? '';
        expect(desk.device).not.toBe('');
      }),
    );
  }, 180_000);
  afterAll(async () => {
    for (const desk of desks.values()) {
      await stopDeskProcess(desk.process, 'SIGTERM').catch(() => desk.process.child.kill('SIGKILL'));
      await desk.database.drop();
    }
  });

  /** Signs the admin in from the trusted browser through a "proxy": the session cookie and the audit event it wrote. */
  async function signInForwarded(desk: Desk, forwardedFor: string) {
    const userAgent = `trust-proxy-test/${randomUUID()}`;
    const res = await login(desk, adminEmail, testPassword, {
      cookie: desk.device,
      'user-agent': userAgent,
      'x-forwarded-for': forwardedFor,
      'x-forwarded-proto': 'https',
    });
    expect(res.status).toBe(200);
    const event = (await auditEvents(desk, 'auth.signed_in')).find((e) => e.data.userAgent === userAgent);
    expect(event).toBeDefined();
    return { sessionCookie: cookieNamed(res, 'desk_session') ?? '', ip: event?.ip ?? null };
  }

  it("When the proxy is not trusted, then X-Forwarded-For is not the audit trail's address and X-Forwarded-Proto: https does not make the session cookie Secure", async () => {
    const { sessionCookie, ip } = await signInForwarded(deskOf('off'), '203.0.113.7');
    expect(sessionCookie).toMatch(/^desk_session=/);
    expect(sessionCookie).not.toMatch(/;\s*Secure/i);
    // The address the connection came from: this machine.
    expect(ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('When the proxy is not trusted, then failed sign-ins claiming different forwarded addresses all count against the one real address', async () => {
    const desk = deskOf('off');
    const statuses = await failedSignIns(desk, perAddress, (i) => `198.51.100.${i + 1}`);
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect(await failedSignIns(desk, 1, () => '198.51.100.200')).toEqual([429]);
    const failures = await auditEvents(desk, 'auth.sign_in_failed');
    expect(failures.length).toBeGreaterThanOrEqual(perAddress);
    expect(failures.every((e) => e.ip !== null && !e.ip.startsWith('198.51.100.'))).toBe(true);
  });

  it('When the proxy is trusted, then the audit trail records the forwarded client address and X-Forwarded-Proto: https makes the session cookie Secure', async () => {
    const { sessionCookie, ip } = await signInForwarded(deskOf('on'), '203.0.113.9');
    expect(sessionCookie).toMatch(/^desk_session=/);
    expect(sessionCookie).toMatch(/;\s*Secure/i);
    expect(ip).toBe('203.0.113.9');
  });

  it("When the proxy is trusted, then sign-ins are throttled by the forwarded client address: one client's failures do not throttle another", async () => {
    const desk = deskOf('on');
    const statuses = await failedSignIns(desk, perAddress, () => '192.0.2.10');
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect(await failedSignIns(desk, 1, () => '192.0.2.10')).toEqual([429]);
    expect(await failedSignIns(desk, 1, () => '192.0.2.11')).toEqual([401]);
    const failures = await auditEvents(desk, 'auth.sign_in_failed');
    expect(failures.filter((e) => e.ip === '192.0.2.10')).toHaveLength(perAddress);
    expect(failures.filter((e) => e.ip === '192.0.2.11')).toHaveLength(1);
  });
});
