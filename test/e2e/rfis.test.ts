/**
 * An analyst raises an internal RFI from a case, answers it on the RFI page with exactly what
 * was asked, and closes it, confirming each.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RfiList } from '@desk/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/applicants.js';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';

describe.each(browserDatabaseKinds)('internal RFIs in the browser on %s database', (kind) => {
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

  it('When an analyst raises an RFI and answers it with a document, then it is answered and then closed, each once confirmed', async () => {
    const app = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('stage', '=', 'manual_review')
      .executeTakeFirstOrThrow();
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
    await page.screenshot({ path: artifact('rfi-raise.png'), fullPage: true });
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

    // Raised above as one document item: the page asks for a file, and nothing else.
    expect(rfi?.items).toEqual([expect.objectContaining({ kind: 'document', label: 'Utility bill' })]);
    const key = rfi?.items[0]?.key ?? '';
    expect(await page.getByTestId(`rfi-file-${key}`).count()).toBe(1);
    expect(await page.locator('[data-testid^="rfi-field-"]').count()).toBe(0);
    const file = artifact('bill.pdf');
    writeFileSync(file, '%PDF-1.4 utility bill\n%%EOF\n');
    await page.getByTestId(`rfi-file-${key}`).setInputFiles(file);
    await page.getByTestId('rfi-answer-submit').click();
    // Sending asks first, saying what is sent; cancelling sends nothing.
    const send = page.getByTestId('rfi-answer-send-dialog');
    await send.waitFor();
    expect(await send.getByTestId('rfi-answer-send-summary').textContent()).toContain(path.basename(file));
    await page.getByTestId('rfi-answer-send-cancel').click();
    await send.waitFor({ state: 'hidden' });
    expect((await desk.get<RfiList>(`/api/rfis?applicationId=${app.id}&status=answered`)).body.data).toEqual([]);
    await page.getByTestId('rfi-answer-submit').click();
    await page.getByTestId('rfi-answer-send-confirm').click();
    const answered = await eventually(
      async () => (await desk.get<RfiList>(`/api/rfis?applicationId=${app.id}&status=answered`)).body,
      (l) => l.data.length === 1,
    );
    // The answer holds the file under the item's key, as uploaded.
    expect(answered.data[0]?.answers).toEqual([
      expect.objectContaining({
        documents: [
          expect.objectContaining({ itemKey: key, fileName: path.basename(file), contentType: 'application/pdf' }),
        ],
      }),
    ]);
    await page.getByTestId('rfi-close').waitFor();
    await page.screenshot({ path: artifact('rfi-answered.png'), fullPage: true });
    await page.getByTestId('rfi-close').click();
    // Closing asks first, saying what closing means.
    const close = page.getByTestId('rfi-close-dialog');
    await close.waitFor();
    expect(await close.textContent()).toMatch(/takes no more answers/);
    await page.screenshot({ path: artifact('rfi-close-confirm.png'), fullPage: true });
    await page.getByTestId('rfi-close-confirm').click();
    await eventually(
      async () => (await desk.get<RfiList>(`/api/rfis?applicationId=${app.id}&status=closed`)).body,
      (l) => l.data.length === 1,
    );
    expect(failures).toEqual([]);
  });
});
