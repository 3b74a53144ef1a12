/**
 * No admin obtains a privileged account alone: a new set-password link or a second-factor reset
 * for a member whose role is privileged waits for a second admin (neither the one who asked nor
 * the member). The link is shown once, to the admin who asked, never to the approver. For a
 * member whose role is not privileged both stay immediate. Every step is on the audit trail.
 */
import { createStaff } from '@desk/server';
import type {
  ErrorBody,
  RoleGrant,
  StaffAccessPending,
  StaffInvitation,
  StaffMember,
  StaffRole,
  TotpEnrolment,
} from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { type SignedInClient, startTestDesk, type TestDesk, testPassword } from '../support/desk.js';
import { totpCodeOf } from '../support/totp.js';

describe.each(databaseKinds)('a privileged member’s access needs two admins on %s database', (kind) => {
  let desk: TestDesk;
  let secondAdmin: SignedInClient;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
    await createStaff(
      desk.db,
      { email: 'takeover.second@test.desk', name: 'Second Admin', role: 'admin', password: testPassword },
      { kind: 'system' },
    );
    secondAdmin = await desk.signIn('takeover.second@test.desk', testPassword);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  let count = 0;
  /** A member of the test's own, with a password and an enrolled second factor. */
  const newMember = async (role: StaffRole) => {
    const email = `takeover.${++count}@test.desk`;
    const created = await createStaff(
      desk.db,
      { email, name: `Takeover ${count}`, role, password: testPassword },
      { kind: 'system' },
    );
    const client = await desk.signIn(email, testPassword);
    const started = await client.post<TotpEnrolment>('/api/auth/second-factor/enrolment');
    expect(started.status).toBe(201);
    const confirmed = await client.post('/api/auth/second-factor/enrolment/confirm', {
      code: totpCodeOf(started.body.secret),
    });
    expect(confirmed.status).toBe(200);
    return { id: created.id, email, client };
  };
  const enrolled = async (id: string) =>
    (await desk.as('admin').get<{ data: StaffMember[] }>('/api/staff')).body.data.find((m) => m.id === id)
      ?.secondFactorEnrolled;
  const reissue = (client: SignedInClient, id: string) =>
    client.post<StaffInvitation & StaffAccessPending & ErrorBody>(`/api/staff/${id}/invitation`);
  const reset = async (client: SignedInClient, id: string) => {
    const res = await client.fetch(`/api/staff/${id}/second-factor`, { method: 'DELETE' });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as (StaffAccessPending & ErrorBody) | null };
  };
  const approve = (client: SignedInClient, grantId: string) =>
    client.post<RoleGrant & ErrorBody & Partial<StaffInvitation>>(`/api/staff/grants/${grantId}/approve`);
  const takeLink = (client: SignedInClient, grantId: string) =>
    client.post<StaffInvitation & ErrorBody>(`/api/staff/grants/${grantId}/link`);
  const openLinks = async (id: string) =>
    (
      await desk.db
        .selectFrom('staff_invitations')
        .select('id')
        .where('staff_id', '=', id)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .execute()
    ).length;
  const auditOf = async (id: string) =>
    (
      await desk.db
        .selectFrom('audit_events')
        .select(['action', 'actor'])
        .where('entity_id', '=', id)
        .where((eb) =>
          eb.or([
            eb('action', 'like', 'staff.access_%'),
            eb('action', '=', 'staff.invitation_issued'),
            eb('action', '=', 'auth.second_factor_reset'),
          ]),
        )
        .orderBy('id')
        .execute()
    ).map((r) => `${r.action} by ${r.actor}`);

  it('When an admin asks for a senior analyst’s new set-password link, then it waits for another admin, the requester cannot approve, the approver never sees the link, and the requester takes it once', async () => {
    const member = await newMember('senior_analyst');
    const asked = await reissue(desk.as('admin'), member.id);
    expect(asked.status).toBe(202);
    expect(asked.body.token).toBeUndefined();
    expect(asked.body.grant).toMatchObject({ kind: 'invitation', state: 'pending', linkAvailable: false });
    expect(asked.body.grant.staff.id).toBe(member.id);
    const grantId = asked.body.grant.id;
    expect(await openLinks(member.id)).toBe(0);
    // Both admins see it waiting; a second request for the same member is refused meanwhile.
    const waiting = await secondAdmin.get<{ data: RoleGrant[] }>('/api/staff/grants');
    expect(waiting.body.data.map((g) => g.id)).toContain(grantId);
    expect((await reissue(secondAdmin, member.id)).status).toBe(409);

    expect((await approve(desk.as('admin'), grantId)).status).toBe(403);
    expect((await takeLink(desk.as('admin'), grantId)).status).toBe(409);

    const approved = await approve(secondAdmin, grantId);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', linkAvailable: true });
    expect(approved.body.token).toBeUndefined();
    expect(JSON.stringify(approved.body)).not.toContain('#token=');
    // The approver cannot take it, and approving issued no link yet.
    expect((await takeLink(secondAdmin, grantId)).status).toBe(403);
    expect(await openLinks(member.id)).toBe(0);

    const taken = await takeLink(desk.as('admin'), grantId);
    expect(taken.status).toBe(201);
    expect(taken.body.link).toContain(`#token=${taken.body.token}`);
    const again = await takeLink(desk.as('admin'), grantId);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already shown/);
    const after = await secondAdmin.get<{ data: RoleGrant[] }>('/api/staff/grants?state=approved');
    expect(after.body.data.find((g) => g.id === grantId)?.linkAvailable).toBe(false);

    // The link works once, for the member.
    const password = 'a password only the member knows';
    const accepted = await desk.anonymous.post('/api/auth/invitations/accept', { token: taken.body.token, password });
    expect(accepted.status).toBe(200);
    const reused = await desk.anonymous.post('/api/auth/invitations/accept', { token: taken.body.token, password });
    expect(reused.status).toBe(409);

    expect(await auditOf(member.id)).toEqual([
      'staff.access_requested by admin@test.desk',
      'staff.access_approved by takeover.second@test.desk',
      'staff.invitation_issued by admin@test.desk',
    ]);
  });

  it('When an admin asks to reset an admin’s second factor, then nothing changes until another admin approves; neither the requester nor the member approves', async () => {
    const member = await newMember('admin');
    const asked = await reset(desk.as('admin'), member.id);
    expect(asked.status).toBe(202);
    expect(asked.body?.grant).toMatchObject({ kind: 'second_factor_reset', state: 'pending' });
    const grantId = asked.body?.grant.id ?? '';
    expect(await enrolled(member.id)).toBe(true);

    expect((await approve(desk.as('admin'), grantId)).status).toBe(403);
    expect((await approve(member.client, grantId)).status).toBe(403);
    expect(await enrolled(member.id)).toBe(true);

    const approved = await approve(secondAdmin, grantId);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', linkAvailable: false });
    expect(await enrolled(member.id)).toBe(false);
    expect((await approve(secondAdmin, grantId)).status).toBe(409);
    expect(await auditOf(member.id)).toEqual([
      'staff.access_requested by admin@test.desk',
      'staff.access_approved by takeover.second@test.desk',
      'auth.second_factor_reset by takeover.second@test.desk',
    ]);
  });

  it('When the requester withdraws or another admin refuses, then nothing happens to the member, and it is audited', async () => {
    const member = await newMember('senior_analyst');
    const link = await reissue(desk.as('admin'), member.id);
    const withdrawn = await desk.as('admin').post<RoleGrant>(`/api/staff/grants/${link.body.grant.id}/refuse`, {});
    expect(withdrawn.body.state).toBe('refused');
    expect((await takeLink(desk.as('admin'), link.body.grant.id)).status).toBe(409);
    const factor = await reset(desk.as('admin'), member.id);
    const refused = await secondAdmin.post<RoleGrant>(`/api/staff/grants/${factor.body?.grant.id}/refuse`, {
      reason: 'asked by phone, not verified',
    });
    expect(refused.body).toMatchObject({ state: 'refused', reason: 'asked by phone, not verified' });
    expect(await enrolled(member.id)).toBe(true);
    expect(await openLinks(member.id)).toBe(0);
    expect(await auditOf(member.id)).toEqual([
      'staff.access_requested by admin@test.desk',
      'staff.access_refused by admin@test.desk',
      'staff.access_requested by admin@test.desk',
      'staff.access_refused by takeover.second@test.desk',
    ]);
  });

  it('When the member is an analyst, then a new link and a reset stay immediate, with no request', async () => {
    const member = await newMember('analyst');
    const link = await reissue(desk.as('admin'), member.id);
    expect(link.status).toBe(201);
    expect(link.body.link).toContain(`#token=${link.body.token}`);
    const factor = await reset(desk.as('admin'), member.id);
    expect(factor.status).toBe(204);
    expect(await enrolled(member.id)).toBe(false);
    const requests = await desk.as('admin').get<{ data: RoleGrant[] }>('/api/staff/grants?state=all');
    expect(requests.body.data.filter((g) => g.staff.id === member.id)).toEqual([]);
  });
});
