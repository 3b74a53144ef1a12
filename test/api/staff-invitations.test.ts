/**
 * Invitations instead of admin-chosen passwords: creating a member answers a one-time,
 * expiring set-password link (the token in the link's fragment, only its hash kept); the
 * member sets their own password with it; a used, replaced or expired link is refused with a
 * 409 naming why; `pnpm desk staff:create` prints such a link for the first admin.
 */
import { createHash } from 'node:crypto';
import type {
  ErrorBody,
  InvitationAccepted,
  InvitationDetail,
  StaffCreated,
  StaffInvitation,
  StaffMember,
} from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { deskClient, startTestDesk, type TestDesk } from '../support/desk.js';
import { runDeskCli, spawnDesk, stopDeskProcess } from '../support/process.js';
import { createProcessDatabase } from '../support/process-database.js';

const ownPassword = 'a password only I know';

describe.each(databaseKinds)('set-password links on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const create = (email: string, role = 'analyst') =>
    desk.as('admin').post<StaffCreated & ErrorBody>('/api/staff', { email, name: `Member ${email}`, role });
  const accept = (token: string | undefined, password = ownPassword) =>
    desk.anonymous.post<InvitationAccepted & ErrorBody>('/api/auth/invitations/accept', { token, password });
  const signInStatus = async (email: string, password: string) =>
    (await desk.anonymous.post('/api/auth/login', { email, password })).status;
  const auditActions = async (entityId: string) =>
    (
      await desk.db
        .selectFrom('audit_events')
        .select('action')
        .where('entity_id', '=', entityId)
        .orderBy('id')
        .execute()
    ).map((r) => r.action);

  it('When an admin creates a member, then the answer holds a one-time link the member sets their own password with', async () => {
    const created = await create('invited.one@test.desk');
    expect(created.status).toBe(201);
    const { member, invitation, grant } = created.body;
    expect(grant).toBeNull();
    expect(member).toMatchObject({ email: 'invited.one@test.desk', role: 'analyst', active: true });
    expect(member.invitationExpiresAt).toBe(invitation?.expiresAt);
    // Expires after the default 72 hours (give or take the test's own duration).
    const hours = (Date.parse(invitation?.expiresAt ?? '') - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);
    // The token rides in the fragment, which browsers never send to a server.
    expect(invitation?.link).toBe(`${new URL(desk.url).origin}/set-password#token=${invitation?.token}`);
    // Nobody can sign in before the member chose a password.
    expect(await signInStatus(member.email, ownPassword)).toBe(401);

    const inspected = await desk.anonymous.post<InvitationDetail>('/api/auth/invitations/inspect', {
      token: invitation?.token,
    });
    expect(inspected.status).toBe(200);
    expect(inspected.body).toEqual({ email: member.email, name: member.name, expiresAt: invitation?.expiresAt });

    const accepted = await accept(invitation?.token);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ email: member.email, awaitingApproval: false });
    expect(await signInStatus(member.email, ownPassword)).toBe(200);

    const again = await accept(invitation?.token, 'another password of mine');
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual({ token: [expect.stringMatching(/already used/)] });
    expect(await signInStatus(member.email, 'another password of mine')).toBe(401);

    const list = await desk.as('admin').get<{ data: StaffMember[] }>('/api/staff');
    expect(list.body.data.find((m) => m.id === member.id)?.invitationExpiresAt).toBeNull();
    expect(await auditActions(member.id)).toEqual([
      'staff.created',
      'staff.invitation_issued',
      'auth.sign_in_failed',
      'staff.password_set',
      'auth.signed_in',
      'staff.invitation_refused',
      'auth.sign_in_failed',
    ]);
  });

  it('When the token is stored, then only a hash of it is kept', async () => {
    const created = await create('invited.hash@test.desk');
    const token = created.body.invitation?.token ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await desk.db
      .selectFrom('staff_invitations')
      .selectAll()
      .where('staff_id', '=', created.body.member.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]?.token_hash).not.toBe(createHash('sha256').update(token).digest('hex'));
  });

  it('When an admin sends a password with a new member or a change, then it is refused naming the field', async () => {
    const admin = desk.as('admin');
    const created = await admin.post<ErrorBody>('/api/staff', {
      email: 'chosen.password@test.desk',
      name: 'Chosen',
      role: 'analyst',
      password: 'the admin knows this one',
    });
    expect(created.status).toBe(400);
    expect(created.body.errors).toEqual({ password: ['is not a known field'] });
    const member = (await create('no.password.change@test.desk')).body.member;
    const changed = await admin.patch<ErrorBody>(`/api/staff/${member.id}`, {
      password: 'the admin knows this one',
      version: member.version,
    });
    expect(changed.status).toBe(400);
    expect(changed.body.errors?.password).toEqual(['is not a known field']);
  });

  it('When an admin issues a new link, then the old one is refused as replaced and the new one works', async () => {
    const created = await create('invited.twice@test.desk');
    const first = created.body.invitation?.token;
    const reissued = await desk.as('admin').post<StaffInvitation>(`/api/staff/${created.body.member.id}/invitation`);
    expect(reissued.status).toBe(201);
    expect(reissued.body.token).not.toBe(first);
    const old = await accept(first);
    expect(old.status).toBe(409);
    expect(old.body.errors).toEqual({ token: [expect.stringMatching(/replaced/)] });
    const inspected = await desk.anonymous.post<ErrorBody>('/api/auth/invitations/inspect', { token: first });
    expect(inspected.status).toBe(409);
    expect((await accept(reissued.body.token)).status).toBe(200);
    expect(await signInStatus('invited.twice@test.desk', ownPassword)).toBe(200);
  });

  it('When a link has expired, then it is refused as expired and sets nothing', async () => {
    const created = await create('invited.late@test.desk');
    // The link's time runs out (the clock is the database's).
    await desk.db
      .updateTable('staff_invitations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('staff_id', '=', created.body.member.id)
      .execute();
    const late = await accept(created.body.invitation?.token);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('conflict');
    expect(late.body.errors).toEqual({ token: [expect.stringMatching(/expired/)] });
    expect(await signInStatus('invited.late@test.desk', ownPassword)).toBe(401);
    const refused = await desk.db
      .selectFrom('audit_events')
      .select('data')
      .where('action', '=', 'staff.invitation_refused')
      .where('entity_id', '=', created.body.member.id)
      .execute();
    expect(refused.map((r) => r.data)).toEqual([expect.objectContaining({ reason: 'expired' })]);
  });

  it('When a token is not one the desk issued, or the password breaks the rules, then the field is named', async () => {
    const unknown = await accept('x'.repeat(43));
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors).toEqual({ token: ['is not a link this desk issued'] });
    const created = await create('invited.short@test.desk');
    const short = await accept(created.body.invitation?.token, 'short');
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual({ password: ['must be at least 12 characters'] });
    const missing = await desk.anonymous.post<ErrorBody>('/api/auth/invitations/accept', {});
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.errors ?? {}).sort()).toEqual(['password', 'token']);
  });

  it('When a member who forgot their password uses a new link, then their sessions end and only the new password works', async () => {
    const created = await create('forgetful@test.desk');
    await accept(created.body.invitation?.token);
    const session = await desk.signIn('forgetful@test.desk', ownPassword);
    expect((await session.get('/api/auth/me')).status).toBe(200);
    const link = await desk.as('admin').post<StaffInvitation>(`/api/staff/${created.body.member.id}/invitation`);
    // Until the link is used, the password the member has still works.
    expect(await signInStatus('forgetful@test.desk', ownPassword)).toBe(200);
    expect((await accept(link.body.token, 'my brand new password')).status).toBe(200);
    expect((await session.get('/api/auth/me')).status).toBe(401);
    expect(await signInStatus('forgetful@test.desk', ownPassword)).toBe(401);
    expect(await signInStatus('forgetful@test.desk', 'my brand new password')).toBe(200);
  });

  it('When anyone but an admin issues a link, then it is refused', async () => {
    const created = await create('not.by.you@test.desk');
    const res = await desk.as('senior_analyst').post<ErrorBody>(`/api/staff/${created.body.member.id}/invitation`);
    expect(res.status).toBe(403);
  });
});

describe.each(databaseKinds)('the first admin from the command line on %s database', (kind) => {
  it('When staff:create runs, then it prints a one-time link on DESK_PUBLIC_URL that sets the admin’s password', async () => {
    const database = await createProcessDatabase(kind);
    try {
      // The sandboxes stand in for the providers (on Postgres too); the second factor is another test's.
      const env = {
        ...database.env,
        DESK_SANDBOXES: 'true',
        DESK_DEMO_DATA: 'false',
        DESK_MFA: 'optional',
        DESK_PUBLIC_URL: 'https://desk.example.test',
      };
      const cli = await runDeskCli(['staff:create', '--email', 'first.admin@test.desk', '--role', 'admin'], env);
      expect(cli.code, cli.output).toBe(0);
      expect(cli.output).toMatch(/created admin first\.admin@test\.desk/);
      const link = /^https:\/\/desk\.example\.test\/set-password#token=([A-Za-z0-9_-]{43})$/m.exec(cli.output);
      expect(link, cli.output).not.toBeNull();
      const proc = await spawnDesk({ ...env, DESK_PUBLIC_URL: '' });
      try {
        const anonymous = deskClient(proc.url, null);
        expect(
          (await anonymous.post('/api/auth/login', { email: 'first.admin@test.desk', password: ownPassword })).status,
        ).toBe(401);
        const accepted = await anonymous.post('/api/auth/invitations/accept', {
          token: link?.[1],
          password: ownPassword,
        });
        expect(accepted.status).toBe(200);
        const signedIn = await anonymous.post<{ role: string }>('/api/auth/login', {
          email: 'first.admin@test.desk',
          password: ownPassword,
        });
        expect(signedIn.status).toBe(200);
        expect(signedIn.body.role).toBe('admin');
      } finally {
        await stopDeskProcess(proc, 'SIGTERM');
      }
    } finally {
      await database.drop();
    }
  });
});
