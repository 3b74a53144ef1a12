/**
 * Separation of duties: a privileged role (one that reveals identification numbers, resolves
 * escalations or manages staff — read from the permission matrix) is granted only when a
 * second admin approves; nobody changes their own role; every member sees and ends their own
 * sessions, an admin anyone's. Every step is on the audit trail.
 */
import { createStaff } from '@desk/server';
import {
  type ErrorBody,
  privilegedRoles,
  type RoleGrant,
  type StaffChangePending,
  type StaffCreated,
  type StaffMember,
  type StaffSession,
  staffRoles,
} from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { type SignedInClient, startTestDesk, type TestDesk, testPassword } from '../support/desk.js';

const ownPassword = 'a password only I know';

describe('the privileged roles', () => {
  it('When the matrix is read, then exactly the roles that reveal, resolve escalations or manage staff are privileged', () => {
    expect([...privilegedRoles].sort()).toEqual(['admin', 'senior_analyst']);
    expect(staffRoles.filter((r) => !privilegedRoles.includes(r)).sort()).toEqual(['analyst', 'auditor', 'support']);
  });
});

describe.each(databaseKinds)('two-admin grants on %s database', (kind) => {
  let desk: TestDesk;
  let secondAdmin: SignedInClient;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
    await createStaff(
      desk.db,
      { email: 'second.admin@test.desk', name: 'Second Admin', role: 'admin', password: testPassword },
      { kind: 'system' },
    );
    secondAdmin = await desk.signIn('second.admin@test.desk', testPassword);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const create = (email: string, role: string) =>
    desk.as('admin').post<StaffCreated & ErrorBody>('/api/staff', { email, name: `Member ${email}`, role });
  const accept = (token: string | undefined) =>
    desk.anonymous.post<{ awaitingApproval: boolean }>('/api/auth/invitations/accept', {
      token,
      password: ownPassword,
    });
  const signInStatus = async (email: string) =>
    (await desk.anonymous.post('/api/auth/login', { email, password: ownPassword })).status;
  const memberOf = async (id: string) =>
    (await desk.as('admin').get<{ data: StaffMember[] }>('/api/staff')).body.data.find((m) => m.id === id);
  const pending = async (client: SignedInClient) =>
    (await client.get<{ data: RoleGrant[] }>('/api/staff/grants')).body.data;

  it('When an admin creates a senior analyst, then the member stays inactive until a second admin approves', async () => {
    const created = await create('new.senior@test.desk', 'senior_analyst');
    expect(created.status).toBe(201);
    const { member, grant, invitation } = created.body;
    expect(member).toMatchObject({ role: 'senior_analyst', active: false });
    expect(grant).toMatchObject({
      staff: { id: member.id },
      role: 'senior_analyst',
      activates: true,
      state: 'pending',
      requestedBy: { email: 'admin@test.desk' },
      decidedBy: null,
    });
    // The member sets a password, but cannot sign in yet.
    expect((await accept(invitation?.token)).body).toMatchObject({ awaitingApproval: true });
    expect(await signInStatus('new.senior@test.desk')).toBe(401);
    // Both admins see the pending grant.
    expect((await pending(desk.as('admin'))).map((g) => g.id)).toContain(grant?.id);
    expect((await pending(secondAdmin)).map((g) => g.id)).toContain(grant?.id);

    // The admin who asked cannot approve it.
    const own = await desk.as('admin').post<ErrorBody>(`/api/staff/grants/${grant?.id}/approve`);
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/another admin/);
    expect((await memberOf(member.id))?.active).toBe(false);

    const approved = await secondAdmin.post<RoleGrant>(`/api/staff/grants/${grant?.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', decidedBy: { email: 'second.admin@test.desk' } });
    expect(await memberOf(member.id)).toMatchObject({ role: 'senior_analyst', active: true });
    expect(await signInStatus('new.senior@test.desk')).toBe(200);
    expect((await pending(secondAdmin)).map((g) => g.id)).not.toContain(grant?.id);

    const twice = await secondAdmin.post<ErrorBody>(`/api/staff/grants/${grant?.id}/approve`);
    expect(twice.status).toBe(409);

    const actions = await desk.db
      .selectFrom('audit_events')
      .select(['action', 'actor'])
      .where('entity_id', '=', member.id)
      .where('action', 'like', 'staff.grant_%')
      .orderBy('id')
      .execute();
    expect(actions).toEqual([
      { action: 'staff.grant_requested', actor: 'admin@test.desk' },
      { action: 'staff.grant_approved', actor: 'second.admin@test.desk' },
    ]);
  });

  it('When an admin creates a member of a role that is not privileged, then it takes effect at once', async () => {
    for (const role of staffRoles.filter((r) => !privilegedRoles.includes(r))) {
      const created = await create(`plain.${role}@test.desk`, role);
      expect(created.status).toBe(201);
      expect(created.body.grant).toBeNull();
      expect(created.body.member.active).toBe(true);
    }
  });

  it('When an admin raises a member to admin, then the change waits (202), the grant can be refused, and the role stays', async () => {
    const created = await create('raised@test.desk', 'analyst');
    await accept(created.body.invitation?.token);
    const session = await desk.signIn('raised@test.desk', ownPassword);
    const member = (await memberOf(created.body.member.id)) as StaffMember;
    const res = await desk.as('admin').patch<StaffChangePending>(`/api/staff/${member.id}`, {
      role: 'admin',
      name: 'Raised Member',
      version: member.version,
    });
    expect(res.status).toBe(202);
    expect(res.body.member).toMatchObject({ role: 'analyst', name: 'Raised Member' });
    expect(res.body.grant).toMatchObject({ role: 'admin', activates: false, state: 'pending' });
    // Still an analyst, still signed in.
    expect((await session.get<{ role: string }>('/api/auth/me')).body.role).toBe('analyst');
    // A second request while one is pending says why it is refused.
    const again = await desk.as('admin').patch<ErrorBody>(`/api/staff/${member.id}`, {
      role: 'senior_analyst',
      version: res.body.member.version,
    });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already waiting for a second admin/);

    const refused = await secondAdmin.post<RoleGrant>(`/api/staff/grants/${res.body.grant.id}/refuse`, {
      reason: 'not needed',
    });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ state: 'refused', reason: 'not needed' });
    expect((await memberOf(member.id))?.role).toBe('analyst');
    expect((await secondAdmin.post(`/api/staff/grants/${res.body.grant.id}/approve`)).status).toBe(409);
    const all = await secondAdmin.get<{ data: RoleGrant[] }>('/api/staff/grants?state=refused');
    expect(all.body.data.map((g) => g.id)).toContain(res.body.grant.id);
  });

  it('When an approved grant finds the member changed since, then it is refused with a reason', async () => {
    const created = await create('changed.since@test.desk', 'analyst');
    const member = created.body.member;
    const asked = await desk.as('admin').patch<StaffChangePending>(`/api/staff/${member.id}`, {
      role: 'senior_analyst',
      version: member.version,
    });
    expect(asked.status).toBe(202);
    // A direct change (deactivation) withdraws the pending grant.
    const off = await desk.as('admin').patch<StaffMember>(`/api/staff/${member.id}`, {
      active: false,
      version: asked.body.member.version,
    });
    expect(off.status).toBe(200);
    const approve = await secondAdmin.post<ErrorBody>(`/api/staff/grants/${asked.body.grant.id}/approve`);
    expect(approve.status).toBe(409);
    const grants = await secondAdmin.get<{ data: RoleGrant[] }>('/api/staff/grants?state=all');
    expect(grants.body.data.find((g) => g.id === asked.body.grant.id)).toMatchObject({
      state: 'refused',
      reason: expect.stringMatching(/superseded/),
    });
    // Reactivating a privileged member is a grant too; demoting is not.
    const senior = (await create('react.senior@test.desk', 'senior_analyst')).body;
    const approved = await secondAdmin.post(`/api/staff/grants/${senior.grant?.id}/approve`);
    expect(approved.status).toBe(200);
    let current = (await memberOf(senior.member.id)) as StaffMember;
    current = (
      await desk.as('admin').patch<StaffMember>(`/api/staff/${current.id}`, { active: false, version: current.version })
    ).body;
    const back = await desk.as('admin').patch<StaffChangePending>(`/api/staff/${current.id}`, {
      active: true,
      version: current.version,
    });
    expect(back.status).toBe(202);
    expect(back.body.grant).toMatchObject({ role: 'senior_analyst', activates: true });
    const demoted = await desk.as('admin').patch<StaffMember>(`/api/staff/${current.id}`, {
      role: 'analyst',
      version: back.body.member.version,
    });
    expect(demoted.status).toBe(200);
    expect(demoted.body).toMatchObject({ role: 'analyst', active: false });
  });

  it('When an admin changes their own role, then it is refused with a reason; a grant of their own role they cannot approve', async () => {
    const me = desk.as('admin').me;
    const self = (await memberOf(me.id)) as StaffMember;
    const res = await desk.as('admin').patch<ErrorBody>(`/api/staff/${me.id}`, {
      role: 'auditor',
      version: self.version,
    });
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual({ role: [expect.stringMatching(/another admin/)] });
    // The second admin asks to make the first a senior analyst: the first may not approve it.
    const asked = await secondAdmin.patch<StaffChangePending>(`/api/staff/${me.id}`, {
      role: 'senior_analyst',
      version: self.version,
    });
    expect(asked.status).toBe(202);
    const approve = await desk.as('admin').post<ErrorBody>(`/api/staff/grants/${asked.body.grant.id}/approve`);
    expect(approve.status).toBe(403);
    expect(approve.body.message).toMatch(/own role/);
    expect((await secondAdmin.post(`/api/staff/grants/${asked.body.grant.id}/refuse`, {})).status).toBe(200);
    expect((await memberOf(me.id))?.role).toBe('admin');
  });

  it('When the database is asked to record an approval by the requester, then it refuses', async () => {
    const created = await create('db.guard@test.desk', 'senior_analyst');
    const grant = created.body.grant as RoleGrant;
    await expect(
      desk.db
        .updateTable('staff_role_grants')
        .set({ state: 'approved', decided_by: grant.requestedBy.id, decided_at: new Date() })
        .where('id', '=', grant.id)
        .execute(),
    ).rejects.toThrow(/check constraint/);
  });

  it('When anyone but an admin lists or decides grants, then it is refused', async () => {
    for (const role of staffRoles.filter((r) => r !== 'admin')) {
      expect((await desk.as(role).get('/api/staff/grants')).status).toBe(403);
    }
  });
});

describe.each(databaseKinds)('own sessions on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
    for (const email of ['sessions.one@test.desk', 'sessions.two@test.desk']) {
      await createStaff(desk.db, { email, name: email, role: 'analyst', password: testPassword }, { kind: 'system' });
    }
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it('When a member lists their sessions, then they see only their own live ones, the current one marked, and can end one', async () => {
    const first = await desk.signIn('sessions.one@test.desk', testPassword);
    const second = await desk.signIn('sessions.one@test.desk', testPassword);
    const other = await desk.signIn('sessions.two@test.desk', testPassword);
    const listed = await first.get<{ data: StaffSession[] }>('/api/auth/sessions');
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(2);
    expect(listed.body.data.filter((s) => s.current)).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(first.cookie.split('=')[1]);
    const secondHandle = (await second.get<{ data: StaffSession[] }>('/api/auth/sessions')).body.data.find(
      (s) => s.current,
    )?.id;
    expect(secondHandle).toBeDefined();

    // Another member's session is not theirs to end.
    const othersHandle = (await other.get<{ data: StaffSession[] }>('/api/auth/sessions')).body.data[0]?.id;
    expect((await first.fetch(`/api/auth/sessions/${othersHandle}`, { method: 'DELETE' })).status).toBe(404);
    expect((await other.get('/api/auth/me')).status).toBe(200);

    expect((await first.fetch(`/api/auth/sessions/${secondHandle}`, { method: 'DELETE' })).status).toBe(204);
    expect((await second.get('/api/auth/me')).status).toBe(401);
    expect((await first.get<{ data: StaffSession[] }>('/api/auth/sessions')).body.data).toHaveLength(1);
    // Ending the current one signs out.
    const current = (await first.get<{ data: StaffSession[] }>('/api/auth/sessions')).body.data[0]?.id;
    const ended = await first.fetch(`/api/auth/sessions/${current}`, { method: 'DELETE' });
    expect(ended.status).toBe(204);
    expect(ended.headers.get('set-cookie')).toMatch(/desk_session=;/);
    expect((await first.get('/api/auth/me')).status).toBe(401);
    const audited = await desk.db
      .selectFrom('audit_events')
      .select('data')
      .where('action', '=', 'auth.session_ended')
      .where('entity_id', '=', first.me.id)
      .execute();
    expect(audited.map((r) => r.data)).toEqual([
      { sessionId: secondHandle, by: 'self' },
      { sessionId: current, by: 'self' },
    ]);
  });

  it('When an admin lists and ends a member’s sessions, then they end; nobody else may', async () => {
    const member = await desk.signIn('sessions.two@test.desk', testPassword);
    const again = await desk.signIn('sessions.two@test.desk', testPassword);
    const admin = desk.as('admin');
    const listed = await admin.get<{ data: StaffSession[] }>(`/api/staff/${member.me.id}/sessions`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.length).toBeGreaterThanOrEqual(2);
    expect(listed.body.data.every((s) => !s.current)).toBe(true);
    expect((await desk.as('senior_analyst').get(`/api/staff/${member.me.id}/sessions`)).status).toBe(403);
    const one = listed.body.data[0]?.id;
    expect((await admin.fetch(`/api/staff/${member.me.id}/sessions/${one}`, { method: 'DELETE' })).status).toBe(204);
    expect((await admin.fetch(`/api/staff/${member.me.id}/sessions`, { method: 'DELETE' })).status).toBe(204);
    expect((await member.get('/api/auth/me')).status).toBe(401);
    expect((await again.get('/api/auth/me')).status).toBe(401);
    expect((await admin.get<{ data: StaffSession[] }>(`/api/staff/${member.me.id}/sessions`)).body.data).toEqual([]);
    const by = await desk.db
      .selectFrom('audit_events')
      .select('data')
      .where('action', '=', 'auth.session_ended')
      .where('entity_id', '=', member.me.id)
      .where('actor', '=', 'admin@test.desk')
      .execute();
    expect(by.length).toBeGreaterThanOrEqual(2);
    expect(by.every((r) => (r.data as { by: string }).by === 'admin')).toBe(true);
  });
});
