/**
 * The auditor in the browser: downloads the status-history export from the Exports page, checks
 * the downloaded bytes against the manifest the page shows, and verifies the audit chain from
 * the audit explorer.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportManifest } from '@desk/shared';
import { launchBrowser, signInPage } from '../support/browser.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { repoRoot } from '../support/process.js';

const artifacts = path.join(repoRoot, 'test', 'artifacts');

describe('the auditor in the browser', () => {
  let desk: TestDesk;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    desk = await startTestDesk('embedded', { demoCount: 40, clientDir: path.join(repoRoot, 'client', 'dist') });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
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
    const file = path.join(artifacts, 'status-history-export.csv');
    await download.saveAs(file);
    await page.locator('[data-testid="export-progress"][data-state="done"]').waitFor();
    const manifestBox = page.getByTestId('export-manifest');
    await manifestBox.waitFor();
    await page.screenshot({ path: path.join(artifacts, 'exports-page.png'), fullPage: true });

    const bytes = readFileSync(file);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(await page.getByTestId('export-manifest-sha256').textContent()).toBe(sha);
    const exportId = (await manifestBox.getAttribute('data-export-id')) ?? '';
    const manifest = (await desk.as('auditor').get<ExportManifest>(`/api/exports/${exportId}/manifest`)).body;
    expect(manifest).toMatchObject({ state: 'complete', sha256: sha, kind: 'status_history', format: 'csv' });
    const rows = bytes.toString('utf8').trimEnd().split('\n').length - 1;
    const history = await desk.db.selectFrom('status_history').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(manifest.rowCount).toBe(Number(history.n));
    // Rows may hold quoted newlines in reasons; the demo's do not, so lines = rows.
    expect(rows).toBe(Number(history.n));
    expect(failures).toEqual([]);
    await context.close();
  });

  it('When an auditor verifies the chain in the audit explorer, then it holds and the export is on the trail', async () => {
    const failures: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'auditor');
    await page.goto(`${desk.url}/#/audit`);
    await page.getByTestId('audit-grid').waitFor();
    await page.getByTestId('audit-row').first().waitFor();
    await page.getByTestId('audit-filter-action').fill('export.');
    await page.getByTestId('audit-filter-apply').click();
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
      return rows.length >= 2 && rows.every((r) => (r.textContent ?? '').includes('export.'));
    });
    const actions = await page.locator('[data-testid="audit-row"]').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
    expect(actions.length).toBeGreaterThanOrEqual(2);
    expect(actions.every((text) => text.includes('export.'))).toBe(true);

    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    await page.screenshot({ path: path.join(artifacts, 'audit-explorer.png') });
    expect(failures).toEqual([]);
    await page.close();
  });
});
