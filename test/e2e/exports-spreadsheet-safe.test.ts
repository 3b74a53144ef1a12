/**
 * The auditor asks for a CSV that is safe to open in a spreadsheet from the Exports page: the
 * file has formula-like text prefixed with `'`, is saved under its own name, and matches the
 * manifest the page shows, which names the variant.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ExportManifest } from '@desk/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';

const formula = '=HYPERLINK("https://evil.example","Open")';

describe.each(browserDatabaseKinds)('the spreadsheet-safe export in the browser on %s database', (kind) => {
  let running: BrowserDesk;
  let desk: TestDesk;
  let browser: Browser;
  let artifact: (name: string) => string;
  beforeAll(async () => {
    running = await startBrowserDesk(kind, { demoCount: 10 });
    ({ desk, browser, artifact } = running);
    const app = await desk.db.selectFrom('applications').select('id').orderBy('id').executeTakeFirstOrThrow();
    await desk.db
      .insertInto('status_history')
      .values({
        application_id: app.id,
        from_status: 'MANUAL_REVIEW',
        to_status: 'APPROVED',
        from_stage: 'manual_review',
        to_stage: 'approved',
        at: new Date('2030-01-01T00:00:00Z'),
        source: 'import',
        actor_id: null,
        reason: formula,
      })
      .execute();
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('When an auditor ticks "Safe to open in a spreadsheet", then the file prefixes formulas, has its own name and matches the manifest shown', async () => {
    const failures: string[] = [];
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'auditor');
    await page.goto(`${desk.url}/#/exports`);
    const safe = page.getByTestId('export-spreadsheet-safe').locator('input');
    await safe.waitFor();
    expect(await safe.isChecked()).toBe(false);
    await safe.check();

    const downloading = page.waitForEvent('download');
    await page.getByTestId('export-download').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^status-history-spreadsheet-safe_\d{4}-\d{2}-\d{2}T\d{4}Z_UTC\.csv$/);
    const file = artifact('status-history-spreadsheet-safe.csv');
    await download.saveAs(file);
    const manifestBox = page.getByTestId('export-manifest');
    await manifestBox.waitFor();
    await page.screenshot({ path: artifact('exports-spreadsheet-safe.png'), fullPage: true });

    const bytes = readFileSync(file);
    expect(bytes.toString('utf8')).toContain(`,"'${formula.replaceAll('"', '""')}"\n`);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(await page.getByTestId('export-manifest-sha256').textContent()).toBe(sha);
    expect(await manifestBox.textContent()).toContain('CSV (spreadsheet-safe)');
    const exportId = (await manifestBox.getAttribute('data-export-id')) ?? '';
    const manifest = (await desk.as('auditor').get<ExportManifest>(`/api/exports/${exportId}/manifest`)).body;
    expect(manifest).toMatchObject({
      state: 'complete',
      sha256: sha,
      fileName: download.suggestedFilename(),
      format: 'csv',
      spreadsheetSafe: true,
      filters: { spreadsheetSafe: 'true' },
    });
    expect(failures).toEqual([]);
    await context.close();
  });
});
