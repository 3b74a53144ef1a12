/**
 * What cannot be undone is confirmed first: re-applying at the provider, recording an outcome
 * and deactivating a staff member each open a dialog that says what will happen; Esc or Cancel
 * changes nothing, the button naming the action does it. Clearing a case with items still open
 * shows them and takes a reason. Each dialog is checked by axe-core and at 390 px wide.
 */

import { createStaff, onboardApplication } from '@desk/server';
import type { ApplicationDetail, StaffMember } from '@desk/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { blockingViolations } from '../support/axe.js';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import { type TestDesk, testPassword } from '../support/desk.js';

/** The test id of the focused element. */
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

describe.each(browserDatabaseKinds)('confirming what cannot be undone in the browser on %s database', (kind) => {
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
    // A context of its own: axe-core opens a page beside this one in it.
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => failures.push(err.message));
    return page;
  }

  const caseOf = async (id: string) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;

  async function openCase(page: Page, id: string): Promise<void> {
    await page.goto(`${desk.url}/#/applications/${id}/show`);
    await page.locator('[data-testid="case-page"][data-stage]').waitFor();
    await page.getByTestId('outcome-section').waitFor();
  }

  /** A Jiko case in DOCUMENTS_NEEDED for proof of address (prefix 23), with an internal RFI open. */
  async function caseWithOpenItems(): Promise<string> {
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant('23'));
    expect((await desk.post(`/api/applications/${applicationId}/reapply`)).status).toBe(202);
    await eventually(
      () => caseOf(applicationId),
      (c) => c.providerStatus === 'DOCUMENTS_NEEDED' && c.providerActions.every((a) => a.state === 'done'),
    );
    const rfi = await desk.post(`/api/applications/${applicationId}/rfis`, {
      title: 'Source of funds',
      dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      items: [{ kind: 'text', key: 'explanation', label: 'Explain the large deposit' }],
    });
    expect(rfi.status).toBe(201);
    return applicationId;
  }

  it('When an analyst applies at Jiko, then a dialog says what happens; Esc and Cancel send nothing, "Apply at Jiko" sends it', async () => {
    // Prefix 4: Jiko approves on Apply.
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant('4'));
    const failures: string[] = [];
    const page = await newPage(failures, 390);
    await signInPage(page, desk.url, 'analyst');
    await openCase(page, applicationId);

    const button = page.getByTestId('reapply-button');
    const dialog = page.getByTestId('reapply-button-dialog');
    await button.click();
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').textContent()).toBe('Apply at Jiko?');
    const says = (await dialog.textContent()) ?? '';
    expect(says).toContain('At Jiko');
    expect(says).toContain('cannot be recalled');
    expect(says).toContain('On the case');
    // Focus starts on Cancel: Enter alone sends nothing.
    expect(await focusedTestId(page)).toBe('reapply-button-cancel');
    expect(await blockingViolations(page, '[role="dialog"]')).toEqual([]);
    const box = await dialog.getByRole('dialog').boundingBox();
    expect(box?.width ?? 0).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifact('confirm-apply-390.png'), animations: 'disabled' });

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedTestId(page)).toBe('reapply-button');
    await button.click();
    await page.getByTestId('reapply-button-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    expect((await caseOf(applicationId)).providerActions).toEqual([]);

    await button.click();
    await dialog.getByRole('button', { name: 'Apply at Jiko' }).click();
    await dialog.waitFor({ state: 'detached' });
    const applied = await eventually(
      () => caseOf(applicationId),
      (c) => c.providerStatus === 'APPROVED',
    );
    expect(applied.providerActions.map((a) => [a.kind, a.requestedBy?.email])).toEqual([
      ['reapply', desk.as('analyst').me.email],
    ]);
    expect(failures).toEqual([]);
    await page.context().close();
  });

  it('When an analyst clears a case with items open, then the form lists them, asks why, and the dialog records it only once confirmed', async () => {
    const id = await caseWithOpenItems();
    const failures: string[] = [];
    const page = await newPage(failures);
    await signInPage(page, desk.url, 'analyst');
    await openCase(page, id);

    // Escalating needs no override: no warning.
    await page.getByTestId('outcome-select').selectOption('escalated');
    expect(await page.getByTestId('outcome-open-items').count()).toBe(0);

    await page.getByTestId('outcome-select').selectOption('cleared');
    await page.getByTestId('outcome-reason').selectOption('documents_verified');
    await page.getByTestId('outcome-note').fill('The bill matches the address on the application.');
    const warning = page.getByTestId('outcome-open-items');
    await warning.waitFor();
    expect(await page.getByTestId('outcome-open-item').allTextContents()).toEqual([
      'Address verification flag raised',
      expect.stringMatching(/^Address verification .* awaited by the provider$/),
      'RFI “Source of funds” waits for its answer',
    ]);
    expect(await warning.textContent()).toContain('3 items are still open');

    // No reason: the form says so and no dialog opens.
    await page.getByTestId('outcome-submit').click();
    await page.getByText('Say why you record it while these items are open.').waitFor();
    expect(await page.getByTestId('outcome-confirm-dialog').count()).toBe(0);
    await page.screenshot({ path: artifact('outcome-open-items.png'), fullPage: true });

    const reason = 'The customer showed the bill on a video call; the upload follows.';
    await page.getByTestId('outcome-override-reason').fill(reason);
    await page.getByTestId('outcome-submit').click();
    const dialog = page.getByTestId('outcome-confirm-dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').textContent()).toBe('Record “Cleared · Documents verified”?');
    const says = (await dialog.textContent()) ?? '';
    expect(says).toContain('the 3 open items and your reason');
    expect(says).toContain('Nothing is sent: Jiko’s status (DOCUMENTS_NEEDED) does not change.');
    expect(await blockingViolations(page, '[role="dialog"]')).toEqual([]);
    await page.screenshot({ path: artifact('outcome-confirm.png'), animations: 'disabled' });
    await page.getByTestId('outcome-confirm-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    expect((await caseOf(id)).outcomes).toEqual([]);

    await page.getByTestId('outcome-submit').click();
    await dialog.getByRole('button', { name: 'Record “Cleared”' }).click();
    await page.locator('[data-testid="outcome-row"][data-outcome="cleared"]').waitFor();
    expect(await page.getByTestId('outcome-override').textContent()).toBe(`Recorded with items open: ${reason}`);
    const after = await caseOf(id);
    expect(after.outcomes.map((o) => [o.outcome, o.reasonCode, o.overrideReason])).toEqual([
      ['cleared', 'documents_verified', reason],
    ]);
    expect(failures).toEqual([]);
    await page.context().close();
  });

  it('When an admin deactivates a member, then Save asks first; Esc and Cancel keep them active, "Deactivate …" does it', async () => {
    await createStaff(
      desk.db,
      { email: 'leaving.member@test.desk', name: 'Leaving Member', role: 'analyst', password: testPassword },
      { kind: 'system' },
    );
    const memberNow = async () => {
      const found = (await desk.as('admin').get<{ data: StaffMember[] }>('/api/staff')).body.data.find(
        (m) => m.email === 'leaving.member@test.desk',
      );
      if (!found) throw new Error('the member is missing');
      return found;
    };
    const member = await memberNow();
    const failures: string[] = [];
    const page = await newPage(failures, 390);
    await signInPage(page, desk.url, 'admin');
    await page.goto(`${desk.url}/#/staff/${member.id}`);
    await page.getByTestId('staff-edit-name').waitFor();

    // A save that keeps them active asks nothing.
    await page.locator('input[name="name"]').fill('Leaving Member Jr');
    await page.getByTestId('staff-save').click();
    await page.getByTestId('staff-list').getByText('Leaving Member Jr').waitFor();
    expect(await page.getByTestId('staff-deactivate-dialog').count()).toBe(0);

    // A fresh load: the form starts from one reading of the member (no cached copy read again under it).
    await page.goto(`${desk.url}/#/staff/${member.id}`);
    await page.reload();
    await page.getByTestId('staff-edit-name').waitFor();
    await page.getByLabel('Active (may sign in)').uncheck();
    const dialog = page.getByTestId('staff-deactivate-dialog');
    await page.getByTestId('staff-save').click();
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').textContent()).toBe('Deactivate Leaving Member Jr?');
    expect(await dialog.textContent()).toContain('signed out at once');
    expect(await focusedTestId(page)).toBe('staff-deactivate-cancel');
    expect(await blockingViolations(page, '[role="dialog"]')).toEqual([]);
    await page.screenshot({ path: artifact('confirm-deactivate-390.png'), animations: 'disabled' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('staff-save').click();
    await page.getByTestId('staff-deactivate-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await memberNow()).toMatchObject({ active: true, name: 'Leaving Member Jr' });

    await page.getByTestId('staff-save').click();
    await dialog.getByRole('button', { name: 'Deactivate Leaving Member Jr' }).click();
    await page.getByTestId('staff-list').waitFor();
    expect(await memberNow()).toMatchObject({ active: false });
    expect(failures).toEqual([]);
    await page.context().close();
  });
});
