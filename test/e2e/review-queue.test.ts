import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';

describe.each(browserDatabaseKinds)('review queue in the browser on %s database', (kind) => {
  let running: BrowserDesk;
  let desk: TestDesk;
  let browser: Browser;
  let artifact: (name: string) => string;
  beforeAll(async () => {
    running = await startBrowserDesk(kind, { demoCount: 300 });
    ({ desk, browser, artifact } = running);
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('When an analyst filters the queue to needs_documents and opens a case, then the case page shows its flags and history', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'analyst');
    await page.goto(desk.url);
    await page.getByTestId('queue-row').first().waitFor();
    await page.screenshot({ path: artifact('queue.png'), fullPage: true });

    const chip = page.getByTestId('stage-filter-needs_documents');
    await expect(chip.textContent()).resolves.toMatch(/\d+/);
    await chip.click();
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="queue-row"]')];
      return rows.length > 0 && rows.every((r) => r.getAttribute('data-stage') === 'needs_documents');
    });
    await page.screenshot({ path: artifact('queue-needs-documents.png'), fullPage: true });
    expect(page.url()).toContain('needs_documents');

    await page.getByTestId('queue-row').first().click();
    await page.getByTestId('case-page').waitFor();
    await page.getByTestId('flag-checklist').waitFor();
    await page.getByTestId('status-timeline').waitFor();
    const text = (await page.getByTestId('case-page').textContent()) ?? '';
    expect(text).toContain('DOCUMENTS_NEEDED');
    // Identification numbers are masked entirely; the clear value needs a reveal (staff-access).
    expect(text).toContain('•••-••-••••');
    await page.screenshot({ path: artifact('case-page.png'), fullPage: true });
    expect(failures).toEqual([]);
  });
});
