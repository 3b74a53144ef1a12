/**
 * The queue's default view, its sorting and its page links; the customer page's rows and the
 * case's link to its customer.
 */
import { isOpenCase, openCaseStages, type Stage } from '@desk/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';

const rowIds = (page: Page) =>
  page
    .getByTestId('queue-row')
    .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-id') ?? '', r.getAttribute('data-stage') ?? '']));

/** Waits until the queue shows rows other than `before` (the page changed). */
async function waitForOtherRows(page: Page, before: string | undefined): Promise<void> {
  await page.waitForFunction((first) => {
    const row = document.querySelector('[data-testid="queue-row"]');
    return row !== null && row.getAttribute('data-id') !== first;
  }, before);
}

describe.each(browserDatabaseKinds)('queue links and the customer page on %s database', (kind) => {
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

  it('When an analyst opens the queue, then it shows open work oldest first, and a column header sorts by applicant', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signInPage(page, desk.url, 'analyst');
    await page.goto(desk.url);
    await page.getByTestId('queue-row').first().waitFor();
    await expect(page.getByTestId('stage-filter-open').getAttribute('aria-pressed')).resolves.toBe('true');
    const rows = await rowIds(page);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every(([, stage]) => isOpenCase(stage as Stage))).toBe(true);
    const oldest = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('stage', 'in', openCaseStages)
      .orderBy('created_at')
      .orderBy('id')
      .limit(rows.length)
      .execute();
    expect(rows.map(([id]) => id)).toEqual(oldest.map((r) => r.id));

    const first = rows[0]?.[0];
    await page.getByRole('button', { name: 'Applicant' }).click();
    await waitForOtherRows(page, first);
    expect(page.url()).toContain('sort=applicant');
    const names = await page
      .getByTestId('queue-row')
      .evaluateAll((r) => r.map((row) => row.getAttribute('data-id') ?? ''));
    const expected = await desk.db
      .selectFrom('applications as a')
      .innerJoin('customers as c', 'c.id', 'a.customer_id')
      .select('a.id')
      .where('a.stage', 'in', openCaseStages)
      .orderBy((eb) => eb.fn('lower', ['c.last_name']))
      .orderBy((eb) => eb.fn('lower', ['c.first_name']))
      .orderBy('c.id')
      .orderBy('a.id')
      .limit(names.length)
      .execute();
    expect(names).toEqual(expected.map((r) => r.id));
    await page.screenshot({ path: artifact('queue-sorted-by-applicant.png'), fullPage: true });

    await page.getByTestId('stage-filter-all').click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="queue-row"]')].some((r) =>
        ['approved', 'rejected'].includes(r.getAttribute('data-stage') ?? ''),
      ),
    );
    await page.close();
  });

  it('When the link of page 3 is opened in a new tab, then that very page shows; a tampered link says why it shows page 1', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, desk.url, 'analyst');
    await page.goto(desk.url);
    await page.getByTestId('queue-row').first().waitFor();
    for (let i = 0; i < 2; i++) {
      const before = (await rowIds(page))[0]?.[0];
      await page.getByTestId('queue-next').click();
      await waitForOtherRows(page, before);
    }
    const link = page.url();
    expect(link).toMatch(/page=3/);
    expect(link).toMatch(/cursor=/);
    const third = await rowIds(page);

    // A new tab has none of this tab's remembered cursors: the link alone brings page 3.
    const other = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signInPage(other, desk.url, 'analyst');
    const requests: string[] = [];
    other.on('request', (r) => {
      if (r.url().includes('/api/applications?')) requests.push(r.url());
    });
    await other.goto(link);
    await other.getByTestId('queue-row').first().waitFor();
    await other.waitForFunction(
      (id) => document.querySelector('[data-testid="queue-row"]')?.getAttribute('data-id') === id,
      third[0]?.[0],
    );
    expect(await rowIds(other)).toEqual(third);
    await expect(other.getByTestId('queue-pagination').textContent()).resolves.toContain('Page 3');
    // One page asked for, not pages 1 and 2 on the way.
    expect(requests.filter((u) => u.includes('cursor='))).toHaveLength(requests.length);

    const tampered = link.replace(/cursor=[^&]+/, 'cursor=bm90LWEtY3Vyc29y');
    await other.goto(`${desk.url}/`);
    await other.goto(tampered);
    const problem = other.getByTestId('queue-link-problem');
    await problem.waitFor();
    await expect(problem.textContent()).resolves.toMatch(/link to page 3 .* not accept.*Showing page 1/);
    await other.getByTestId('queue-row').first().waitFor();
    await expect(other.getByTestId('queue-pagination').textContent()).resolves.toContain('Page 1');
    await other.screenshot({ path: artifact('queue-bad-link.png'), fullPage: true });
    await other.context().close();
    await context.close();
  });

  it('When support opens a case, then it links to the customer, whose page shows the last four and opens a case from anywhere on its row', async () => {
    const customer = await desk.db
      .selectFrom('customers as c')
      .innerJoin('applications as a', 'a.customer_id', 'c.id')
      .select(['c.id', 'a.id as applicationId', 'c.identification_number_sealed', 'c.identification_number_key_id'])
      .where('c.identification_number_sealed', 'is not', null)
      .orderBy('a.created_at')
      .limit(1)
      .executeTakeFirstOrThrow();
    const clear = desk.pii.open({
      sealed: customer.identification_number_sealed ?? '',
      keyId: customer.identification_number_key_id ?? '',
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInPage(page, desk.url, 'support');
    await page.goto(`${desk.url}/#/applications/${customer.applicationId}/show`);
    await page.getByTestId('case-customer-link').click();
    await page.getByTestId('customer-page').waitFor();
    expect(await page.getByTestId('customer-page').getAttribute('data-id')).toBe(customer.id);
    const text = (await page.getByTestId('customer-page').textContent()) ?? '';
    expect(text).toContain(`•••-••-${clear.replace(/\D/g, '').slice(-4)}`);
    await page.screenshot({ path: artifact('customer-page.png'), fullPage: true });

    // A click on the row's last cell (no link of its own there) opens the case: the row's one
    // link covers the whole row, so the pointer lands on it wherever the row is clicked.
    const row = page.locator(`[data-testid="customer-application"][data-id="${customer.applicationId}"]`);
    const lastCell = await row.locator('td').last().boundingBox();
    if (!lastCell) throw new Error('the row has no visible last cell');
    await page.mouse.click(lastCell.x + lastCell.width / 2, lastCell.y + lastCell.height / 2);
    await page.getByTestId('case-page').waitFor();
    expect(page.url()).toContain(`/applications/${customer.applicationId}/show`);

    // And from the keyboard: the row's link is reached with Tab and followed with Enter.
    await page.goBack();
    await page.getByTestId('customer-page').waitFor();
    const rowLink = row.getByTestId('customer-application-link');
    await rowLink.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('case-page').waitFor();
    expect(page.url()).toContain(`/applications/${customer.applicationId}/show`);
    await page.close();
  });
});
