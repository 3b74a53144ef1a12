/**
 * Sign-in, roles and the permission matrix in the browser: the sign-in form and its errors,
 * what a support agent does not see, a senior analyst revealing an identification number,
 * four-eyes on an escalated case, an admin adding a staff member who sets their own password
 * with the link and signs in, and signing out.
 */

import { createStaff } from '@desk/server';
import type { ApplicationDetail, RoleGrant, StaffMember } from '@desk/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserDesk,
  browserDatabaseKinds,
  signInPage,
  signInWithForm,
  startBrowserDesk,
} from '../support/browser.js';
import { emailOf, type TestDesk, testPassword } from '../support/desk.js';

describe.each(browserDatabaseKinds)('staff sign-in and roles in the browser on %s database', (kind) => {
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

  /** A fresh browser context (its own cookies) whose uncaught errors are collected. */
  async function newPage(failures: string[]): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('pageerror', (err) => failures.push(err.message));
    return page;
  }

  /** Application ids of the demo data, in a stable order; each test takes its own. */
  async function applicationIds(): Promise<string[]> {
    const rows = await desk.db.selectFrom('applications').select('id').orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  const caseOf = async (id: string) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;

  async function openCase(page: Page, id: string): Promise<void> {
    await page.goto(`${desk.url}/#/applications/${id}/show`);
    await page.locator('[data-testid="case-page"][data-stage]').waitFor();
    await page.getByTestId('outcome-section').waitFor();
  }

  it('When a wrong password is given, then the sign-in page says so and stays', async () => {
    const failures: string[] = [];
    const page = await newPage(failures);
    await page.goto(desk.url);
    await page.getByTestId('login-email').waitFor();
    expect(page.url()).toContain('#/login');
    await page.screenshot({ path: artifact('login.png') });

    await signInWithForm(page, desk.url, emailOf('analyst'), 'not the password at all');
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').textContent()).toContain('Email or password is wrong');
    expect(page.url()).toContain('#/login');
    await page.screenshot({ path: artifact('login-error.png') });
    expect(failures).toEqual([]);
  });

  it('When a support agent signs in, then they see the queue but no audit, exports or staff entries and no case actions', async () => {
    const failures: string[] = [];
    const page = await newPage(failures);
    await signInWithForm(page, desk.url, emailOf('support'), testPassword);
    await page.getByTestId('queue-row').first().waitFor();
    expect(await page.getByTestId('signed-in-name').textContent()).toBe('Test support');
    expect(await page.getByTestId('signed-in-role').textContent()).toBe('Support agent');

    await page.getByTestId('menu-rfis').waitFor();
    await page.getByTestId('menu-applications').waitFor();
    for (const entry of ['menu-audit', 'menu-exports', 'menu-staff']) {
      expect(await page.getByTestId(entry).count(), entry).toBe(0);
    }

    await page.getByTestId('queue-row').first().click();
    await page.locator('[data-testid="case-page"][data-stage]').waitFor();
    await page.getByTestId('outcome-section').waitFor();
    await page.getByTestId('applicant-section').waitFor();
    for (const control of [
      'case-actions',
      'upload-document-button',
      'reapply-button',
      'refresh-button',
      'reveal-button',
      'outcome-form',
      'raise-rfi-button',
    ]) {
      expect(await page.getByTestId(control).count(), control).toBe(0);
    }
    expect(await page.getByTestId('identification-number').textContent()).toBe('•••-••-••••');
    expect(failures).toEqual([]);
  });

  it('When a senior analyst reveals an identification number with a reason, then the nine digits show in place', async () => {
    const [id] = await applicationIds();
    if (!id) throw new Error('no demo application');
    const failures: string[] = [];
    const page = await newPage(failures);
    await signInPage(page, desk.url, 'senior_analyst');
    await openCase(page, id);
    expect(await page.getByTestId('identification-number').textContent()).toContain('•••-••-••••');

    await page.getByTestId('reveal-button').click();
    await page.getByTestId('reveal-reason').fill('short');
    await page.getByTestId('reveal-submit').click();
    await page.getByText('At least 10 characters').waitFor();
    await page.getByTestId('reveal-reason').fill('Customer called to confirm the number on file');
    await page.getByTestId('reveal-submit').click();
    const value = (await page.getByTestId('revealed-value').textContent()) ?? '';
    expect(value.replace(/\D/g, '')).toMatch(/^\d{9}$/);
    await page.screenshot({ path: artifact('case-revealed.png'), fullPage: true });

    // Leaving the case forgets the value: back on the case, it is masked again.
    await page.goto(`${desk.url}/#/applications`);
    await page.getByTestId('queue-row').first().waitFor();
    await openCase(page, id);
    expect(await page.getByTestId('revealed-value').count()).toBe(0);
    expect(await page.getByTestId('identification-number').textContent()).toContain('•••-••-••••');
    expect(failures).toEqual([]);
  });

  it('When an analyst escalates a case, then only a different senior analyst clears it', async () => {
    const ids = await applicationIds();
    const id = ids[1];
    const other = ids[2];
    if (!id || !other) throw new Error('not enough demo applications');
    const failures: string[] = [];

    const analyst = await newPage(failures);
    await signInPage(analyst, desk.url, 'analyst');
    await openCase(analyst, id);
    await analyst.getByTestId('outcome-select').selectOption('escalated');
    await analyst.getByTestId('outcome-reason').selectOption('possible_pep');
    await analyst.getByTestId('outcome-note').fill('Name matches a PEP list entry; needs a second look.');
    await analyst.getByTestId('outcome-submit').click();
    await analyst.getByTestId('outcome-confirm-dialog').getByRole('button', { name: 'Record “Escalated”' }).click();
    await analyst.getByTestId('four-eyes-note').waitFor();
    expect(await analyst.getByTestId('four-eyes-note').textContent()).toContain(
      'Escalated by Test analyst — a different senior analyst resolves it',
    );
    expect(await analyst.getByTestId('outcome-row').count()).toBe(1);
    expect(await analyst.getByTestId('outcome-row').first().getAttribute('data-outcome')).toBe('escalated');
    expect(await analyst.getByTestId('outcome-submit').isDisabled()).toBe(true);
    expect(await analyst.getByTestId('outcome-blocked').textContent()).toContain('senior analyst');

    const senior = await newPage(failures);
    await signInPage(senior, desk.url, 'senior_analyst');
    await openCase(senior, id);
    await senior.getByTestId('four-eyes-note').waitFor();
    expect(await senior.getByTestId('outcome-submit').isDisabled()).toBe(false);
    await senior.getByTestId('outcome-select').selectOption('cleared');
    await senior.getByTestId('outcome-reason').selectOption('false_positive_match');
    await senior.getByTestId('outcome-note').fill('Different date of birth from the listed person.');
    await senior.screenshot({ path: artifact('case-outcome-form.png'), fullPage: true });
    await senior.getByTestId('outcome-submit').click();
    await senior.getByTestId('outcome-confirm-dialog').getByRole('button', { name: 'Record “Cleared”' }).click();
    await senior.locator('[data-testid="outcome-row"][data-outcome="cleared"]').waitFor();
    expect(await senior.getByTestId('four-eyes-note').count()).toBe(0);
    await senior.screenshot({ path: artifact('case-page-review.png'), fullPage: true });

    const after = await caseOf(id);
    expect(after.outcomes.map((o) => [o.outcome, o.actor.email])).toEqual([
      ['cleared', emailOf('senior_analyst')],
      ['escalated', emailOf('analyst')],
    ]);

    // A senior analyst who escalated a case is not the one who resolves it.
    const version = (await caseOf(other)).version;
    const escalated = await desk.as('senior_analyst').post(`/api/applications/${other}/outcomes`, {
      outcome: 'escalated',
      reasonCode: 'adverse_media',
      note: 'Adverse press coverage.',
      version,
    });
    expect(escalated.status).toBe(201);
    await openCase(senior, other);
    await senior.getByTestId('outcome-blocked').waitFor();
    expect(await senior.getByTestId('outcome-blocked').textContent()).toContain('You escalated this case');
    expect(await senior.getByTestId('outcome-submit').isDisabled()).toBe(true);
    expect(failures).toEqual([]);
  });

  it('When an admin adds a staff member on the Staff page, then the member sets their own password with the link and, once a second admin approves their role, signs in', async () => {
    const failures: string[] = [];
    const admin = await newPage(failures);
    await signInWithForm(admin, desk.url, emailOf('admin'), testPassword);
    await admin.getByTestId('menu-staff').waitFor();
    await admin.getByTestId('menu-audit').waitFor();
    expect(await admin.getByTestId('menu-rfis').count()).toBe(0);
    expect(await admin.getByTestId('menu-exports').count()).toBe(0);

    await admin.getByTestId('menu-staff').click();
    await admin.getByText(emailOf('auditor')).waitFor();
    await admin.getByTestId('staff-create-button').click();
    await admin.locator('input[name="name"]').fill('Noor Haddad');
    await admin.locator('input[name="email"]').fill('noor.haddad@test.desk');
    await admin.getByRole('radio', { name: 'Senior analyst' }).check();
    // The admin never chooses the password: the desk answers a link for the member.
    expect(await admin.locator('input[type="password"]').count()).toBe(0);
    await admin.getByTestId('staff-save').click();
    await admin.getByTestId('invitation-dialog').waitFor();
    const link = await admin.getByTestId('invitation-link').inputValue();
    expect(link).toContain('/set-password#token=');
    // A senior analyst can reveal identification numbers: a second admin approves the role.
    expect(await admin.getByTestId('invitation-grant-note').textContent()).toContain('second admin');
    await admin.getByTestId('invitation-done').click();
    await admin.getByTestId('staff-list').getByText('noor.haddad@test.desk').waitFor();
    await admin.screenshot({ path: artifact('staff-list.png'), fullPage: true });

    const created = (await desk.as('admin').get<{ data: StaffMember[] }>('/api/staff')).body.data.find(
      (m) => m.email === 'noor.haddad@test.desk',
    );
    expect(created).toMatchObject({ name: 'Noor Haddad', role: 'senior_analyst', active: false });
    // A second admin approves (the Staff page's own approval is in staff-grants.test.ts).
    await createStaff(
      desk.db,
      { email: 'approver@test.desk', name: 'Approver', role: 'admin', password: testPassword },
      { kind: 'system' },
    );
    const approver = await desk.signIn('approver@test.desk', testPassword);
    const pending = await approver.get<{ data: RoleGrant[] }>('/api/staff/grants');
    const grant = pending.body.data.find((g) => g.staff.email === 'noor.haddad@test.desk');
    expect((await approver.post(`/api/staff/grants/${grant?.id}/approve`)).status).toBe(200);
    const noor = (await desk.as('admin').get<{ data: StaffMember[] }>('/api/staff')).body.data.find(
      (m) => m.email === 'noor.haddad@test.desk',
    );
    expect(noor).toMatchObject({ role: 'senior_analyst', active: true });
    if (!noor) throw new Error('not created');

    // A stale edit: someone else renames her after the page was read.
    await admin.reload();
    await admin.getByTestId('staff-list').getByText('noor.haddad@test.desk').waitFor();
    // The page reads her again; until that read lands the form stays shut (opened on the list's
    // copy, the read arriving while the admin types would reset the form and the edit with it).
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked = () => {};
    const reading = new Promise<void>((resolve) => {
      asked = resolve;
    });
    await admin.route('**/api/staff', async (route) => {
      asked();
      await held;
      await route.continue();
    });
    await admin.getByTestId('staff-list').getByText('noor.haddad@test.desk').click();
    await reading;
    expect(await admin.locator('input[name="name"]').count()).toBe(0);
    release();
    await admin.locator('input[name="name"]').waitFor();
    await admin.unroute('**/api/staff');
    expect(
      (await desk.as('admin').patch(`/api/staff/${noor.id}`, { name: 'Noor H.', version: noor.version })).status,
    ).toBe(200);
    await admin.locator('input[name="name"]').fill('Noor Haddad-Smith');
    await admin.getByTestId('staff-save').click();
    await admin.getByTestId('staff-form-error').waitFor();
    expect(await admin.getByTestId('staff-form-error').textContent()).toContain('changed since you loaded it');
    await admin.screenshot({ path: artifact('staff-edit-stale.png'), fullPage: true });
    // Reload reads her again (the new name and version); the save then goes through.
    await admin.getByTestId('staff-reload').click();
    await admin.getByTestId('staff-form-error').waitFor({ state: 'hidden' });
    expect(await admin.locator('input[name="name"]').inputValue()).toBe('Noor H.');
    await admin.locator('input[name="name"]').fill('Noor Haddad-Smith');
    await admin.getByTestId('staff-save').click();
    await admin.getByTestId('staff-list').getByText('Noor Haddad-Smith').waitFor();

    // She sets her own password with the link, then signs in with it.
    const newcomer = await newPage(failures);
    await newcomer.goto(link);
    const password = 'a password only noor knows';
    await newcomer.getByTestId('set-password-new').fill(password);
    await newcomer.getByTestId('set-password-repeat').fill(password);
    await newcomer.getByTestId('set-password-submit').click();
    await newcomer.getByTestId('set-password-done').waitFor();
    await signInWithForm(newcomer, desk.url, 'noor.haddad@test.desk', password);
    // Senior analysts land on the dashboard; the queue is one menu entry away.
    await newcomer.getByTestId('dashboard').waitFor();
    await newcomer.getByTestId('menu-applications').click();
    await newcomer.getByTestId('queue-row').first().waitFor();
    expect(await newcomer.getByTestId('signed-in-name').textContent()).toBe('Noor Haddad-Smith');
    expect(await newcomer.getByTestId('signed-in-role').textContent()).toBe('Senior analyst');
    expect(failures).toEqual([]);
  });

  it('When an analyst signs out, then the sign-in page shows and the queue asks to sign in again', async () => {
    const failures: string[] = [];
    const page = await newPage(failures);
    await signInPage(page, desk.url, 'analyst');
    await page.goto(`${desk.url}/#/applications`);
    await page.getByTestId('queue-row').first().waitFor();
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-email').waitFor();
    expect(page.url()).toContain('#/login');

    await page.goto(`${desk.url}/#/applications`);
    await page.getByTestId('login-email').waitFor();
    expect(page.url()).toContain('#/login');
    expect(await page.getByTestId('queue-row').count()).toBe(0);
    const me = await page.request.get(`${desk.url}/api/auth/me`);
    expect(me.status()).toBe(401);
    expect(failures).toEqual([]);
  });
});
