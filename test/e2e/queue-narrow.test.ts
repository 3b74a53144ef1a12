/**
 * The review queue on a phone-sized screen: the table scrolls sideways inside its card, and the
 * applicant column (with the selection column, for those who may assign) stays at the left edge,
 * above the cells scrolling under it, so the analyst keeps the name in view.
 */
import type { StaffRole } from '@desk/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';

/** Where the first row's cells are (left edges, in the window) and what is drawn at the applicant cell's centre. */
const firstRowLayout = (page: Page) =>
  page.evaluate(() => {
    const row = document.querySelector('[data-testid="queue-row"]');
    const cells = row ? [...row.querySelectorAll('td')] : [];
    const table = row?.closest('table');
    const applicantIndex = table
      ? [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent?.trim() === 'Applicant')
      : -1;
    const applicant = cells[applicantIndex];
    const provider = cells[applicantIndex + 1];
    if (!applicant || !provider) return null;
    const box = applicant.getBoundingClientRect();
    const atCentre = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {
      applicantLeft: Math.round(box.left),
      providerLeft: Math.round(provider.getBoundingClientRect().left),
      firstCellLeft: Math.round(cells[0]?.getBoundingClientRect().left ?? Number.NaN),
      applicantOnTop: atCentre !== null && applicant.contains(atCentre),
      applicantHeaderLeft: Math.round(
        table?.querySelectorAll('thead th')[applicantIndex]?.getBoundingClientRect().left ?? Number.NaN,
      ),
    };
  });

/** Scrolls the queue's table container sideways; returns how far it went. */
const scrollTable = (page: Page, by: number) =>
  page.evaluate((distance) => {
    const container = document.querySelector('[data-testid="queue-row"]')?.closest('.MuiTableContainer-root');
    if (!(container instanceof HTMLElement)) return 0;
    container.scrollLeft = distance;
    return container.scrollLeft;
  }, by);

describe.each(browserDatabaseKinds)('the review queue 390 px wide on %s database', (kind) => {
  let running: BrowserDesk;
  let desk: TestDesk;
  let browser: Browser;
  let artifact: (name: string) => string;
  beforeAll(async () => {
    running = await startBrowserDesk(kind, { demoCount: 20 });
    ({ desk, browser, artifact } = running);
  });
  afterAll(async () => {
    await running?.stop();
  });

  it.each<StaffRole>(['analyst', 'senior_analyst'])(
    'When the %s scrolls the queue sideways at 390 px, then the applicant column stays at the left edge, drawn over the other cells',
    async (role) => {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const failures: string[] = [];
      page.on('pageerror', (err) => failures.push(err.message));
      await signInPage(page, desk.url, role);
      await page.goto(`${desk.url}/#/applications`);
      await page.getByTestId('queue-row').first().waitFor();

      const before = await firstRowLayout(page);
      expect(before).not.toBeNull();
      const scrolled = await scrollTable(page, 400);
      expect(scrolled).toBeGreaterThan(300);
      const after = await firstRowLayout(page);
      await page.screenshot({ path: artifact(`queue-390-scrolled-${role}.png`) });

      expect(after).toEqual({
        // The applicant cell and its header did not move; the selection column (if any) neither.
        applicantLeft: before?.applicantLeft,
        applicantHeaderLeft: before?.applicantHeaderLeft,
        firstCellLeft: before?.firstCellLeft,
        // The next column went under it by the distance scrolled.
        providerLeft: (before?.providerLeft ?? 0) - scrolled,
        applicantOnTop: true,
      });
      expect(failures).toEqual([]);
      await page.close();
    },
  );
});
