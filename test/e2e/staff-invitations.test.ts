/**
 * Set-password links in the browser: an admin adds a member and is shown the link once, with a
 * copy button; the member opens it, sees whom it is for and the password rules, sets their
 * password and signs in; the link then says it was used. A new link replaces the old one,
 * which then says so, and an expired link says it expired.
 */
import type { StaffCreated, StaffMember } from '@desk/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserDesk,
  browserDatabaseKinds,
  signInPage,
  signInWithForm,
  startBrowserDesk,
} from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';

describe.each(browserDatabaseKinds)('set-password links in the browser on %s database', (kind) => {
  let running: BrowserDesk;
  let desk: TestDesk;
  let browser: Browser;
  let artifact: (name: string) => string;
  beforeAll(async () => {
    running = await startBrowserDesk(kind, { demoCount: 10 });
    ({ desk, browser, artifact } = running);
  });
  afterAll(async () => {
    await running?.stop();
  });

  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  /** A fresh browser (its own cookies), allowed to use the clipboard, whose uncaught errors are collected. */
  async function newPage(failures: string[]): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => failures.push(err.message));
    return page;
  }

  const memberByEmail = async (email: string) =>
    (await desk.as('admin').get<{ data: StaffMember[] }>('/api/staff')).body.data.find((m) => m.email === email);

  it('When an admin adds a member, then the link is shown once, and with it the member sets their password and signs in', async () => {
    const failures: string[] = [];
    const admin = await newPage(failures);
    await signInPage(admin, desk.url, 'admin');
    await admin.goto(`${desk.url}/#/staff/create`);
    await admin.locator('input[name="name"]').fill('Ines Okafor');
    await admin.locator('input[name="email"]').fill('ines.okafor@test.desk');
    // No password field: the admin never chooses one.
    expect(await admin.locator('input[type="password"]').count()).toBe(0);
    await admin.getByRole('radio', { name: 'Analyst', exact: true }).check();
    await admin.getByTestId('staff-save').click();

    const dialog = admin.getByTestId('invitation-dialog');
    await dialog.waitFor();
    expect(await admin.getByTestId('invitation-shown-once').textContent()).toContain('shown only now');
    const link = await admin.getByTestId('invitation-link').inputValue();
    expect(link).toMatch(new RegExp(`^${desk.url}/set-password#token=[A-Za-z0-9_-]{40,}$`));
    // An analyst needs no second admin.
    expect(await admin.getByTestId('invitation-grant-note').count()).toBe(0);
    await admin.getByTestId('invitation-copy').click();
    await admin.getByText('Copied to the clipboard.').waitFor();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await admin.screenshot({ path: artifact('staff-invitation-link.png') });
    await admin.getByTestId('invitation-done').click();
    await admin.getByTestId('staff-list').getByText('ines.okafor@test.desk').waitFor();
    expect(await dialog.count()).toBe(0);
    const created = await memberByEmail('ines.okafor@test.desk');
    expect(created).toMatchObject({ name: 'Ines Okafor', role: 'analyst', active: true });
    expect(created?.invitationExpiresAt).not.toBeNull();

    const member = await newPage(failures);
    await member.goto(link);
    await member.getByTestId('set-password-page').waitFor();
    expect(await member.getByTestId('set-password-name').textContent()).toBe('Ines Okafor');
    expect(await member.getByRole('heading', { level: 1 }).textContent()).toBe('Compliance Desk');
    // The token moved into the page's own address; the server never saw it.
    expect(member.url()).toContain('#/set-password?token=');
    expect(await member.getByText('At least 12 characters').count()).toBe(1);
    await member.getByTestId('set-password-new').fill('too short');
    await member.getByTestId('set-password-repeat').fill('too short');
    await member.getByTestId('set-password-submit').click();
    expect(await member.getByTestId('set-password-error').textContent()).toContain('at least 12 characters');
    const password = 'ines chose this herself';
    await member.getByTestId('set-password-new').fill(password);
    await member.getByTestId('set-password-repeat').fill('ines chose this herself!');
    await member.getByTestId('set-password-submit').click();
    expect(await member.getByTestId('set-password-error').textContent()).toContain('differ');
    await member.getByTestId('set-password-repeat').fill(password);
    await member.screenshot({ path: artifact('set-password.png') });
    await member.getByTestId('set-password-submit').click();
    await member.getByTestId('set-password-done').waitFor();
    expect(await member.getByTestId('set-password-done').textContent()).toContain('ines.okafor@test.desk');
    await member.screenshot({ path: artifact('set-password-done.png') });
    await member.getByTestId('set-password-sign-in').click();
    await member.getByTestId('login-email').waitFor();
    await signInWithForm(member, desk.url, 'ines.okafor@test.desk', password);
    await member.getByTestId('queue-row').first().waitFor();
    expect(await member.getByTestId('signed-in-name').textContent()).toBe('Ines Okafor');

    // The link was used up.
    const again = await newPage(failures);
    await again.goto(link);
    expect(await again.getByTestId('set-password-refused').textContent()).toContain('was already used');
    await again.screenshot({ path: artifact('set-password-used.png') });
    expect(failures).toEqual([]);
  });

  it('When an admin issues a new link, then the old one says it was replaced, the new one works, and an expired one says it expired', async () => {
    const failures: string[] = [];
    const created = await desk
      .as('admin')
      .post<StaffCreated>('/api/staff', { name: 'Tomas Reyes', email: 'tomas.reyes@test.desk', role: 'support' });
    expect(created.status).toBe(201);
    const first = created.body.invitation?.link;
    if (!first) throw new Error('no link issued');

    const admin = await newPage(failures);
    await signInPage(admin, desk.url, 'admin');
    await admin.goto(`${desk.url}/#/staff/${created.body.member.id}`);
    await admin.getByTestId('member-invitation-status').getByText('A link is open until').waitFor();
    await admin.getByTestId('member-reissue-invitation').click();
    const confirm = admin.getByRole('dialog');
    expect(await confirm.textContent()).toContain('stops working at once');
    await admin.screenshot({ path: artifact('staff-reissue-confirm.png') });
    await confirm.getByRole('button', { name: 'Issue a new link' }).click();
    await admin.getByTestId('invitation-dialog').waitFor();
    const second = await admin.getByTestId('invitation-link').inputValue();
    expect(second).not.toBe(first);
    await admin.getByTestId('invitation-done').click();
    await admin.getByTestId('invitation-dialog').waitFor({ state: 'detached' });

    const member = await newPage(failures);
    await member.goto(first);
    expect(await member.getByTestId('set-password-refused').textContent()).toContain('replaced by a newer link');
    await member.goto(second);
    await member.getByTestId('set-password-new').waitFor();
    expect(await member.getByTestId('set-password-name').textContent()).toBe('Tomas Reyes');

    // The newest link runs out before it is used.
    await desk.db
      .updateTable('staff_invitations')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('staff_id', '=', created.body.member.id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    const late = await newPage(failures);
    await late.goto(second);
    expect(await late.getByTestId('set-password-refused').textContent()).toContain('has expired');
    await late.screenshot({ path: artifact('set-password-expired.png') });
    await late.getByTestId('set-password-sign-in').click();
    await late.getByTestId('login-email').waitFor();
    expect(failures).toEqual([]);
  });
});
