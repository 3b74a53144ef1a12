/**
 * A member's own time zone: chosen with `PATCH /api/me/preferences` (an IANA name, or null for
 * the browser's), returned by `getMe` and by every sign-in, audited, and refused — naming
 * `timeZone` — when it is not a zone. Each test uses a member of its own.
 */
import { createStaff } from '@desk/server';
import type { ErrorBody, Me, StaffMember, StaffPreferences, StaffRole } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk, testPassword } from '../support/desk.js';

describe.each(databaseKinds)('own time zone on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  async function newMember(name: string, role: StaffRole = 'analyst') {
    const email = `${name}@prefs.test.desk`;
    await createStaff(desk.db, { email, name, role, password: testPassword }, { kind: 'system' });
    return { email, client: await desk.signIn(email, testPassword) };
  }

  it('When a member has chosen nothing, then getMe says null (their browser zone)', async () => {
    const { client } = await newMember('unset');
    expect(client.me.timeZone).toBeNull();
    expect((await client.get<Me>('/api/auth/me')).body.timeZone).toBeNull();
  });

  it('When a member chooses a zone, then getMe and their next sign-in return it, it is audited, and nobody else changes', async () => {
    const { email, client } = await newMember('paris');
    const other = await newMember('other');
    const res = await client.patch<StaffPreferences>('/api/me/preferences', { timeZone: 'Europe/Paris' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ timeZone: 'Europe/Paris' });
    expect((await client.get<Me>('/api/auth/me')).body.timeZone).toBe('Europe/Paris');
    expect((await desk.signIn(email, testPassword)).me.timeZone).toBe('Europe/Paris');
    expect((await other.client.get<Me>('/api/auth/me')).body.timeZone).toBeNull();

    const trail = await desk.db
      .selectFrom('audit_events')
      .select(['action', 'data'])
      .where('entity_id', '=', client.me.id)
      .where('action', '=', 'staff.preferences_changed')
      .execute();
    expect(trail.map((e) => e.data)).toEqual([{ timeZone: 'Europe/Paris' }]);

    // UTC is one choice among the others, and null goes back to the browser's zone.
    expect((await client.patch<StaffPreferences>('/api/me/preferences', { timeZone: 'UTC' })).body).toEqual({
      timeZone: 'UTC',
    });
    expect((await client.get<Me>('/api/auth/me')).body.timeZone).toBe('UTC');
    expect((await client.patch<StaffPreferences>('/api/me/preferences', { timeZone: null })).body).toEqual({
      timeZone: null,
    });
    expect((await client.get<Me>('/api/auth/me')).body.timeZone).toBeNull();
  });

  it('When a member chooses a zone, then the member record an admin edits keeps its version', async () => {
    const { client } = await newMember('versioned');
    const before = (await desk.as('admin').get<{ data: StaffMember[] }>('/api/staff')).body.data.find(
      (m) => m.id === client.me.id,
    );
    expect((await client.patch('/api/me/preferences', { timeZone: 'Asia/Tokyo' })).status).toBe(200);
    const after = (await desk.as('admin').get<{ data: StaffMember[] }>('/api/staff')).body.data.find(
      (m) => m.id === client.me.id,
    );
    expect(after?.version).toBe(before?.version);
  });

  it('When the zone is not an IANA zone, then 400 names timeZone and nothing is stored', async () => {
    const { client } = await newMember('refused');
    for (const body of [
      { timeZone: 'Mars/Olympus_Mons' },
      { timeZone: 'europe/paris' },
      { timeZone: '' },
      { timeZone: 3600 },
      { timeZone: 'x'.repeat(5000) },
      {},
    ]) {
      const res = await client.patch<ErrorBody>('/api/me/preferences', body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(Object.keys(res.body.errors ?? {})).toEqual(['timeZone']);
    }
    const extra = await client.patch<ErrorBody>('/api/me/preferences', { timeZone: 'UTC', role: 'admin' });
    expect(extra.status).toBe(400);
    expect(extra.body.errors?.role).toBeDefined();
    expect((await client.get<Me>('/api/auth/me')).body.timeZone).toBeNull();
  });

  it('When nobody is signed in, then 401 and nothing changes', async () => {
    const res = await desk.anonymous.patch<ErrorBody>('/api/me/preferences', { timeZone: 'UTC' });
    expect(res.status).toBe(401);
  });
});
