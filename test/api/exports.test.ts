/**
 * Auditor exports: status history and consents, streamed as CSV or NDJSON, each run recorded
 * and audited with a manifest that verifies the downloaded bytes; nothing sealed ever leaves.
 * What an export must hold is worked out here from the database rows
 * (`support/export-expectations.ts`), never taken from the desk's own export code. Each test
 * counts only the export runs it made itself.
 */

import { batchSource, consentPlan, statusHistoryPlan } from '@desk/server/internals';
import type { ErrorBody, ExportManifest, ExportRunList } from '@desk/shared';
import {
  consentExportColumns,
  consentExportQuerySchema,
  statusHistoryExportColumns,
  statusHistoryExportQuerySchema,
} from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import {
  expectedConsents,
  expectedCsvBytes,
  expectedNdjsonBytes,
  expectedStatusHistory,
} from '../support/export-expectations.js';
import { asText, csvRows, ndjsonRows, sha256 } from '../support/export-files.js';

const trickyReasons = [
  'Said "no", then left.\nPath C:\\temp\\new — naïve café ✓ 🚀\r\nTab\there \\N end \\. "" ,',
  '',
  '\\',
  '{"json": "inside", "n": 1}',
];

describe.each(databaseKinds)('Auditor exports on %s database', (kind) => {
  let desk: TestDesk;
  let trickyCase: string;

  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 60 });
    const row = await desk.db.selectFrom('applications').select('id').orderBy('id').executeTakeFirstOrThrow();
    trickyCase = row.id;
    const auditor = desk.as('auditor').me;
    await desk.db
      .insertInto('status_history')
      .values(
        trickyReasons.map((reason, i) => ({
          application_id: trickyCase,
          from_status: 'MANUAL_REVIEW',
          to_status: 'APPROVED',
          from_stage: 'manual_review' as const,
          to_stage: 'approved' as const,
          at: new Date(Date.UTC(2030, 0, 1, 0, 0, 0, 123 + i)),
          source: 'staff' as const,
          actor_id: auditor.id,
          reason,
        })),
      )
      .execute();
    // A case at another provider, consenting to a version the desk has no record of.
    const customer = await desk.db
      .insertInto('customers')
      .values({
        first_name: 'Ada',
        last_name: 'Other',
        email: 'ada.other@example.test',
        phone: '+15550000000',
        date_of_birth: '1980-02-03',
        street: '1 Side Street',
        city: 'Elsewhere',
        postal_code: '12345',
        state: null,
        country: 'US',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const other = await desk.db
      .insertInto('applications')
      .values({
        customer_id: customer.id,
        provider: 'kyc',
        provider_application_id: 'kyc-export-1',
        provider_status: 'UNDER_REVIEW',
        stage: 'provider_review',
        agreement_version: 'kyc-2026.1',
        consented_at: new Date('2026-10-01T08:30:00.250Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await desk.db
      .insertInto('status_history')
      .values({
        application_id: other.id,
        from_status: null,
        to_status: 'UNDER_REVIEW',
        from_stage: null,
        to_stage: 'provider_review',
        at: new Date('2026-10-01T08:30:01.000Z'),
        source: 'provider_response',
        actor_id: null,
        reason: null,
      })
      .execute();
  });
  afterAll(async () => {
    await desk?.stop();
  });

  async function download(path: string) {
    const res = await desk.as('auditor').fetch(path);
    const bytes = Buffer.from(await res.arrayBuffer());
    return { res, bytes, text: bytes.toString('utf8') };
  }

  async function manifestOf(id: string) {
    return desk.as('auditor').get<ExportManifest & ErrorBody>(`/api/exports/${id}/manifest`);
  }

  const exportRunCount = async () =>
    Number(
      (
        await desk.db
          .selectFrom('export_runs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('When an auditor exports the status history as CSV, then every change is there, oldest first, as in the database', async () => {
    const { res, text } = await download('/api/exports/status-history?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="status-history_\d{4}-\d{2}-\d{2}T\d{4}Z_UTC\.csv"$/,
    );
    const id = res.headers.get('x-export-id') ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('link')).toBe(`</api/exports/${id}/manifest>; rel="describedby"`);
    const { header, rows } = csvRows(text);
    expect(header).toEqual([
      'application_id',
      'provider',
      'provider_application_id',
      'from_status',
      'to_status',
      'from_stage',
      'to_stage',
      'changed_at_utc',
      'source',
      'actor',
      'actor_role',
      'reason',
    ]);
    const expected = await expectedStatusHistory(desk.db);
    expect(expected.length).toBeGreaterThan(60);
    expect(rows).toEqual(expected);
    const tricky = rows.filter((r) => r.application_id === trickyCase && r.changed_at_utc?.startsWith('2030-'));
    expect(tricky.map((r) => r.reason)).toEqual(trickyReasons);
    expect(tricky.every((r) => r.actor === desk.as('auditor').me.email && r.actor_role === 'auditor')).toBe(true);
  });

  it('When the same export is asked for as NDJSON, then it carries the same rows, with the JSON unescaped', async () => {
    const csv = csvRows((await download('/api/exports/status-history')).text).rows;
    const { res, text } = await download('/api/exports/status-history?format=ndjson');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /filename="status-history_\d{4}-\d{2}-\d{2}T\d{4}Z_UTC\.ndjson"$/,
    );
    const rows = ndjsonRows(text);
    expect(asText(rows)).toEqual(csv);
    expect(
      rows
        .filter((r) => r.application_id === trickyCase && String(r.changed_at_utc).startsWith('2030-'))
        .map((r) => r.reason),
    ).toEqual(trickyReasons);
  });

  it('When the status history is filtered, then only the changes in the window, of the provider and of the case are exported', async () => {
    const all = await expectedStatusHistory(desk.db);
    const middle = all[Math.floor(all.length / 2)]?.changed_at_utc ?? '';
    const from = new Date(all[Math.floor(all.length / 4)]?.changed_at_utc ?? '');
    const to = new Date(middle);
    const trickyProvider = all.find((r) => r.application_id === trickyCase)?.provider ?? 'jiko';
    const cases: { query: string; filter: Parameters<typeof expectedStatusHistory>[1] }[] = [
      { query: `from=${from.toISOString()}`, filter: { from } },
      { query: `to=${to.toISOString()}`, filter: { to } },
      { query: `from=${from.toISOString()}&to=${to.toISOString()}`, filter: { from, to } },
      { query: 'from=2030-01-01', filter: { from: new Date('2030-01-01T00:00:00Z') } },
      { query: `provider=${trickyProvider}`, filter: { provider: trickyProvider } },
      { query: 'provider=kyc', filter: { provider: 'kyc' } },
      { query: 'provider=fin', filter: { provider: 'fin' } },
      { query: `applicationId=${trickyCase}`, filter: { applicationId: trickyCase } },
      { query: `provider=jiko&from=${from.toISOString()}`, filter: { provider: 'jiko', from } },
    ];
    for (const { query, filter } of cases) {
      const expected = await expectedStatusHistory(desk.db, filter);
      const csv = await download(`/api/exports/status-history?format=csv&${query}`);
      expect(csv.res.status, query).toBe(200);
      expect(csvRows(csv.text).rows, query).toEqual(expected);
      const ndjson = await download(`/api/exports/status-history?format=ndjson&${query}`);
      expect(asText(ndjsonRows(ndjson.text)), query).toEqual(expected);
    }
    expect((await expectedStatusHistory(desk.db, { from: new Date('2030-01-01T00:00:00Z') })).length).toBe(
      trickyReasons.length,
    );
    const ofProvider = await expectedStatusHistory(desk.db, { provider: trickyProvider });
    expect(ofProvider.length).toBeGreaterThan(0);
    expect(ofProvider.length).toBeLessThan(all.length);
    expect(
      (await expectedStatusHistory(desk.db, { provider: 'kyc' })).map((r) => [r.from_status, r.actor, r.reason]),
    ).toEqual([[null, null, null]]);
    const empty = await download('/api/exports/status-history?from=2040-01-01');
    expect(empty.text).toBe(
      'application_id,provider,provider_application_id,from_status,to_status,from_stage,to_stage,changed_at_utc,source,actor,actor_role,reason\n',
    );
  });

  it('When an auditor exports consents, then each application shows its version, that release, and whether it was the latest then', async () => {
    const expected = await expectedConsents(desk.db);
    expect(expected.length).toBeGreaterThanOrEqual(60);
    expect(expected.some((r) => r.was_latest_at_consent === 'false')).toBe(true);
    expect(expected.some((r) => r.was_latest_at_consent === 'true')).toBe(true);
    const csv = await download('/api/exports/consents?format=csv');
    expect(csv.res.status).toBe(200);
    expect(csv.res.headers.get('content-disposition')).toMatch(
      /filename="consents_\d{4}-\d{2}-\d{2}T\d{4}Z_UTC\.csv"$/,
    );
    const parsed = csvRows(csv.text);
    expect(parsed.header).toEqual([
      'application_id',
      'provider',
      'provider_application_id',
      'customer_id',
      'agreement_version',
      'consented_at_utc',
      'version_released_at_utc',
      'latest_version_at_consent',
      'was_latest_at_consent',
    ]);
    expect(parsed.rows).toEqual(expected);
    const ndjson = ndjsonRows((await download('/api/exports/consents?format=ndjson')).text);
    expect(ndjson.every((r) => typeof r.was_latest_at_consent === 'boolean')).toBe(true);
    expect(asText(ndjson)).toEqual(expected);

    // The same rule as the case view, for a demo case that consented to an older version and
    // one that consented to the latest (demo cases have a full case view).
    const demo = expected.filter((r) => r.provider === 'jiko');
    const samples = [
      demo.find((r) => r.was_latest_at_consent === 'false'),
      demo.find((r) => r.was_latest_at_consent === 'true'),
    ];
    for (const one of samples) {
      expect(one).toBeDefined();
      const detail = await desk
        .as('auditor')
        .get<{ consent: { latestVersionAtConsent: string | null; wasLatestAtConsent: boolean } }>(
          `/api/applications/${one?.application_id}`,
        );
      expect(detail.status).toBe(200);
      expect(detail.body.consent.latestVersionAtConsent).toBe(one?.latest_version_at_consent);
      expect(String(detail.body.consent.wasLatestAtConsent)).toBe(one?.was_latest_at_consent);
    }
  });

  it('When consents are filtered, then only the consents in the window, of the provider and of the version are exported', async () => {
    const all = await expectedConsents(desk.db);
    const from = new Date(all[Math.floor(all.length / 3)]?.consented_at_utc ?? '');
    const to = new Date(all[Math.floor((2 * all.length) / 3)]?.consented_at_utc ?? '');
    const version = all.find((r) => r.provider === 'jiko')?.agreement_version ?? '1';
    const cases: { query: string; filter: Parameters<typeof expectedConsents>[1] }[] = [
      { query: `from=${from.toISOString()}`, filter: { from } },
      { query: `to=${to.toISOString()}`, filter: { to } },
      { query: `from=${from.toISOString()}&to=${to.toISOString()}`, filter: { from, to } },
      { query: 'provider=kyc', filter: { provider: 'kyc' } },
      {
        query: `provider=jiko&agreementVersion=${encodeURIComponent(version)}`,
        filter: { provider: 'jiko', agreementVersion: version },
      },
      { query: 'agreementVersion=no-such-version', filter: { agreementVersion: 'no-such-version' } },
    ];
    for (const { query, filter } of cases) {
      const expected = await expectedConsents(desk.db, filter);
      const csv = await download(`/api/exports/consents?${query}`);
      expect(csv.res.status, query).toBe(200);
      expect(csvRows(csv.text).rows, query).toEqual(expected);
      const ndjson = await download(`/api/exports/consents?format=ndjson&${query}`);
      expect(asText(ndjsonRows(ndjson.text)), query).toEqual(expected);
    }
    expect((await expectedConsents(desk.db, { provider: 'jiko', agreementVersion: version })).length).toBeGreaterThan(
      0,
    );
    expect(await expectedConsents(desk.db, { provider: 'kyc' })).toEqual([
      expect.objectContaining({
        agreement_version: 'kyc-2026.1',
        version_released_at_utc: null,
        latest_version_at_consent: null,
        was_latest_at_consent: 'false',
      }),
    ]);
  });

  it('When an export completes, then its manifest verifies the bytes and points at a real row of the audit chain', async () => {
    for (const path of [
      '/api/exports/status-history?format=csv&provider=jiko',
      '/api/exports/consents?format=ndjson&from=2020-01-01',
    ]) {
      const { res, bytes, text } = await download(path);
      const id = res.headers.get('x-export-id') ?? '';
      const manifest = await manifestOf(id);
      expect(manifest.status).toBe(200);
      const rows = path.includes('ndjson') ? ndjsonRows(text).length : csvRows(text).rows.length;
      expect(manifest.body).toMatchObject({
        id,
        state: 'complete',
        sha256: sha256(bytes),
        rowCount: rows,
        byteCount: bytes.length,
        requestedBy: desk.as('auditor').me.email,
      });
      expect(manifest.body.finishedAt).not.toBeNull();
      if (path.includes('consents')) {
        expect(manifest.body).toMatchObject({
          kind: 'consents',
          format: 'ndjson',
          filters: { from: '2020-01-01T00:00:00.000Z' },
        });
      } else {
        expect(manifest.body).toMatchObject({ kind: 'status_history', format: 'csv', filters: { provider: 'jiko' } });
      }
      // Every lane's head is recorded: each is that lane's newest row below the export's own events.
      const heads = manifest.body.chainHeads;
      expect(heads.length).toBeGreaterThan(0);
      for (const head of heads) {
        const row = await desk.db
          .selectFrom('audit_events')
          .select(['id', 'hash', 'lane'])
          .where('id', '=', Number(head.id))
          .executeTakeFirst();
        expect(row).toMatchObject({ hash: head.hash, lane: head.lane });
      }
      const lanesBefore = await desk.db
        .selectFrom('audit_events')
        .select('lane')
        .distinct()
        .where('id', '<=', Math.max(...heads.map((head) => Number(head.id))))
        .execute();
      expect(heads.map((head) => head.lane)).toEqual(expect.arrayContaining(lanesBefore.map((row) => row.lane)));
      const events = await desk.db
        .selectFrom('audit_events')
        .select(['id', 'action', 'data', 'actor_id'])
        .where('entity_type', '=', 'export')
        .where('entity_id', '=', id)
        .orderBy('id')
        .execute();
      expect(events.map((e) => e.action)).toEqual(['export.started', 'export.completed']);
      expect(events.every((e) => e.actor_id === desk.as('auditor').me.id)).toBe(true);
      expect(events[0]?.data).toMatchObject({
        kind: manifest.body.kind,
        format: manifest.body.format,
        filters: manifest.body.filters,
      });
      expect(events[1]?.data).toMatchObject({ rowCount: rows, sha256: sha256(bytes) });
      // The heads recorded are the chain as it stood before this export's own start event.
      for (const head of heads) expect(Number(head.id)).toBeLessThan(events[0]?.id ?? 0);
    }
  });

  /** Every page of the run list, following `nextCursor`. */
  it('When an export is downloaded, then its file name says UTC and the minute its run began in UTC, as its manifest does', async () => {
    const cases = [
      { path: '/api/exports/status-history?format=csv', stem: 'status-history', ext: 'csv' },
      { path: '/api/exports/status-history?format=ndjson', stem: 'status-history', ext: 'ndjson' },
      { path: '/api/exports/consents?format=csv&spreadsheetSafe=true', stem: 'consents-spreadsheet-safe', ext: 'csv' },
    ];
    for (const { path, stem, ext } of cases) {
      const { res } = await download(path);
      expect(res.status, path).toBe(200);
      const name = /^attachment; filename="([^"]+)"$/.exec(res.headers.get('content-disposition') ?? '')?.[1];
      const manifest = (await manifestOf(res.headers.get('x-export-id') ?? '')).body;
      const began = new Date(manifest.startedAt);
      const pad = (n: number) => String(n).padStart(2, '0');
      const utcStamp = `${began.getUTCFullYear()}-${pad(began.getUTCMonth() + 1)}-${pad(began.getUTCDate())}T${pad(began.getUTCHours())}${pad(began.getUTCMinutes())}Z`;
      expect(name, path).toBe(`${stem}_${utcStamp}_UTC.${ext}`);
      expect(manifest.fileName, path).toBe(name);
    }
    const listed = (await desk.as('auditor').get<ExportRunList>('/api/exports?limit=3')).body.data;
    expect(listed.every((run) => /_\d{4}-\d{2}-\d{2}T\d{4}Z_UTC\.(csv|ndjson)$/.test(run.fileName))).toBe(true);
  });

  it('When an export is read, then every time column is named for UTC and every time in it is UTC', async () => {
    const history = csvRows((await download('/api/exports/status-history?format=csv')).text);
    const consents = csvRows((await download('/api/exports/consents?format=csv')).text);
    // The columns holding an instant: each says UTC in its name, and no other column is a time.
    const instantColumns = (header: string[]) => header.filter((c) => c === 'at' || /_at(_utc)?$/.test(c));
    expect(instantColumns(history.header)).toEqual(['changed_at_utc']);
    expect(instantColumns(consents.header)).toEqual(['consented_at_utc', 'version_released_at_utc']);
    const utcInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
    expect(history.rows.length).toBeGreaterThan(0);
    expect(history.rows.every((r) => utcInstant.test(r.changed_at_utc ?? ''))).toBe(true);
    expect(consents.rows.every((r) => utcInstant.test(r.consented_at_utc ?? ''))).toBe(true);
    expect(
      consents.rows.every(
        (r) => r.version_released_at_utc === null || utcInstant.test(r.version_released_at_utc ?? ''),
      ),
    ).toBe(true);
  });

  async function walkRuns(limit: number): Promise<{ runs: ExportManifest[]; pages: number }> {
    const runs: ExportManifest[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: ExportRunList } = await desk
        .as('auditor')
        .get<ExportRunList>(`/api/exports?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(limit);
      runs.push(...page.body.data);
      cursor = page.body.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(1000);
    } while (cursor);
    return { runs, pages };
  }

  it('When an auditor lists exports, then past runs come newest first with their manifests, page after page', async () => {
    const own: string[] = [];
    for (const provider of ['fin', 'kyc', 'jiko', 'fin', 'kyc']) {
      const { res } = await download(`/api/exports/consents?provider=${provider}`);
      expect(res.status).toBe(200);
      own.push(res.headers.get('x-export-id') ?? '');
    }
    const first = await desk.as('auditor').get<ExportRunList>('/api/exports?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data.map((r) => r.id)).toEqual([own[4], own[3]]);
    expect(first.body.data[0]).toMatchObject({
      id: own[4],
      state: 'complete',
      kind: 'consents',
      filters: { provider: 'kyc' },
    });
    expect(first.body.nextCursor).toEqual(expect.any(String));

    // Older runs are reached through the cursor: every run exactly once, newest first.
    const { runs, pages } = await walkRuns(2);
    const ids = runs.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(ids.filter((id) => own.includes(id))).toEqual([...own].reverse());
    const starts = runs.map((r) => Date.parse(r.startedAt));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    const inDatabase = await desk.db.selectFrom('export_runs').select('id').execute();
    expect([...ids].sort()).toEqual(inDatabase.map((r) => r.id).sort());
  });

  it('When export runs start in the same millisecond, then paging still shows each exactly once, the id breaking the tie', async () => {
    const own: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { res } = await download('/api/exports/consents?provider=fin&format=ndjson');
      own.push(res.headers.get('x-export-id') ?? '');
    }
    // Runs are recorded at their own instants; these five are made to share one, before any
    // other run (so the runs of other tests stay newer whatever the order).
    const instant = new Date('2020-06-01T00:00:00.000Z');
    // (The desk never writes started_at after the insert; the test does, as the table's owner.)
    await sql`UPDATE export_runs SET started_at = ${instant} WHERE id = ANY(${sql.val(own)}::uuid[])`.execute(desk.db);
    for (const limit of [1, 2, 3]) {
      const { runs } = await walkRuns(limit);
      const mine = runs.filter((r) => own.includes(r.id));
      // Each exactly once, last (oldest), the larger id first among equal instants.
      expect(
        mine.map((r) => r.id),
        `limit=${limit}`,
      ).toEqual([...own].sort().reverse());
      expect(
        runs.slice(-own.length).map((r) => r.id),
        `limit=${limit}`,
      ).toEqual(mine.map((r) => r.id));
      expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
      expect(mine.every((r) => r.startedAt === instant.toISOString())).toBe(true);
    }
  });

  it('When a request is malformed (or only asks HEAD), then it is refused naming each bad field, and no run is recorded', async () => {
    const before = await exportRunCount();
    const bad: [string, string[]][] = [
      ['/api/exports/status-history?format=xml', ['format']],
      ['/api/exports/status-history?from=yesterday', ['from']],
      ['/api/exports/status-history?from=2026-02-30', ['from']],
      ['/api/exports/status-history?from=0000-01-01', ['from']],
      ['/api/exports/status-history?from=2026-02-01&to=2026-01-01', ['to']],
      ['/api/exports/status-history?applicationId=not-a-uuid&format=pdf', ['applicationId', 'format']],
      ['/api/exports/status-history?provider=acme', ['provider']],
      ['/api/exports/status-history?provider=jiko&provider=fin', ['provider']],
      ['/api/exports/status-history?agreementVersion=1', ['agreementVersion']],
      [`/api/exports/consents?applicationId=${trickyCase}`, ['applicationId']],
      ['/api/exports/consents?agreementVersion=%00', ['agreementVersion']],
      [`/api/exports/consents?agreementVersion=${'x'.repeat(21)}`, ['agreementVersion']],
      ['/api/exports/consents?to=soon&format=', ['to', 'format']],
      ['/api/exports?limit=0', ['limit']],
      ['/api/exports?cursor=not-a-cursor', ['cursor']],
      [
        `/api/exports?cursor=${Buffer.from('{"scope":"exports:started_at:desc","id":"x"}').toString('base64url')}`,
        ['cursor'],
      ],
      [
        `/api/exports?cursor=${Buffer.from(`{"scope":"rfis:due","at":"2026-01-01T00:00:00.000Z","id":"${trickyCase}"}`).toString('base64url')}`,
        ['cursor'],
      ],
      ['/api/exports?cursor=%2B%2F', ['cursor']],
      ['/api/exports/not-a-uuid/manifest', ['id']],
    ];
    for (const [path, fields] of bad) {
      const res = await desk.as('auditor').get<ErrorBody>(path);
      expect(res.status, path).toBe(400);
      expect(res.body.code, path).toBe('validation_failed');
      expect(Object.keys(res.body.errors ?? {}).sort(), path).toEqual([...fields].sort());
      expect(res.headers.get('x-export-id'), path).toBeNull();
    }
    const head = await desk.as('auditor').fetch('/api/exports/status-history?format=ndjson', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(await exportRunCount()).toBe(before);
    const missing = await manifestOf('00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
  });

  it('When someone without the export permission asks, then an analyst is forbidden and a stranger must sign in', async () => {
    const before = await exportRunCount();
    const paths = [
      '/api/exports',
      '/api/exports/status-history',
      '/api/exports/consents?format=ndjson',
      '/api/exports/00000000-0000-4000-8000-000000000000/manifest',
    ];
    for (const path of paths) {
      expect((await desk.as('analyst').get(path)).status, path).toBe(403);
      expect((await desk.as('senior_analyst').get(path)).status, path).toBe(403);
      expect((await desk.anonymous.get(path)).status, path).toBe(401);
    }
    expect(await exportRunCount()).toBe(before);
  });

  it('When anything is exported, then no identification number is in it', async () => {
    const sealed = await desk.db
      .selectFrom('customers')
      .select(['identification_number_sealed', 'identification_number_key_id'])
      .where('identification_number_sealed', 'is not', null)
      .execute();
    const numbers = sealed.map((c) =>
      desk.pii.open({ sealed: c.identification_number_sealed ?? '', keyId: c.identification_number_key_id ?? '' }),
    );
    expect(numbers.length).toBeGreaterThanOrEqual(60);
    const clear = await desk.db
      .selectFrom('customers')
      .select('id')
      .where('identification_number', 'is not', null)
      .execute();
    expect(clear).toEqual([]);
    for (const path of [
      '/api/exports/status-history?format=csv',
      '/api/exports/status-history?format=ndjson',
      '/api/exports/consents?format=csv',
      '/api/exports/consents?format=ndjson',
    ]) {
      const { text } = await download(path);
      expect(text.length).toBeGreaterThan(1000);
      expect(text).not.toMatch(/identification|sealed|last4/i);
      const digitsOnly = text.replace(/[^0-9a-z\n]/gi, ' ');
      for (const number of numbers) {
        expect(text.includes(number), path).toBe(false);
        expect(digitsOnly.includes(number.replace(/[^0-9a-z]/gi, '')), path).toBe(false);
      }
      for (const c of sealed) expect(text.includes(c.identification_number_sealed ?? '<none>'), path).toBe(false);
    }
  });

  it("When an export is served, then its bytes are those written from the database rows by COPY's rules, and keyset batches of any size give the same", async () => {
    const variants = [
      {
        path: '/api/exports/status-history?format=csv',
        plan: statusHistoryPlan(statusHistoryExportQuerySchema.parse({ format: 'csv' })),
      },
      {
        path: '/api/exports/status-history?format=ndjson',
        plan: statusHistoryPlan(statusHistoryExportQuerySchema.parse({ format: 'ndjson' })),
      },
      {
        path: `/api/exports/status-history?format=csv&applicationId=${trickyCase}`,
        plan: statusHistoryPlan(statusHistoryExportQuerySchema.parse({ format: 'csv', applicationId: trickyCase })),
      },
      {
        path: `/api/exports/status-history?format=ndjson&applicationId=${trickyCase}`,
        plan: statusHistoryPlan(statusHistoryExportQuerySchema.parse({ format: 'ndjson', applicationId: trickyCase })),
      },
      {
        path: '/api/exports/consents?format=csv',
        plan: consentPlan(consentExportQuerySchema.parse({ format: 'csv' })),
      },
      {
        path: '/api/exports/consents?format=ndjson',
        plan: consentPlan(consentExportQuerySchema.parse({ format: 'ndjson' })),
      },
      {
        path: '/api/exports/consents?format=csv&provider=jiko&from=2020-01-01',
        plan: consentPlan(consentExportQuerySchema.parse({ format: 'csv', provider: 'jiko', from: '2020-01-01' })),
      },
    ];
    for (const { path, plan } of variants) {
      // What the file must be, written from the rows as the database holds them.
      const rows =
        plan.kind === 'status_history'
          ? await expectedStatusHistory(desk.db, {
              applicationId: path.includes('applicationId') ? trickyCase : undefined,
            })
          : await expectedConsents(
              desk.db,
              path.includes('provider=jiko') ? { provider: 'jiko', from: new Date('2020-01-01T00:00:00Z') } : {},
            );
      expect(rows.length, path).toBeGreaterThan(0);
      const columns = plan.kind === 'status_history' ? statusHistoryExportColumns : consentExportColumns;
      const expected =
        plan.format === 'csv'
          ? expectedCsvBytes(columns, rows)
          : expectedNdjsonBytes(columns, rows, ['was_latest_at_consent']);

      // Served: COPY on Postgres, 5,000-row keyset batches on the embedded database.
      const served = (await download(path)).bytes;
      expect(served.toString('utf8'), path).toBe(expected.toString('utf8'));
      expect(served.equals(expected), path).toBe(true);
      for (const batchSize of [1, 7, 5000]) {
        const source = batchSource(desk.db, plan, batchSize);
        const chunks: Buffer[] = [];
        for await (const chunk of source.stream) chunks.push(Buffer.from(chunk as Uint8Array));
        await source.release(false);
        const batched = Buffer.concat(chunks);
        expect(batched.equals(expected), `${path} in batches of ${batchSize}`).toBe(true);
        // On Postgres the served file came from COPY: the batches give its very bytes.
        expect(batched.equals(served), `${path} in batches of ${batchSize}`).toBe(true);
      }
    }
  });
});

/**
 * A reader that leaves mid-download. It writes tens of thousands of status changes (the
 * history is append-only, they stay), so it has a desk of its own: the other export tests
 * never see them, whatever the order.
 */
describe.each(databaseKinds)('An interrupted export on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 5 });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  async function download(path: string) {
    const res = await desk.as('auditor').fetch(path);
    const bytes = Buffer.from(await res.arrayBuffer());
    return { res, bytes, text: bytes.toString('utf8') };
  }

  async function manifestOf(id: string) {
    return desk.as('auditor').get<ExportManifest & ErrorBody>(`/api/exports/${id}/manifest`);
  }

  it('When the reader goes away mid-download, then the run is marked failed, audited, and the desk keeps exporting', async () => {
    // Enough rows that the export cannot fit in the socket buffers before the reader leaves.
    const sample = await desk.db.selectFrom('applications').select('id').limit(5).execute();
    await sql`
      INSERT INTO status_history (application_id, from_status, to_status, from_stage, to_stage, at, source, reason)
      SELECT (${sql.val(sample.map((s) => s.id))}::uuid[])[1 + g % ${sample.length}], 'SUBMITTED', 'MANUAL_REVIEW', 'provider_review', 'manual_review',
        timestamptz '2031-01-01' + g * interval '1 second', 'import', repeat('bulk reason ', 20)
      FROM generate_series(1, ${kind === 'embedded' ? 60_000 : 150_000}) g
    `.execute(desk.db);
    const controller = new AbortController();
    const res = await desk
      .as('auditor')
      .fetch('/api/exports/status-history?format=csv&from=2031-01-01', { signal: controller.signal });
    expect(res.status).toBe(200);
    const id = res.headers.get('x-export-id') ?? '';
    const reader = res.body?.getReader();
    const first = await reader?.read();
    expect(first?.done).toBe(false);
    controller.abort();
    await reader?.cancel().catch(() => undefined);

    const manifest = await eventually(
      () => manifestOf(id),
      (m) => m.body.state !== 'running',
    );
    expect(manifest.body).toMatchObject({ state: 'failed', sha256: null, rowCount: null });
    const failed = await desk.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_type', '=', 'export')
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    expect(failed.map((e) => e.action)).toEqual(['export.started', 'export.failed']);

    if (kind === 'postgres') {
      // The export's own connection is gone.
      const exportConnections = async () =>
        (
          await sql<{ n: number }>`
            SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'desk export%' AND datname = current_database()
          `.execute(desk.db)
        ).rows[0]?.n ?? 0;
      expect(await eventually(exportConnections, (n) => n === 0)).toBe(0);
    }
    const after = await download('/api/exports/consents?provider=kyc');
    expect(after.res.status).toBe(200);
    expect((await manifestOf(after.res.headers.get('x-export-id') ?? '')).body.state).toBe('complete');
  });
});
