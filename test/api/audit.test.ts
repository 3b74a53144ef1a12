/**
 * The audit trail's read side: the trail filtered and keyset-paged, the chain verified, one
 * case's events, and the per-case report, itself audited. Breaking the chain on purpose is
 * `audit-tamper.test.ts`, on a desk of its own, so every test here sees an intact chain.
 */

import {
  type ApplicationDetail,
  type AuditEvent,
  type AuditEventList,
  type AuditVerify,
  auditReportSchema,
  type ErrorBody,
  type StaffRole,
} from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { type DeskClient, emailOf, startTestDesk, type TestDesk } from '../support/desk.js';

const masked = '•••-••-••••';

describe.each(databaseKinds)('Audit trail on %s database', (kind) => {
  let desk: TestDesk;
  let escalatedCase: string;
  let quietCase: string;
  const hostileNote = '<script>alert("x")</script> & more';

  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 30 });
    const rows = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('stage', 'not in', ['approved', 'rejected'])
      .orderBy('created_at')
      .orderBy('id')
      .limit(2)
      .execute();
    escalatedCase = rows[0]?.id ?? '';
    quietCase = rows[1]?.id ?? '';
    const detail = await desk.get<ApplicationDetail>(`/api/applications/${escalatedCase}`);
    const outcome = await desk.post(`/api/applications/${escalatedCase}/outcomes`, {
      outcome: 'escalated',
      reasonCode: 'possible_pep',
      note: hostileNote,
      version: detail.body.version,
    });
    expect(outcome.status).toBe(201);
    // A failed sign-in, so `auth.` has more than one action under it.
    const failed = await desk.anonymous.post('/api/auth/login', {
      email: emailOf('analyst'),
      password: 'not the password',
    });
    expect(failed.status).toBe(401);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const auditor = () => desk.as('auditor');
  const list = (query: string, client: DeskClient = auditor()) =>
    client.get<AuditEventList & ErrorBody>(`/api/audit-events${query}`);

  /** Every page of a listing, following `nextCursor`. */
  async function walk(path: string, limit: number): Promise<AuditEvent[]> {
    const seen: AuditEvent[] = [];
    let cursor: string | null = null;
    const join = path.includes('?') ? '&' : '?';
    do {
      const page: { status: number; body: AuditEventList } = await auditor().get<AuditEventList>(
        `${path}${join}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(limit);
      seen.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    return seen;
  }

  async function chainIds(): Promise<number[]> {
    const rows = await desk.db.selectFrom('audit_events').select('id').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  it('When the trail is paged, then it is newest first by default and every row appears once, in order', async () => {
    const ids = await chainIds();
    expect(ids.length).toBeGreaterThan(5);
    const newestFirst = await walk('/api/audit-events', 4);
    expect(newestFirst.map((e) => Number(e.id))).toEqual([...ids].reverse());
    const oldestFirst = await walk('/api/audit-events?order=asc', 3);
    expect(oldestFirst.map((e) => Number(e.id))).toEqual(ids);
    // Each lane is a chain of its own: its first row links to the genesis hash, every other row
    // to the row before it in its lane.
    const lastOfLane = new Map<number, string>();
    for (const event of oldestFirst) {
      expect(event.prevHash).toBe(lastOfLane.get(event.lane) ?? '0'.repeat(64));
      lastOfLane.set(event.lane, event.hash);
    }
  });

  it('When a cursor is used with another order or was made up, then the answer is 400 naming cursor', async () => {
    const page = await list('?limit=2');
    expect(page.body.nextCursor).toBeTruthy();
    const crossed = await list(`?order=asc&limit=2&cursor=${page.body.nextCursor}`);
    expect(crossed.status).toBe(400);
    expect(Object.keys(crossed.body.errors ?? {})).toEqual(['cursor']);
    const forged = await list(`?cursor=${Buffer.from('{"scope":"audit-events:desc","id":"x"}').toString('base64url')}`);
    expect(forged.status).toBe(400);
    expect(Object.keys(forged.body.errors ?? {})).toEqual(['cursor']);
    const junk = await list('?cursor=not-a-cursor');
    expect(junk.status).toBe(400);
    expect(Object.keys(junk.body.errors ?? {})).toEqual(['cursor']);
  });

  it('When filtering by action, then an exact action matches only itself and a prefix (. or *) matches its family', async () => {
    const exact = await walk('/api/audit-events?action=auth.signed_in', 50);
    expect(exact.length).toBeGreaterThanOrEqual(5);
    expect(new Set(exact.map((e) => e.action))).toEqual(new Set(['auth.signed_in']));

    const idsLike = async (pattern: string) =>
      (
        await desk.db
          .selectFrom('audit_events')
          .select('id')
          .where('action', 'like', pattern)
          .orderBy('id', 'desc')
          .execute()
      ).map((r) => r.id);
    for (const [prefix, pattern] of [
      ['auth.', 'auth.%'],
      ['auth.*', 'auth.%'],
      ['au*', 'au%'],
    ] as const) {
      const family = await walk(`/api/audit-events?action=${encodeURIComponent(prefix)}`, 7);
      expect(family.map((e) => Number(e.id))).toEqual(await idsLike(pattern));
      expect(family.every((e) => e.action.startsWith(prefix.replace('*', '')))).toBe(true);
      expect(family.map((e) => e.action)).toEqual(expect.arrayContaining(['auth.signed_in', 'auth.sign_in_failed']));
    }
    // LIKE's wildcards are literal characters in a prefix.
    expect((await list(`?action=${encodeURIComponent('%*')}`)).body.data).toEqual([]);
    expect((await list(`?action=${encodeURIComponent('auth_*')}`)).body.data).toEqual([]);
    expect((await list('?action=auth')).body.data).toEqual([]);
  });

  it('When filtering by actor, then a staff id matches who acted and anything else matches the actor label exactly', async () => {
    const me = desk.as('senior_analyst').me;
    const byId = await walk(`/api/audit-events?actor=${me.id}`, 50);
    expect(byId.length).toBeGreaterThan(0);
    expect(byId.every((e) => e.actorId === me.id && e.actor === emailOf('senior_analyst'))).toBe(true);
    expect(byId.map((e) => e.action)).toEqual(
      expect.arrayContaining(['auth.signed_in', 'application.outcome_recorded']),
    );

    const byEmail = await walk(`/api/audit-events?actor=${encodeURIComponent(emailOf('senior_analyst'))}`, 50);
    expect(byEmail.map((e) => e.id)).toEqual(byId.map((e) => e.id));

    const system = await walk('/api/audit-events?actor=system', 50);
    expect(system.length).toBeGreaterThan(0);
    expect(system.every((e) => e.actor === 'system' && e.actorId === null)).toBe(true);
    expect(system.map((e) => e.action)).toContain('staff.created');

    const anonymous = await walk('/api/audit-events?actor=anonymous&action=auth.sign_in_failed', 50);
    expect(anonymous.length).toBe(1);
    expect(anonymous[0]?.data).toMatchObject({ email: emailOf('analyst') });

    expect((await list(`?actor=${encodeURIComponent('SYSTEM')}`)).body.data).toEqual([]);
  });

  it('When filtering by entity and time, then only those rows come back', async () => {
    const byEntity = await walk(`/api/audit-events?entityType=application&entityId=${escalatedCase}`, 50);
    expect(byEntity.map((e) => e.action)).toContain('application.outcome_recorded');
    expect(byEntity.every((e) => e.entityType === 'application' && e.entityId === escalatedCase)).toBe(true);
    const outcome = byEntity.find((e) => e.action === 'application.outcome_recorded');
    expect(outcome?.data).toMatchObject({ outcome: 'escalated', reasonCode: 'possible_pep', note: hostileNote });
    expect(outcome?.applicationId).toBe(escalatedCase);

    const staffRows = await walk('/api/audit-events?entityType=staff', 50);
    expect(staffRows.length).toBeGreaterThan(0);
    expect(staffRows.every((e) => e.entityType === 'staff')).toBe(true);

    const all = await walk('/api/audit-events?order=asc', 200);
    const middle = all[Math.floor(all.length / 2)];
    expect(middle).toBeDefined();
    const at = middle?.at ?? '';
    const from = await walk(`/api/audit-events?order=asc&from=${encodeURIComponent(at)}`, 200);
    const to = await walk(`/api/audit-events?order=asc&to=${encodeURIComponent(at)}`, 200);
    expect(from.every((e) => e.at >= at)).toBe(true);
    expect(to.every((e) => e.at < at)).toBe(true);
    expect(from.map((e) => e.id)).toContain(middle?.id);
    expect(to.map((e) => e.id)).not.toContain(middle?.id);
    // Together the two windows are the whole trail, each row in exactly one.
    expect([...to, ...from].map((e) => e.id)).toEqual(all.map((e) => e.id));

    const window = await list(`?from=2000-01-01&to=2000-01-02`);
    expect(window.status).toBe(200);
    expect(window.body).toEqual({ data: [], nextCursor: null });
  });

  it('When the query is malformed, then the answer is 400 naming every bad field, never a 500', async () => {
    const bad = await list('?limit=0&order=sideways&from=yesterday&action=a*b&bogus=1');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(Object.keys(bad.body.errors ?? {}).sort()).toEqual(['action', 'bogus', 'from', 'limit', 'order']);

    const backwards = await list('?from=2026-11-02&to=2026-11-01');
    expect(backwards.status).toBe(400);
    expect(Object.keys(backwards.body.errors ?? {})).toEqual(['to']);

    const control = await list('?entityId=a%00b&actor=x%01&entityType=');
    expect(control.status).toBe(400);
    expect(Object.keys(control.body.errors ?? {}).sort()).toEqual(['actor', 'entityId', 'entityType']);

    const repeated = await list('?action=a&action=b&limit=201');
    expect(repeated.status).toBe(400);
    expect(Object.keys(repeated.body.errors ?? {}).sort()).toEqual(['action', 'limit']);

    const long = await list(`?entityId=${'x'.repeat(201)}&actor=${'y'.repeat(255)}`);
    expect(long.status).toBe(400);
    expect(Object.keys(long.body.errors ?? {}).sort()).toEqual(['actor', 'entityId']);

    const caseQuery = await auditor().get<ErrorBody>(
      `/api/applications/${escalatedCase}/audit-events?order=desc&limit=x`,
    );
    expect(caseQuery.status).toBe(400);
    expect(Object.keys(caseQuery.body.errors ?? {}).sort()).toEqual(['limit', 'order']);

    const notUuid = await auditor().get<ErrorBody>('/api/applications/12345/audit-events');
    expect(notUuid.status).toBe(400);
    expect(Object.keys(notUuid.body.errors ?? {})).toEqual(['id']);

    const format = await auditor().get<ErrorBody>(`/api/applications/${escalatedCase}/audit-report?format=pdf`);
    expect(format.status).toBe(400);
    expect(Object.keys(format.body.errors ?? {})).toEqual(['format']);
  });

  it('When someone without audit.read asks, then it is 403 (analyst, support) or 401 (nobody); auditor and admin may read', async () => {
    const paths = [
      '/api/audit-events',
      '/api/audit-events/verify',
      `/api/applications/${quietCase}/audit-events`,
      `/api/applications/${quietCase}/audit-report`,
    ];
    const before = await chainIds();
    for (const path of paths) {
      for (const role of ['analyst', 'support', 'senior_analyst'] satisfies StaffRole[]) {
        expect((await desk.as(role).get(path)).status, `${role} ${path}`).toBe(403);
      }
      expect((await desk.anonymous.get(path)).status, `anonymous ${path}`).toBe(401);
    }
    // Refused requests read nothing, so no report was recorded as viewed.
    expect(await chainIds()).toEqual(before);
    for (const role of ['auditor', 'admin'] satisfies StaffRole[]) {
      expect((await desk.as(role).get('/api/audit-events?limit=1')).status).toBe(200);
      expect((await desk.as(role).get('/api/audit-events/verify')).status).toBe(200);
    }
  });

  it('When the chain is untouched, then verification holds over every row and names the head of each lane', async () => {
    const res = await auditor().get<AuditVerify>('/api/audit-events/verify');
    expect(res.status).toBe(200);
    // Each lane's newest row, in lane order, worked out here from every row.
    const rows = await desk.db.selectFrom('audit_events').select(['id', 'hash', 'lane']).orderBy('id').execute();
    const heads = new Map<number, { lane: number; id: string; hash: string }>();
    for (const row of rows) heads.set(row.lane, { lane: row.lane, id: String(row.id), hash: row.hash });
    expect(res.body).toEqual({
      ok: true,
      checked: rows.length,
      heads: [...heads.values()].sort((a, b) => a.lane - b.lane),
    });
  });

  it("When a case's events are asked for, then they are all of that case, oldest first, keyset-paged; an unknown case is 404", async () => {
    const expected = await desk.db
      .selectFrom('audit_events')
      .select('id')
      .where('application_id', '=', escalatedCase)
      .orderBy('id')
      .execute();
    expect(expected.length).toBeGreaterThan(0);
    const events = await walk(`/api/applications/${escalatedCase}/audit-events`, 1);
    expect(events.map((e) => Number(e.id))).toEqual(expected.map((r) => r.id));
    expect(events.every((e) => e.applicationId === escalatedCase)).toBe(true);
    expect(events.map((e) => e.action)).toContain('application.outcome_recorded');

    // A cursor belongs to its case.
    const page = await auditor().get<AuditEventList>('/api/audit-events?limit=1&order=asc');
    const foreign = await auditor().get<ErrorBody>(
      `/api/applications/${escalatedCase}/audit-events?cursor=${page.body.nextCursor}`,
    );
    expect(foreign.status).toBe(400);
    expect(Object.keys(foreign.body.errors ?? {})).toEqual(['cursor']);

    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await auditor().get(`/api/applications/${unknown}/audit-events`)).status).toBe(404);
    expect((await auditor().get(`/api/applications/${unknown}/audit-report`)).status).toBe(404);
  });

  it('When the report is opened, then it is a self-contained page with the case, masked number, history and events, and its viewing is audited', async () => {
    const before = await desk.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirstOrThrow();
    const res = await auditor().fetch(`/api/applications/${escalatedCase}/audit-report`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    // Nothing loaded from elsewhere, nothing run.
    expect(page).not.toMatch(/<script|<link|<img|src=|href=|@import|url\(/i);

    const app = await desk.db
      .selectFrom('applications')
      .selectAll()
      .where('id', '=', escalatedCase)
      .executeTakeFirstOrThrow();
    expect(page).toContain(app.provider_application_id);
    expect(page).toContain(app.agreement_version);

    // The applicant's number appears masked, never in the clear.
    const customer = await desk.db
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', app.customer_id)
      .executeTakeFirstOrThrow();
    const clear = desk.pii.open({
      sealed: customer.identification_number_sealed ?? '',
      keyId: customer.identification_number_key_id ?? '',
    });
    expect(clear).toMatch(/^\d{9}$/);
    expect(page).toContain(masked);
    expect(page).not.toContain(clear);
    expect(page).not.toContain(`${clear.slice(0, 3)}-${clear.slice(3, 5)}-${clear.slice(5)}`);

    // The full status history, one row per change.
    const history = await desk.db
      .selectFrom('status_history')
      .select(['to_status'])
      .where('application_id', '=', escalatedCase)
      .execute();
    expect(history.length).toBeGreaterThan(0);
    const historySection = /<section id="status-history">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
    expect(historySection.match(/<tr><td>/g)?.length).toBe(history.length);
    for (const h of history) expect(historySection).toContain(`<code>${h.to_status}</code>`);

    // Values are escaped: the note is text, not markup.
    expect(page).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; more');

    // The viewing itself is the newest event, by the auditor, on this case — and the report lists it.
    const viewed = await auditor().get<AuditEventList>(
      `/api/audit-events?action=application.audit_report_viewed&entityType=application&entityId=${escalatedCase}&limit=1`,
    );
    const event = viewed.body.data[0];
    expect(event).toMatchObject({
      actor: emailOf('auditor'),
      actorId: desk.as('auditor').me.id,
      applicationId: escalatedCase,
    });
    expect(Number(event?.id)).toBeGreaterThan(Number(before.max));
    expect(page).toContain(`data-audit-id="${event?.id}"`);
    expect(page).toContain(event?.hash ?? 'missing');
    expect(page).toContain('data-ok="true"');
  });

  it('When the report is asked for as JSON, then it carries the same content, in the contract shape', async () => {
    const res = await desk.as('admin').get<unknown>(`/api/applications/${escalatedCase}/audit-report?format=json`);
    expect(res.status).toBe(200);
    const report = auditReportSchema.parse(res.body);
    expect(report.application.id).toBe(escalatedCase);
    expect(report.applicant.identificationNumberMasked).toBe(masked);
    expect(report.outcomes.map((o) => o.outcome)).toEqual(['escalated']);
    const events = report.auditEvents;
    expect(events.at(-1)).toMatchObject({
      action: 'application.audit_report_viewed',
      actor: emailOf('admin'),
      data: { format: 'json' },
    });
    expect(events.map((e) => Number(e.id))).toEqual([...events.map((e) => Number(e.id))].sort((a, b) => a - b));
    expect(report.chain.ok).toBe(true);
    // The report's own event is the newest row: the head of its lane and the highest of the heads.
    const own = events.at(-1);
    expect(report.chain.heads.find((head) => head.lane === own?.lane)).toMatchObject({ id: own?.id, hash: own?.hash });
    expect(Math.max(...report.chain.heads.map((head) => Number(head.id)))).toBe(Number(own?.id));
    const history = await desk.db
      .selectFrom('status_history')
      .select('id')
      .where('application_id', '=', escalatedCase)
      .execute();
    expect(report.statusHistory).toHaveLength(history.length);
  });

  it('When anyone tries a plain UPDATE, DELETE or TRUNCATE on the trail, then the database refuses it', async () => {
    const [first] = await chainIds();
    await expect(
      sql`UPDATE audit_events SET actor = 'someone else' WHERE id = ${first}`.execute(desk.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events WHERE id = ${first}`.execute(desk.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_events`.execute(desk.db)).rejects.toThrow(/append-only/);
    expect((await auditor().get<AuditVerify>('/api/audit-events/verify')).body.ok).toBe(true);
  });
});
