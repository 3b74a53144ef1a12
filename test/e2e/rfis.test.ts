/**
 * An analyst raises an internal RFI from a case, answers it on the RFI page with exactly what
 * was asked, and closes it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RfiList } from '@desk/shared';
import { eventually } from '../support/applicants.js';
import { launchBrowser, signInPage } from '../support/browser.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { repoRoot } from '../support/process.js';

const artifacts = path.join(repoRoot, 'test', 'artifacts');

describe('internal RFIs in the browser', () => {
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

  it('When an analyst raises an RFI and answers it with a document, then it is answered and then closed', async () => {
    const app = await desk.db.selectFrom('applications').select('id').where('stage', '=', 'manual_review').executeTakeFirstOrThrow();
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'analyst');
    await page.goto(`${desk.url}/#/applications/${app.id}/show`);
    await page.getByTestId('case-page').waitFor();

    await page.getByTestId('raise-rfi-button').click();
    await page.getByTestId('raise-rfi-dialog').waitFor();
    await page.getByTestId('raise-rfi-title').fill('Proof of address');
    await page.getByTestId('raise-rfi-item-kind-0').selectOption('document');
    await page.getByTestId('raise-rfi-item-label-0').fill('Utility bill');
    await page.screenshot({ path: path.join(artifacts, 'rfi-raise.png'), fullPage: true });
    await page.getByTestId('raise-rfi-submit').click();
    await page.getByTestId('raise-rfi-dialog').waitFor({ state: 'hidden' });

    const list = await eventually(
      async () => (await desk.get<RfiList>(`/api/rfis?applicationId=${app.id}`)).body,
      (l) => l.data.length === 1,
    );
    const rfi = list.data[0];
    expect(rfi?.title).toBe('Proof of address');
    await page.getByTestId('case-rfi-link').first().click();
    await page.getByTestId('rfi-page').waitFor();
    await page.getByTestId('rfi-answer-form').waitFor();

    const item = rfi?.items[0];
    if (!item) throw new Error('the RFI has no item');
    if (item.kind === 'document') {
      const file = path.join(artifacts, 'bill.pdf');
      writeFileSync(file, '%PDF-1.4 utility bill\n%%EOF\n');
      await page.getByTestId(`rfi-file-${item.key}`).setInputFiles(file);
    } else if (item.kind === 'field') {
      await page.getByTestId(`rfi-field-${item.key}`).fill('42 Main Street');
    }
    if (item.kind === 'text') await page.getByTestId('rfi-text').fill('Attached below.');
    await page.getByTestId('rfi-answer-submit').click();
    await eventually(
      async () => (await desk.get<RfiList>(`/api/rfis?applicationId=${app.id}&status=answered`)).body,
      (l) => l.data.length === 1,
    );
    await page.getByTestId('rfi-close').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'rfi-answered.png'), fullPage: true });
    await page.getByTestId('rfi-close').click();
    await eventually(
      async () => (await desk.get<RfiList>(`/api/rfis?applicationId=${app.id}&status=closed`)).body,
      (l) => l.data.length === 1,
    );
    expect(failures).toEqual([]);
  });
});
