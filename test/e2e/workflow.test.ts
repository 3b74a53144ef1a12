/**
 * The two people who live in the desk: a support agent finds a customer by the last four of
 * their identification number from the app bar, and an analyst takes the next case, adds a
 * note and records an outcome. A senior analyst lands on the dashboard.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationDetail } from '@desk/shared';
import { launchBrowser, signInPage } from '../support/browser.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { repoRoot } from '../support/process.js';

const artifacts = path.join(repoRoot, 'test', 'artifacts');

describe('the daily workflow in the browser', () => {
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

  async function newPage(failures: string[]): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('pageerror', (err) => failures.push(err.message));
    return page;
  }

  it('When a support agent types the last four of an identification number, then they open that customer', async () => {
    const customer = await desk.db
      .selectFrom('customers as c')
      .innerJoin('applications as a', 'a.customer_id', 'c.id')
      .select(['c.id', 'c.first_name', 'c.last_name', 'c.identification_number_sealed', 'c.identification_number_key_id', 'a.id as applicationId'])
      .orderBy('c.id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const last4 = desk.pii.open({ sealed: customer.identification_number_sealed ?? '', keyId: customer.identification_number_key_id ?? '' }).slice(-4);

    const failures: string[] = [];
    const page = await newPage(failures);
    await signInPage(page, desk.url, 'support');
    await page.goto(desk.url);
    await page.getByTestId('global-search').waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type(last4);
    const hit = page.locator(`[data-testid="search-result"][data-customer-id="${customer.id}"]`);
    await hit.waitFor();
    await page.screenshot({ path: path.join(artifacts, 'search-last-four.png') });
    await hit.click();
    await page.locator(`[data-testid="customer-page"][data-id="${customer.id}"]`).waitFor();
    const applications = await page.getByTestId('customer-application').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(applications).toContain(customer.applicationId);
    expect(await page.getByTestId('customer-page').textContent()).toContain(`${customer.first_name} ${customer.last_name}`);
    expect(await page.getByTestId('customer-page').textContent()).not.toContain(last4);
    await page.screenshot({ path: path.join(artifacts, 'customer-page.png') });
    expect(failures).toEqual([]);
    await page.close();
  });

  it('When an analyst presses "n", then the next case is theirs; they add a note and record an outcome', async () => {
    const failures: string[] = [];
    const page = await newPage(failures);
    await signInPage(page, desk.url, 'analyst');
    await page.goto(desk.url);
    await page.getByTestId('next-case').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'queue-sla.png') });
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
    await page.getByTestId('outcome-submit').click();
    await page.locator('[data-testid="outcome-row"][data-outcome="cleared"]').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'next-case-note-outcome.png'), fullPage: true });

    const detail = (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;
    expect(detail.assignee?.id).toBe(analystId);
    expect(detail.notes.map((n) => n.body)).toEqual(['Called the customer: a utility bill is on its way.']);
    expect(detail.outcomes.map((o) => [o.outcome, o.actor.id])).toEqual([['cleared', analystId]]);
    const trail = await desk.db.selectFrom('audit_events').select('action').where('application_id', '=', id).orderBy('id').execute();
    expect(trail.map((t) => t.action)).toEqual(['application.claimed', 'application.note_added', 'application.outcome_recorded']);
    expect(failures).toEqual([]);
    await page.close();
  });

  it('When a senior analyst signs in, then the dashboard is where they land', async () => {
    const failures: string[] = [];
    const page = await newPage(failures);
    await signInPage(page, desk.url, 'senior_analyst');
    await page.goto(desk.url);
    await page.getByTestId('dashboard').waitFor();
    await page.getByTestId('dashboard-sla').waitFor();
    await page.getByTestId('dashboard-throughput').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'dashboard.png') });
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
    await page.goto(`${desk.url}/#/applications?filter=${encodeURIComponent(JSON.stringify({ stage: ['manual_review', 'needs_documents'], assignee: 'none' }))}`);
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
    await page.screenshot({ path: path.join(artifacts, 'queue-bulk-assigned.png') });

    page.once('dialog', (dialog) => void dialog.accept('Manual review and documents'));
    await page.getByTestId('saved-filters').click();
    await page.getByTestId('save-filter').click();
    await expect.poll(async () => (await desk.get<{ data: { name: string; query: string }[] }>('/api/saved-filters')).body.data.map((f) => f.name)).toEqual([
      'Manual review and documents',
    ]);
    await page.goto(`${desk.url}/#/applications`);
    await page.getByTestId('saved-filters').click();
    await page.getByTestId('saved-filter').first().click();
    await expect.poll(() => decodeURIComponent(page.url())).toContain('manual_review');
    expect(failures).toEqual([]);
    await page.close();
  });
});
