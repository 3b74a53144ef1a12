/**
 * The auditor in the browser: downloads the status-history export from the Exports page, checks
 * the downloaded bytes against the manifest the page shows, and verifies the audit chain from
 * the audit explorer.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ExportManifest } from '@desk/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';

describe.each(browserDatabaseKinds)('the auditor in the browser on %s database', (kind) => {
  let running: BrowserDesk;
  let desk: TestDesk;
  let browser: Browser;
  let artifact: (name: string) => string;
  beforeAll(async () => {
    running = await startBrowserDesk(kind, { demoCount: 40 });
    ({ desk, browser, artifact } = running);
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('When an auditor exports the status history, then the file matches the manifest shown and the database', async () => {
    const failures: string[] = [];
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'auditor');
    await page.goto(`${desk.url}/#/exports`);
    await page.getByTestId('export-download').waitFor();

    const downloading = page.waitForEvent('download');
    await page.getByTestId('export-download').click();
    const download = await downloading;
    const file = artifact('status-history-export.csv');
    await download.saveAs(file);
    await page.locator('[data-testid="export-progress"][data-state="done"]').waitFor();
    const manifestBox = page.getByTestId('export-manifest');
    await manifestBox.waitFor();
    await page.screenshot({ path: artifact('exports-page.png'), fullPage: true });

    const bytes = readFileSync(file);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(await page.getByTestId('export-manifest-sha256').textContent()).toBe(sha);
    const exportId = (await manifestBox.getAttribute('data-export-id')) ?? '';
    const manifest = (await desk.as('auditor').get<ExportManifest>(`/api/exports/${exportId}/manifest`)).body;
    expect(manifest).toMatchObject({ state: 'complete', sha256: sha, kind: 'status_history', format: 'csv' });
    const rows = bytes.toString('utf8').trimEnd().split('\n').length - 1;
    const history = await desk.db
      .selectFrom('status_history')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(manifest.rowCount).toBe(Number(history.n));
    // Every lane's head the run recorded is shown, with its full hash.
    expect(manifest.chainHeads.length).toBeGreaterThan(0);
    const heads = page.getByTestId('export-manifest-chain-heads').locator('li');
    expect(await heads.count()).toBe(manifest.chainHeads.length);
    for (const [index, head] of manifest.chainHeads.entries()) {
      expect(await heads.nth(index).textContent()).toBe(`lane ${head.lane}: #${head.id} ${head.hash}`);
    }
    // Rows may hold quoted newlines in reasons; the demo's do not, so lines = rows.
    expect(rows).toBe(Number(history.n));
    expect(failures).toEqual([]);
    await context.close();
  });

  it('When an auditor verifies the chain in the audit explorer, then it holds and the export is on the trail', async () => {
    // An export of this test's own, so the trail has one to show whatever ran before.
    const exported = await desk.as('auditor').fetch('/api/exports/status-history?format=csv');
    expect(exported.status).toBe(200);
    await exported.arrayBuffer();
    const exportId = exported.headers.get('x-export-id') ?? '';
    const trail = await desk.db
      .selectFrom('audit_events')
      .select(['id', 'action'])
      .where('entity_id', '=', exportId)
      .where('action', 'in', ['export.started', 'export.completed'])
      .orderBy('id')
      .execute();
    expect(trail.map((e) => e.action)).toEqual(['export.started', 'export.completed']);
    const trailIds = trail.map((e) => String(e.id));

    const failures: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'auditor');
    await page.goto(`${desk.url}/#/audit`);
    await page.getByTestId('audit-grid').waitFor();
    await page.getByTestId('audit-row').first().waitFor();
    await page.getByTestId('audit-filter-action').fill('export.');
    await page.getByTestId('audit-filter-apply').click();
    // The filtered grid shows this export's two events, and only export events (the unfiltered
    // one shows the sign-in that came after them too).
    await page.waitForFunction((ids) => {
      const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
      return (
        rows.every((r) => (r.getAttribute('data-action') ?? '').startsWith('export.')) &&
        ids.every((id) => rows.some((r) => r.getAttribute('data-id') === id))
      );
    }, trailIds);
    const shown = await page
      .locator('[data-testid="audit-row"]')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-id'), r.getAttribute('data-action')]));
    expect(shown.every(([, action]) => action?.startsWith('export.'))).toBe(true);
    expect(
      shown
        .filter(([id]) => trailIds.includes(id ?? ''))
        .map(([, action]) => action)
        .sort(),
    ).toEqual(['export.completed', 'export.started']);

    const newestBefore = await desk.db
      .selectFrom('audit_events')
      .select('id')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    // It names the newest row of the trail as it was checked: at least the newest before the click.
    const shownNewest = /\d+ lanes?, newest #(\d+) /.exec((await result.textContent()) ?? '')?.[1];
    expect(Number(shownNewest)).toBeGreaterThanOrEqual(newestBefore.id);
    await page.screenshot({ path: artifact('audit-explorer.png') });
    expect(failures).toEqual([]);
    await page.close();
  });
});
