/**
 * Live updates in the browser: a case page left open changes in place when the provider's
 * webhook moves the case, and says what changed and who did it; the queue's row of a case a
 * colleague claims shows the new holder without a reload, and the page stays where it was.
 */
import { onboardApplication } from '@desk/server';
import type { ApplicationDetail, ProviderAction } from '@desk/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import { jikoSandboxToken, resolveAtJikoSandbox, type TestDesk } from '../support/desk.js';

describe.each(browserDatabaseKinds)('live updates in the browser on %s database', (kind) => {
  let running: BrowserDesk;
  let desk: TestDesk;
  let browser: Browser;
  let artifact: (name: string) => string;
  beforeAll(async () => {
    running = await startBrowserDesk(kind);
    ({ desk, browser, artifact } = running);
  });
  afterAll(async () => {
    await running?.stop();
  });

  async function newPage(failures: string[], width = 1440): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 1000 } });
    page.on('pageerror', (err) => failures.push(err.message));
    return page;
  }

  /** A page load leaves this mark; a reload would lose it. */
  const markPage = (page: Page) =>
    page.evaluate(() => {
      document.documentElement.dataset.loadedOnce = 'yes';
    });
  const stillSamePage = (page: Page) => page.evaluate(() => document.documentElement.dataset.loadedOnce === 'yes');

  async function caseInManualReview(): Promise<ApplicationDetail> {
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant('3'));
    expect((await desk.post<ProviderAction>(`/api/applications/${applicationId}/reapply`)).status).toBe(202);
    return (
      await eventually(
        () => desk.get<ApplicationDetail>(`/api/applications/${applicationId}`),
        (res) =>
          res.body.providerStatus === 'MANUAL_REVIEW' && res.body.providerActions.every((a) => a.state === 'done'),
      )
    ).body;
  }

  it("When the provider's webhook moves an open case, then its page changes in place and says what changed and by whom", async () => {
    const review = await caseInManualReview();
    const failures: string[] = [];
    const page = await newPage(failures);
    await signInPage(page, desk.url, 'senior_analyst');
    await page.goto(`${desk.url}/#/applications/${review.id}/show`);
    const casePage = page.locator(`[data-testid="case-page"][data-id="${review.id}"]`);
    await casePage.waitFor();
    expect(await casePage.getAttribute('data-stage')).toBe('manual_review');
    await markPage(page);

    const resolved = await resolveAtJikoSandbox(
      desk.url,
      review.providerApplicationId,
      'REJECTED',
      await jikoSandboxToken(desk.url),
    );
    expect(resolved.status).toBe(200);

    await page.locator(`[data-testid="case-page"][data-id="${review.id}"][data-stage="rejected"]`).waitFor();
    const notice = page.getByTestId('case-live-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Stage changed from Manual review to Rejected by Jiko');
    expect(await page.getByTestId('case-live-status').getAttribute('role')).toBe('status');
    expect(await stillSamePage(page)).toBe(true);
    await page.screenshot({ path: artifact('live-case-page.png') });
    expect(failures).toEqual([]);
    await page.close();
  });

  it('When a colleague claims a case on the queue, then its row shows the new holder without a reload', async () => {
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant('3'));
    const failures: string[] = [];
    const page = await newPage(failures);
    await signInPage(page, desk.url, 'senior_analyst');
    await page.goto(`${desk.url}/#/applications`);
    const row = page.locator(`[data-testid="queue-row"][data-id="${applicationId}"]`);
    await row.waitFor();
    const analyst = desk.as('analyst');
    expect(await row.textContent()).not.toContain(analyst.me.name);
    await markPage(page);
    const address = page.url();

    expect((await analyst.post(`/api/applications/${applicationId}/claim`)).status).toBe(200);

    await page.locator(`[data-testid="queue-row"][data-id="${applicationId}"]`, { hasText: analyst.me.name }).waitFor();
    const notice = page.getByTestId('queue-live-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`Case claimed by ${analyst.me.name}`);
    expect(await stillSamePage(page)).toBe(true);
    expect(page.url()).toBe(address);
    await page.screenshot({ path: artifact('live-queue.png') });
    expect(failures).toEqual([]);
    await page.close();
  });
});
