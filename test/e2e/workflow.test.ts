/**
 * The two people who live in the desk: a support agent finds a customer by the last four of
 * their identification number from the app bar, and an analyst takes the next case, adds a
 * note and records an outcome. A senior analyst lands on the dashboard.
 */

import { onboardApplication } from '@desk/server';
import { type ApplicationDetail, type Dashboard, openReviewItems } from '@desk/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';

describe.each(browserDatabaseKinds)('the daily workflow in the browser on %s database', (kind) => {
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

  async function newPage(failures: string[]): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('pageerror', (err) => failures.push(err.message));
    return page;
  }

  it('When a support agent types the last four of an identification number, then they open that customer', async () => {
    const customer = await desk.db
      .selectFrom('customers as c')
      .innerJoin('applications as a', 'a.customer_id', 'c.id')
      .select([
        'c.id',
        'c.first_name',
        'c.last_name',
        'c.identification_number_sealed',
        'c.identification_number_key_id',
        'a.id as applicationId',
      ])
      .orderBy('c.id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const clear = desk.pii.open({
      sealed: customer.identification_number_sealed ?? '',
      keyId: customer.identification_number_key_id ?? '',
    });
    const digits = clear.replace(/\D/g, '');
    const last4 = digits.slice(-4);

    const failures: string[] = [];
    const page = await newPage(failures);
    await signInPage(page, desk.url, 'support');
    await page.goto(desk.url);
    await page.getByTestId('global-search').waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type(last4);
    const hit = page.locator(`[data-testid="search-result"][data-customer-id="${customer.id}"]`);
    await hit.waitFor();
    await page.screenshot({ path: artifact('search-last-four.png') });
    await hit.click();
    await page.locator(`[data-testid="customer-page"][data-id="${customer.id}"]`).waitFor();
    const applications = await page
      .getByTestId('customer-application')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(applications).toContain(customer.applicationId);
    expect(await page.getByTestId('customer-page').textContent()).toContain(
      `${customer.first_name} ${customer.last_name}`,
    );
    // The last four that found the customer are shown (support searches by them); the rest never is.
    const shown = (await page.getByTestId('customer-page').textContent()) ?? '';
    expect(shown).toContain(`•••-••-${last4}`);
    expect(shown).not.toContain(clear);
    expect(shown).not.toContain(digits.slice(0, 5));
    await page.screenshot({ path: artifact('customer-page.png') });
    expect(failures).toEqual([]);
    await page.close();
  });

  it('When an analyst presses "n", then the next case is theirs; they add a note and record an outcome', async () => {
    const failures: string[] = [];
    const page = await newPage(failures);
    await signInPage(page, desk.url, 'analyst');
    await page.goto(desk.url);
    await page.getByTestId('next-case').waitFor();
    await page.getByTestId('sla-chip').first().waitFor();
    await page.screenshot({ path: artifact('queue-sla.png') });
    await page.keyboard.press('n');
    const casePage = page.locator('[data-testid="case-page"][data-id]');
    await casePage.waitFor();
    const id = (await casePage.getAttribute('data-id')) ?? '';
    const analystId = desk.as('analyst').me.id;
    await page.locator(`[data-testid="case-assignee"][data-assignee-id="${analystId}"]`).waitFor();

    await page.getByTestId('note-body').fill('Called the customer: a utility bill is on its way.');
    await page.getByTestId('note-submit').click();
    await page.getByTestId('note-row').first().waitFor();
    expect(await page.getByTestId('note-row').first().textContent()).toContain('a utility bill is on its way');

    await page.getByTestId('outcome-select').selectOption('cleared');
    await page.getByTestId('outcome-reason').selectOption('documents_verified');
    await page.getByTestId('outcome-note').fill('Documents match the application.');
    // The oldest open demo case still has items open: clearing it names them and takes a reason.
    const open = openReviewItems((await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body);
    expect(open.length).toBeGreaterThan(0);
    await page.getByTestId('outcome-open-items').waitFor();
    expect(await page.getByTestId('outcome-open-item').allTextContents()).toEqual(open.map((item) => item.label));
    await page.getByTestId('outcome-override-reason').fill('Seen on a call with the customer.');
    await page.getByTestId('outcome-submit').click();
    await page.getByTestId('outcome-confirm-dialog').getByRole('button', { name: 'Record “Cleared”' }).click();
    await page.locator('[data-testid="outcome-row"][data-outcome="cleared"]').waitFor();
    await page.screenshot({ path: artifact('next-case-note-outcome.png'), fullPage: true });

    const detail = (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;
    expect(detail.assignee?.id).toBe(analystId);
    expect(detail.notes.map((n) => n.body)).toEqual(['Called the customer: a utility bill is on its way.']);
    expect(detail.outcomes.map((o) => [o.outcome, o.actor.id])).toEqual([['cleared', analystId]]);
    const trail = await desk.db
      .selectFrom('audit_events')
      .select('action')
      .where('application_id', '=', id)
      .orderBy('id')
      .execute();
    expect(trail.map((t) => t.action)).toEqual([
      'application.claimed',
      'application.note_added',
      'application.outcome_recorded',
    ]);

    // `?` lists the shortcuts; `r` releases the case and `c` claims it back.
    await page.evaluate(() => {
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    });
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts-help').getByText('Keyboard shortcuts').waitFor();
    await page.screenshot({ path: artifact('keyboard-shortcuts.png') });
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-help').waitFor({ state: 'detached' });
    await page.keyboard.press('r');
    await page.locator('[data-testid="case-assignee"][data-assignee-id=""]').waitFor();
    await page.getByTestId('claim-case').waitFor();
    await page.keyboard.press('c');
    await page.locator(`[data-testid="case-assignee"][data-assignee-id="${analystId}"]`).waitFor();
    await page.getByTestId('release-case').waitFor();
    expect(failures).toEqual([]);
    await page.close();
  });

  it('When a senior analyst assigns a case someone else holds, then the 409 is shown and they can take it over', async () => {
    const analyst = desk.as('analyst');
    const senior = desk.as('senior_analyst');
    const next = await analyst.post<{ id: string }>('/api/applications/next', { stage: 'manual_review' });
    expect(next.status).toBe(200);
    const id = next.body.id;

    const failures: string[] = [];
    const page = await newPage(failures);
    await signInPage(page, desk.url, 'senior_analyst');
    await page.goto(`${desk.url}/#/applications/${id}/show`);
    await page.locator(`[data-testid="case-assignee"][data-assignee-id="${analyst.me.id}"]`).waitFor();
    await page.getByTestId('assign-case').click();
    await page.locator(`[data-testid="assign-option"][data-staff-id="${senior.me.id}"]`).click();
    const conflict = page.getByTestId('assign-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain(`${analyst.me.name} is working this case`);
    await page.screenshot({ path: artifact('case-assign-conflict.png') });
    await page.getByTestId('assign-reassign').click();
    await page.locator(`[data-testid="case-assignee"][data-assignee-id="${senior.me.id}"]`).waitFor();
    expect((await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body.assignee?.id).toBe(senior.me.id);

    // From the queue, j / k on the case page step through the rows the queue showed.
    await page.goto(
      `${desk.url}/#/applications?filter=${encodeURIComponent(JSON.stringify({ stage: ['manual_review'] }))}`,
    );
    const rows = page.getByTestId('queue-row');
    await rows.nth(1).waitFor();
    const [first, second] = [
      (await rows.nth(0).getAttribute('data-id')) ?? '',
      (await rows.nth(1).getAttribute('data-id')) ?? '',
    ];
    await rows.nth(0).click();
    await page.locator(`[data-testid="case-page"][data-id="${first}"]`).waitFor();
    await page.getByTestId('case-stepper').waitFor();
    await page.keyboard.press('j');
    await page.locator(`[data-testid="case-page"][data-id="${second}"]`).waitFor();
    await page.keyboard.press('k');
    await page.locator(`[data-testid="case-page"][data-id="${first}"]`).waitFor();
    expect(failures).toEqual([]);
    await page.close();
  });

  it('When a senior analyst signs in, then the dashboard is where they land', async () => {
    const failures: string[] = [];
    const page = await newPage(failures);
    // Three applications today (approved, rejected, manual review) give the throughput chart something to draw.
    const today = await Promise.all(
      ['4', '5', '3'].map(async (prefix) => (await onboardApplication(desk, 'jiko', applicant(prefix))).applicationId),
    );
    for (const id of today) expect((await desk.post(`/api/applications/${id}/reapply`)).status).toBe(202);
    await eventually(
      () =>
        Promise.all(
          today.map(async (id) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body.providerStatus),
        ),
      (statuses) => statuses.join() === 'APPROVED,REJECTED,MANUAL_REVIEW',
      30_000,
    );
    const figures = (await desk.get<Dashboard>('/api/dashboard')).body;
    const breached = figures.sla.reduce((n, s) => n + s.breached, 0);
    expect(breached).toBeGreaterThan(0);

    await signInPage(page, desk.url, 'senior_analyst');
    await page.goto(desk.url);
    await page.getByTestId('dashboard').waitFor();
    await page.waitForURL(/#\/dashboard$/);
    await page.getByTestId('dashboard-sla').waitFor();
    await page.getByTestId('dashboard-throughput').waitFor();
    expect(await page.getByTestId('dashboard-breaches').getAttribute('data-value')).toBe(String(breached));
    expect(await page.getByTestId('dashboard-throughput').textContent()).toMatch(/approved \([1-9]\d*\)/);
    await page.screenshot({ path: artifact('dashboard.png') });
    // A click on a stage's SLA bar opens the queue filtered to its breaches.
    await page.locator('[data-testid="dashboard-sla"] [data-key]').first().click();
    await page.getByTestId('sla-filter').waitFor();
    expect(decodeURIComponent(page.url())).toContain('"sla":"breached"');
    expect(failures).toEqual([]);
    await page.close();
  });

  it('When a senior analyst selects rows and saves a filter, then the cases are assigned and the filter comes back', async () => {
    const failures: string[] = [];
    const page = await newPage(failures);
    await signInPage(page, desk.url, 'senior_analyst');
    await page.goto(
      `${desk.url}/#/applications?filter=${encodeURIComponent(JSON.stringify({ stage: ['manual_review', 'needs_documents'], assignee: 'none' }))}`,
    );
    await page.getByTestId('queue-row').first().waitFor();
    const rows = page.getByTestId('queue-row');
    const ids = [(await rows.nth(0).getAttribute('data-id')) ?? '', (await rows.nth(1).getAttribute('data-id')) ?? ''];
    await rows.nth(0).getByTestId('row-select').check();
    await rows.nth(1).getByTestId('row-select').check();
    await page.getByTestId('bulk-assign').waitFor();
    await page.getByTestId('bulk-assign-to').locator('..').click();
    const analyst = desk.as('analyst').me;
    await page.getByRole('option', { name: analyst.name }).click();
    await page.getByTestId('bulk-assign-submit').click();
    await page.getByTestId('bulk-assign').waitFor({ state: 'detached' });
    for (const id of ids) {
      const detail = (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;
      expect(detail.assignee?.id).toBe(analyst.id);
    }

    await page.getByTestId('bulk-assign-result').waitFor();
    await page.screenshot({ path: artifact('queue-bulk-assigned.png') });

    await page.getByTestId('saved-filters').click();
    await page.getByTestId('save-filter').click();
    await page.getByTestId('saved-filter-name').fill('Manual review and documents');
    await page.locator('[data-testid="saved-filter-submit"]:not([disabled])').waitFor();
    await page.screenshot({ path: artifact('save-filter-dialog.png'), animations: 'disabled' });
    await page.getByTestId('saved-filter-submit').click();
    await page.getByTestId('saved-filter-name').waitFor({ state: 'detached' });
    await expect
      .poll(async () =>
        (await desk.get<{ data: { name: string; query: string }[] }>('/api/saved-filters')).body.data.map(
          (f) => f.name,
        ),
      )
      .toEqual(['Manual review and documents']);
    await page.goto(`${desk.url}/#/applications`);
    await page.getByTestId('saved-filters').click();
    await page.getByTestId('saved-filter').first().click();
    await expect.poll(() => decodeURIComponent(page.url())).toContain('manual_review');
    expect(failures).toEqual([]);
    await page.close();
  });
});
