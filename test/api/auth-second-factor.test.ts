/**
 * The second factor: TOTP (RFC 6238) enrolment with a QR code, sign-in in two steps, one-time
 * recovery codes, wrong codes throttled like passwords, an admin's reset that never shows the
 * factor, and the policy that requires it for privileged roles (or everyone) — enrolment before
 * any session. Every enrolment, use, failure and reset is on the audit trail.
 */
import { mountSandboxes } from '@desk/sandboxes';
import {
  type AuthSettings,
  createLogger,
  createStaff,
  defaultAuthSettings,
  generatePiiKeys,
  loadConfig,
  type RunningDesk,
  startDesk,
} from '@desk/server';
import type {
  EnrolledSignIn,
  ErrorBody,
  Me,
  RecoveryCodes,
  SecondFactorPolicy,
  SecondFactorStatus,
  SignInStep,
  StaffMember,
  TotpEnrolment,
} from '@desk/shared';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { type DeskClient, deskClient, startTestDesk, type TestDesk, testPassword } from '../support/desk.js';

/** The code an authenticator app shows for `secret`, `stepsAhead` 30-second steps from now. */
const codeOf = (secret: string, stepsAhead = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: Date.now() + stepsAhead * 30_000,
  });

const cookieNamed = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0] ?? null;

/** A browser at the sign-in page: it keeps the step cookie between the two steps. */
async function passwordStep(url: string, email: string, password = testPassword) {
  const res = await deskClient(url, null).fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as SignInStep & Me & ErrorBody;
  return {
    status: res.status,
    body,
    session: cookieNamed(res, 'desk_session'),
    step: deskClient(url, cookieNamed(res, 'desk_sign_in')),
  };
}

async function post<T>(client: DeskClient, path: string, body?: unknown) {
  const res = await client.fetch(path, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T & ErrorBody, session: cookieNamed(res, 'desk_session') };
}

const throttle = { perAccount: 3, perIp: 100, windowSeconds: 60, perDevice: 3 };

describe.each(databaseKinds)('second factor on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind, { auth: { ...defaultAuthSettings, throttle } });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  let count = 0;
  /** A member of the test's own with a password, signed in. */
  const newMember = async (role: 'analyst' | 'senior_analyst' = 'analyst') => {
    const email = `factor.${++count}@test.desk`;
    await createStaff(desk.db, { email, name: `Factor ${count}`, role, password: testPassword }, { kind: 'system' });
    return { email, client: await desk.signIn(email, testPassword) };
  };
  /** Enrols an authenticator for a signed-in member; the code of the current step is spent. */
  const enrol = async (client: DeskClient) => {
    const started = await post<TotpEnrolment>(client, '/api/auth/second-factor/enrolment');
    expect(started.status).toBe(201);
    const confirmed = await post<RecoveryCodes>(client, '/api/auth/second-factor/enrolment/confirm', {
      code: codeOf(started.body.secret),
    });
    expect(confirmed.status).toBe(200);
    return { secret: started.body.secret, recoveryCodes: confirmed.body.recoveryCodes };
  };
  const auditOf = async (email: string, prefix: string) => {
    const member = await desk.db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const rows = await desk.db
      .selectFrom('audit_events')
      .select(['action', 'data', 'actor'])
      .where('entity_id', '=', member.id)
      .where('action', 'like', `${prefix}%`)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ action: r.action, data: r.data, actor: r.actor }));
  };

  it('When a member enrols, then the secret is shown once with its QR code, sealed at rest, and holds after a first code', async () => {
    const { email, client } = await newMember();
    expect((await client.get<SecondFactorStatus>('/api/auth/second-factor')).body).toEqual({
      enrolled: false,
      confirmedAt: null,
      recoveryCodesLeft: 0,
      required: false,
    });
    const started = await post<TotpEnrolment>(client, '/api/auth/second-factor/enrolment');
    expect(started.status).toBe(201);
    const { secret, otpauthUri, qrCode } = started.body;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Compliance Desk');
    expect(decodeURIComponent(uri.pathname)).toContain(email);
    expect(qrCode).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    expect(
      Buffer.from(qrCode.split(',')[1] ?? '', 'base64')
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    // Sealed at rest: the database holds no trace of the secret.
    const row = await desk.db
      .selectFrom('staff_second_factors')
      .selectAll()
      .where('secret_sealed', 'like', '%')
      .execute();
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(desk.pii.open({ sealed: row.at(-1)?.secret_sealed ?? '', keyId: row.at(-1)?.key_id ?? '' })).toBe(secret);

    const wrong = await post(client, '/api/auth/second-factor/enrolment/confirm', { code: codeOf(secret, 10) });
    expect(wrong.status).toBe(422);
    expect(Object.keys(wrong.body.errors ?? {})).toEqual(['code']);
    const malformed = await post(client, '/api/auth/second-factor/enrolment/confirm', { code: '12ab' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual({ code: ['must be the 6 digits your authenticator app shows'] });
    const confirmed = await post<RecoveryCodes>(client, '/api/auth/second-factor/enrolment/confirm', {
      code: codeOf(secret),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.body.recoveryCodes).size).toBe(10);
    for (const code of confirmed.body.recoveryCodes) expect(code).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
    const stored = await desk.db.selectFrom('staff_recovery_codes').select('code_hash').execute();
    expect(JSON.stringify(stored)).not.toMatch(new RegExp(confirmed.body.recoveryCodes.join('|')));
    expect((await client.get<SecondFactorStatus>('/api/auth/second-factor')).body).toMatchObject({
      enrolled: true,
      recoveryCodesLeft: 10,
    });
    // One factor at a time: another enrolment is refused until an admin resets this one.
    expect((await post(client, '/api/auth/second-factor/enrolment')).status).toBe(409);
    expect((await auditOf(email, 'auth.second_factor_')).map((e) => e.action)).toEqual([
      'auth.second_factor_enrolment_started',
      'auth.second_factor_failed',
      'auth.second_factor_enrolled',
    ]);
  });

  it('When a member with a factor signs in, then the password alone gives no session, and a fresh code does; a used code never works again', async () => {
    const { email, client } = await newMember();
    const { secret } = await enrol(client);
    const first = await passwordStep(desk.url, email);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ next: 'second_factor', expiresAt: expect.any(String) });
    expect(first.session).toBeNull();
    // The step cookie is no session.
    expect((await first.step.get('/api/auth/me')).status).toBe(401);
    // Without the step cookie there is nothing to complete.
    const stray = await post(desk.anonymous, '/api/auth/login/second-factor', { code: codeOf(secret, 1) });
    expect(stray.status).toBe(401);
    // The code spent at enrolment is refused (replay), the next one is taken.
    const replay = await post(first.step, '/api/auth/login/second-factor', { code: codeOf(secret) });
    expect(replay.status).toBe(401);
    expect(Object.keys(replay.body.errors ?? {})).toEqual(['code']);
    const passed = await post<Me>(first.step, '/api/auth/login/second-factor', { code: codeOf(secret, 1) });
    expect(passed.status).toBe(200);
    expect(passed.body.email).toBe(email);
    expect(passed.session).not.toBeNull();
    expect((await deskClient(desk.url, passed.session).get('/api/auth/me')).status).toBe(200);
    // The step is done: its cookie completes nothing more.
    expect((await post(first.step, '/api/auth/login/second-factor', { code: codeOf(secret, 1) })).status).toBe(401);
    // The same code in a new sign-in: refused.
    const again = await passwordStep(desk.url, email);
    expect((await post(again.step, '/api/auth/login/second-factor', { code: codeOf(secret, 1) })).status).toBe(401);
    const events = await auditOf(email, 'auth.');
    expect(events.filter((e) => e.action === 'auth.signed_in').at(-1)?.data).toMatchObject({ secondFactor: 'totp' });
    expect(events.filter((e) => e.action === 'auth.second_factor_used')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'auth.second_factor_failed')).toHaveLength(2);
  });

  it('When a recovery code is used, then it signs in once and never again', async () => {
    const { email, client } = await newMember();
    const { recoveryCodes } = await enrol(client);
    const code = recoveryCodes[3] ?? '';
    const first = await passwordStep(desk.url, email);
    // Written as people copy it: upper case, with spaces.
    const used = await post<Me>(first.step, '/api/auth/login/second-factor', {
      recoveryCode: ` ${code.toUpperCase()} `,
    });
    expect(used.status).toBe(200);
    const second = await passwordStep(desk.url, email);
    const reused = await post(second.step, '/api/auth/login/second-factor', { recoveryCode: code });
    expect(reused.status).toBe(401);
    expect(Object.keys(reused.body.errors ?? {})).toEqual(['recoveryCode']);
    const both = await post(second.step, '/api/auth/login/second-factor', { code: '123456', recoveryCode: code });
    expect(both.status).toBe(400);
    const other = await post<Me>(second.step, '/api/auth/login/second-factor', { recoveryCode: recoveryCodes[4] });
    expect(other.status).toBe(200);
    const status = await deskClient(desk.url, other.session).get<SecondFactorStatus>('/api/auth/second-factor');
    expect(status.body.recoveryCodesLeft).toBe(8);
    const events = await auditOf(email, 'auth.second_factor_used');
    expect(events.map((e) => e.data)).toEqual([
      { method: 'recovery_code', step: 'sign_in', recoveryCodesLeft: 9 },
      { method: 'recovery_code', step: 'sign_in', recoveryCodesLeft: 8 },
    ]);
  });

  it('When a member renews their recovery codes with a current code, then only the new ones work', async () => {
    const { email, client } = await newMember();
    const { secret, recoveryCodes } = await enrol(client);
    expect((await post(client, '/api/auth/second-factor/recovery-codes', { code: codeOf(secret) })).status).toBe(422);
    const renewed = await post<RecoveryCodes>(client, '/api/auth/second-factor/recovery-codes', {
      code: codeOf(secret, 1),
    });
    expect(renewed.status).toBe(200);
    const step = await passwordStep(desk.url, email);
    expect((await post(step.step, '/api/auth/login/second-factor', { recoveryCode: recoveryCodes[0] })).status).toBe(
      401,
    );
    const ok = await post(step.step, '/api/auth/login/second-factor', { recoveryCode: renewed.body.recoveryCodes[0] });
    expect(ok.status).toBe(200);
  });

  it('When wrong codes are sent, then they are throttled like passwords: the right code is refused too, and it is audited', async () => {
    const { email, client } = await newMember();
    const { secret } = await enrol(client);
    // Window of 3 per account: the accepted password counts until the second step succeeds.
    const step = await passwordStep(desk.url, email);
    for (const guess of ['000000', '111111']) {
      expect((await post(step.step, '/api/auth/login/second-factor', { code: guess })).status).toBe(401);
    }
    const throttled = await post(step.step, '/api/auth/login/second-factor', { code: codeOf(secret, 1) });
    expect(throttled.status).toBe(429);
    expect(throttled.body.code).toBe('rate_limited');
    expect(throttled.session).toBeNull();
    expect((await passwordStep(desk.url, email)).status).toBe(429);
    const events = await auditOf(email, 'auth.second_factor_');
    expect(events.map((e) => e.action)).toEqual([
      'auth.second_factor_enrolment_started',
      'auth.second_factor_enrolled',
      'auth.second_factor_asked',
      'auth.second_factor_failed',
      'auth.second_factor_failed',
      'auth.second_factor_throttled',
    ]);
  });

  it('When an admin resets a member’s factor, then it is gone, their sessions end, it is audited, and no answer ever shows it', async () => {
    const { email, client } = await newMember();
    const { secret } = await enrol(client);
    const admin = desk.as('admin');
    const list = await admin.get<{ data: StaffMember[] }>('/api/staff');
    const member = list.body.data.find((m) => m.email === email);
    expect(member?.secondFactorEnrolled).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(
      (await desk.as('senior_analyst').fetch(`/api/staff/${member?.id}/second-factor`, { method: 'DELETE' })).status,
    ).toBe(403);
    const reset = await admin.fetch(`/api/staff/${member?.id}/second-factor`, { method: 'DELETE' });
    expect(reset.status).toBe(204);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect((await admin.fetch(`/api/staff/${member?.id}/second-factor`, { method: 'DELETE' })).status).toBe(409);
    // Back to a password alone (the policy here asks nobody), and free to enrol again.
    const again = await passwordStep(desk.url, email);
    expect(again.status).toBe(200);
    const status = await deskClient(desk.url, again.session).get<SecondFactorStatus>('/api/auth/second-factor');
    expect(status.body).toMatchObject({ enrolled: false, recoveryCodesLeft: 0 });
    const events = await auditOf(email, 'auth.second_factor_reset');
    expect(events).toEqual([{ action: 'auth.second_factor_reset', data: {}, actor: 'admin@test.desk' }]);
  });
});

describe.each(databaseKinds)('second factor policy on %s database', (kind) => {
  describe.each(['required-roles', 'all'] as SecondFactorPolicy[])('DESK_MFA=%s', (policy) => {
    let database: TestDatabase;
    let desk: RunningDesk;
    beforeAll(async () => {
      database = await createTestDatabase(kind);
      const auth: AuthSettings = { ...defaultAuthSettings, secondFactor: policy };
      desk = await startDesk({
        database: database.target,
        port: 0,
        logger: createLogger('silent'),
        sandboxes: mountSandboxes(),
        reconcileEverySeconds: 0,
        auth,
        pii: generatePiiKeys(),
        worker: false,
      });
      for (const role of ['analyst', 'senior_analyst', 'admin'] as const) {
        await createStaff(
          desk.db,
          { email: `${role}.${policy}@test.desk`, name: role, role, password: testPassword },
          { kind: 'system' },
        );
      }
    });
    afterAll(async () => {
      await desk?.close();
      await database?.drop();
    });

    it('When a privileged member without a factor signs in, then they enrol before any session, and then sign in with it', async () => {
      const email = `senior_analyst.${policy}@test.desk`;
      const first = await passwordStep(desk.url, email);
      expect(first.status).toBe(202);
      expect(first.body.next).toBe('enrol_second_factor');
      expect(first.session).toBeNull();
      // No code is owed yet: the verify step is not this one.
      expect((await post(first.step, '/api/auth/login/second-factor', { code: '123456' })).status).toBe(401);
      const started = await post<TotpEnrolment>(first.step, '/api/auth/login/enrolment');
      expect(started.status).toBe(201);
      const wrong = await post(first.step, '/api/auth/login/enrolment/confirm', {
        code: codeOf(started.body.secret, 9),
      });
      expect(wrong.status).toBe(401);
      const enrolled = await post<EnrolledSignIn>(first.step, '/api/auth/login/enrolment/confirm', {
        code: codeOf(started.body.secret),
      });
      expect(enrolled.status).toBe(200);
      expect(enrolled.body.me.email).toBe(email);
      expect(enrolled.body.recoveryCodes).toHaveLength(10);
      const session = deskClient(desk.url, enrolled.session);
      expect((await session.get<SecondFactorStatus>('/api/auth/second-factor')).body).toMatchObject({
        enrolled: true,
        required: true,
      });
      // From now on: password, then code.
      const next = await passwordStep(desk.url, email);
      expect(next.body.next).toBe('second_factor');
      expect(
        (await post(next.step, '/api/auth/login/second-factor', { code: codeOf(started.body.secret, 1) })).status,
      ).toBe(200);
    });

    it('When an analyst signs in, then the policy decides whether a second factor is asked', async () => {
      const res = await passwordStep(desk.url, `analyst.${policy}@test.desk`);
      // Everyone under `all`; under `required-roles` an analyst (no privileged permission) signs in with the password.
      expect(res.status).toBe(policy === 'all' ? 202 : 200);
      expect(res.session === null).toBe(policy === 'all');
    });

    it('When an enrolment step is used on a sign-in that owes a code, or without one, then it is refused', async () => {
      expect((await post(deskClient(desk.url, null), '/api/auth/login/enrolment')).status).toBe(401);
      expect(
        (await post(deskClient(desk.url, `desk_sign_in=${'x'.repeat(43)}`), '/api/auth/login/enrolment')).status,
      ).toBe(401);
    });
  });
});

describe('second factor configuration', () => {
  it('When DESK_MFA is unset, then a desk on the built-in sandboxes (the demo) asks only members who enrolled, any other every privileged role', () => {
    const postgres = {
      DATABASE_URL: 'postgres://desk@127.0.0.1/desk',
      DESK_PII_KEYS: `k:${Buffer.alloc(32, 1).toString('base64')}`,
      DESK_PII_LOOKUP_KEY: Buffer.alloc(32, 2).toString('base64'),
    };
    expect(loadConfig({}).auth.secondFactor).toBe('optional');
    expect(loadConfig({ DESK_SANDBOXES: 'false' }).auth.secondFactor).toBe('required-roles');
    expect(loadConfig(postgres).auth.secondFactor).toBe('required-roles');
    expect(loadConfig({ ...postgres, DESK_SANDBOXES: 'true' }).auth.secondFactor).toBe('optional');
    expect(loadConfig({ DESK_MFA: 'all' }).auth.secondFactor).toBe('all');
    expect(() => loadConfig({ DESK_MFA: 'sometimes' })).toThrow(/DESK_MFA/);
  });
});
