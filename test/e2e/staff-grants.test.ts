/**
 * Separation of duties and member access on the Staff pages: a privileged role asked for by
 * one admin waits for a second, who approves it (the first is told why they cannot, and may
 * withdraw); an admin resets a member's lost second factor and ends their sessions, one or
 * all, each after a dialog that says what will happen.
 */
import { createStaff } from '@desk/server';
import type { RecoveryCodes, StaffMember, TotpEnrolment } from '@desk/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserDesk,
  browserDatabaseKinds,
  signInPage,
  signInWithForm,
  startBrowserDesk,
} from '../support/browser.js';
import { type TestDesk, testPassword } from '../support/desk.js';
import { totpCodeOf } from '../support/totp.js';

describe.each(browserDatabaseKinds)('role grants and member access in the browser on %s database', (kind) => {
  let running: BrowserDesk;
  let desk: TestDesk;
  let browser: Browser;
  let artifact: (name: string) => string;
  const secondAdmin = { email: 'second.admin@test.desk', name: 'Second Admin' };
  beforeAll(async () => {
    running = await startBrowserDesk(kind, { demoCount: 10 });
    ({ desk, browser, artifact } = running);
    await createStaff(desk.db, { ...secondAdmin, role: 'admin', password: testPassword }, { kind: 'system' });
  });
  afterAll(async () => {
    await running?.stop();
  });

  async function newPage(failures: string[]): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (err) => failures.push(err.message));
    return page;
  }

  const memberByEmail = async (email: string) => {
    const member = (await desk.as('admin').get<{ data: StaffMember[] }>('/api/staff')).body.data.find(
      (m) => m.email === email,
    );
    if (!member) throw new Error(`${email} is not a member`);
    return member;
  };

  /** Confirms the open dialog with its button `name`, once the dialog has said what will happen. */
  async function confirmDialog(page: Page, name: string, says: string | RegExp, screenshot?: string) {
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(says);
    if (screenshot) await page.screenshot({ path: artifact(screenshot), animations: 'disabled' });
    await dialog.getByRole('button', { name }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  it('When an admin makes an analyst a senior analyst, then it waits for a second admin, who approves it on the Staff page', async () => {
    const failures: string[] = [];
    await createStaff(
      desk.db,
      { email: 'grant.one@test.desk', name: 'Grant One', role: 'analyst', password: testPassword },
      { kind: 'system' },
    );
    const member = await memberByEmail('grant.one@test.desk');

    const first = await newPage(failures);
    await signInPage(first, desk.url, 'admin');
    await first.goto(`${desk.url}/#/staff/${member.id}`);
    await first.getByRole('radio', { name: 'Senior analyst' }).check();
    await first.getByTestId('staff-save').click();
    await first.getByText('is waiting for a second admin’s approval').waitFor();
    await first.getByTestId('pending-grants').waitFor();
    // Until approved, the member keeps their role.
    expect((await memberByEmail('grant.one@test.desk')).role).toBe('analyst');
    const row = first.getByTestId('grant-row');
    expect(await row.getByTestId('grant-summary').textContent()).toContain('Analyst → Senior analyst');
    // The admin who asked is told why they cannot approve.
    expect(await row.getByTestId('grant-own-note').textContent()).toContain('You asked for this');
    expect(await row.getByTestId('grant-approve').isDisabled()).toBe(true);
    expect(await row.getByTestId('grant-refuse').textContent()).toBe('Withdraw');
    await first.screenshot({ path: artifact('staff-grant-pending.png'), fullPage: true });
    // Their page says so too.
    await first.goto(`${desk.url}/#/staff/${member.id}`);
    expect(await first.getByTestId('member-pending-grant').textContent()).toContain('waiting for a second admin');

    const second = await newPage(failures);
    await signInWithForm(second, desk.url, secondAdmin.email, testPassword);
    await second.getByTestId('menu-staff').click();
    const theirRow = second.getByTestId('grant-row');
    await theirRow.waitFor();
    expect(await theirRow.getByTestId('grant-own-note').count()).toBe(0);
    expect(await theirRow.getByTestId('grant-refuse').textContent()).toBe('Refuse');
    await theirRow.getByTestId('grant-approve').click();
    await confirmDialog(
      second,
      'Approve',
      /Grant One becomes Senior analyst at once; their sessions end/,
      'staff-grant-approve.png',
    );
    await second.getByText('Approved: Grant One is now Senior analyst.').waitFor();
    await second.getByTestId('pending-grants').waitFor({ state: 'detached' });
    expect((await memberByEmail('grant.one@test.desk')).role).toBe('senior_analyst');
    await second
      .getByTestId('staff-list')
      .locator('tr', { hasText: 'grant.one@test.desk' })
      .getByText('Senior analyst')
      .waitFor();
    expect(failures).toEqual([]);
  });

  it('When an admin asks for a senior analyst’s new link, then a second admin approves it and only the admin who asked is shown the link, once', async () => {
    const failures: string[] = [];
    await createStaff(
      desk.db,
      { email: 'link.senior@test.desk', name: 'Link Senior', role: 'senior_analyst', password: testPassword },
      { kind: 'system' },
    );
    const member = await memberByEmail('link.senior@test.desk');
    expect((await desk.as('admin').post(`/api/staff/${member.id}/invitation`)).status).toBe(202);

    const second = await newPage(failures);
    await signInWithForm(second, desk.url, secondAdmin.email, testPassword);
    await second.getByTestId('menu-staff').click();
    const row = second.locator('[data-testid="grant-row"]', { hasText: 'Link Senior' });
    expect(await row.getByTestId('grant-summary').textContent()).toContain('A new set-password link for Link Senior');
    await row.getByTestId('grant-approve').click();
    await confirmDialog(second, 'Approve', /shown once to them \(not to you\)/);
    await row.waitFor({ state: 'detached' });
    expect(await second.getByTestId('ready-links').count()).toBe(0);

    const first = await newPage(failures);
    await signInPage(first, desk.url, 'admin');
    await first.goto(`${desk.url}/#/staff`);
    const ready = first.locator('[data-testid="ready-link-row"]', { hasText: 'Link Senior' });
    await ready.getByTestId('ready-link-show').click();
    const link = await first.getByTestId('invitation-link').inputValue();
    expect(link).toContain('#token=');
    await first.getByTestId('invitation-done').click();
    await ready.waitFor({ state: 'detached' });
    expect(failures).toEqual([]);
  });

  it('When the admin who asked withdraws a grant, then the member keeps their role and nothing waits', async () => {
    const failures: string[] = [];
    await createStaff(
      desk.db,
      { email: 'grant.two@test.desk', name: 'Grant Two', role: 'support', password: testPassword },
      { kind: 'system' },
    );
    const member = await memberByEmail('grant.two@test.desk');
    const asked = await desk.as('admin').patch(`/api/staff/${member.id}`, { role: 'admin', version: member.version });
    expect(asked.status).toBe(202);

    const page = await newPage(failures);
    await signInPage(page, desk.url, 'admin');
    await page.goto(`${desk.url}/#/staff`);
    const row = page.locator('[data-testid="grant-row"]', { hasText: 'Grant Two' });
    await row.getByTestId('grant-refuse').click();
    await page.getByTestId('grant-refuse-reason').fill('Asked for the wrong member');
    await confirmDialog(page, 'Withdraw', /Grant Two keeps the role Support agent/);
    await page.getByText('Request withdrawn.').waitFor();
    await row.waitFor({ state: 'detached' });
    expect((await memberByEmail('grant.two@test.desk')).role).toBe('support');
    const grants = await desk.as('admin').get<{ data: { reason: string | null }[] }>('/api/staff/grants?state=refused');
    expect(grants.body.data.map((g) => g.reason)).toContain('Asked for the wrong member');
    expect(failures).toEqual([]);
  });

  it('When an admin resets a member’s second factor and ends their sessions, then each is confirmed first and takes effect', async () => {
    const failures: string[] = [];
    const email = 'lost.phone@test.desk';
    await createStaff(
      desk.db,
      { email, name: 'Lost Phone', role: 'analyst', password: testPassword },
      { kind: 'system' },
    );
    // The member set up an authenticator and is signed in twice (a laptop and a desktop).
    const laptop = await desk.signIn(email, testPassword);
    const desktop = await desk.signIn(email, testPassword);
    const enrolment = await laptop.post<TotpEnrolment>('/api/auth/second-factor/enrolment');
    const confirmed = await laptop.post<RecoveryCodes>('/api/auth/second-factor/enrolment/confirm', {
      code: totpCodeOf(enrolment.body.secret),
    });
    expect(confirmed.status).toBe(200);
    const member = await memberByEmail(email);

    const page = await newPage(failures);
    await signInPage(page, desk.url, 'admin');
    await page.goto(`${desk.url}/#/staff/${member.id}`);
    expect(await page.getByTestId('member-second-factor-status').textContent()).toContain('authenticator app');
    const rows = page.getByTestId('member-sessions').getByTestId('session-row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    await page.screenshot({ path: artifact('staff-member-access.png'), fullPage: true });

    // One session ended: that browser is signed out, the other stays.
    await rows.first().getByTestId('session-end').click();
    await confirmDialog(page, 'End session', /signed out at once/);
    await page.getByText('Session ended.').waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="member-sessions"] [data-testid="session-row"]').length === 1,
    );
    const live = [await laptop.get('/api/auth/me'), await desktop.get('/api/auth/me')].map((r) => r.status).sort();
    expect(live).toEqual([200, 401]);

    // Every session ended.
    await page.getByTestId('member-end-sessions').click();
    await confirmDialog(page, 'End all sessions', /Every browser where Lost Phone is signed in is signed out/);
    await page.getByTestId('member-sessions').getByTestId('sessions-empty').waitFor();
    expect([(await laptop.get('/api/auth/me')).status, (await desktop.get('/api/auth/me')).status]).toEqual([401, 401]);
    expect(await page.getByTestId('member-end-sessions').isDisabled()).toBe(true);

    // The factor reset: the password alone signs in again.
    await page.getByTestId('member-reset-second-factor').click();
    await confirmDialog(page, 'Reset', /authenticator app and recovery codes are removed/, 'staff-reset-confirm.png');
    await page.getByTestId('member-second-factor-status').getByText('No second factor').waitFor();
    expect(await page.getByTestId('member-reset-second-factor').isDisabled()).toBe(true);
    expect((await desk.anonymous.post('/api/auth/login', { email, password: testPassword })).status).toBe(200);
    expect(failures).toEqual([]);
  });
});
