/**
 * The second factor in the browser: a member sets up an authenticator on their account page
 * (QR code and key, a first code, recovery codes shown once), then signs in with a code and
 * with a recovery code, which works once; and a role the policy asks a factor of enrols at
 * sign-in before the desk opens. Codes are computed here from the key the page shows, as an
 * authenticator app would.
 */
import { type AuthSettings, createStaff, defaultAuthSettings } from '@desk/server';
import type { SignInStep, StaffRole } from '@desk/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserDesk, browserDatabaseKinds, signInWithForm, startBrowserDesk } from '../support/browser.js';
import { type TestDesk, testPassword } from '../support/desk.js';
import { totpCodeOf } from '../support/totp.js';

describe.each(browserDatabaseKinds)('second factor in the browser on %s database', (kind) => {
  // The policy is read at each sign-in: `optional` while the test desk signs its members in,
  // then raised where a test needs it.
  const auth: AuthSettings = { ...defaultAuthSettings, secondFactor: 'optional' };
  let running: BrowserDesk;
  let desk: TestDesk;
  let browser: Browser;
  let artifact: (name: string) => string;
  beforeAll(async () => {
    running = await startBrowserDesk(kind, { demoCount: 10, auth });
    ({ desk, browser, artifact } = running);
  });
  afterAll(async () => {
    await running?.stop();
  });

  async function newPage(failures: string[]): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (err) => failures.push(err.message));
    return page;
  }

  let count = 0;
  async function newMember(role: StaffRole): Promise<{ email: string; name: string }> {
    count += 1;
    const member = { email: `factor.${count}@test.desk`, name: `Factor Member ${count}` };
    await createStaff(desk.db, { ...member, role, password: testPassword }, { kind: 'system' });
    return member;
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-email').waitFor();
  }

  /** The key as the page shows it (grouped for typing), as an app would take it. */
  const shownSecret = async (page: Page) =>
    ((await page.getByTestId('enrol-secret').textContent()) ?? '').replace(/\s+/g, '');

  it('When an analyst sets up an authenticator on their account page, then sign-in asks for its code, and a recovery code works once', async () => {
    const failures: string[] = [];
    const { email, name } = await newMember('analyst');
    const page = await newPage(failures);
    await signInWithForm(page, desk.url, email, testPassword);
    await page.getByTestId('queue-row').first().waitFor();

    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-account').click();
    await page.getByTestId('account-page').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your account');
    expect(await page.getByTestId('account-identity').textContent()).toContain(email);
    const status = page.getByTestId('account-second-factor-status');
    expect(await status.getAttribute('data-enrolled')).toBe('false');
    // This browser's session is listed and marked.
    await page.locator('[data-testid="session-row"][data-current="true"]').waitFor();
    await page.screenshot({ path: artifact('account-page.png'), fullPage: true });

    await page.getByTestId('account-enrol').click();
    const qr = page.getByTestId('enrol-qr');
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="enrol-qr"]');
      return img?.complete === true && img.naturalWidth > 0;
    });
    expect(await qr.getAttribute('alt')).toMatch(/QR code/);
    const secret = await shownSecret(page);
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.screenshot({ path: artifact('account-enrol.png'), fullPage: true });

    // A code from minutes ago is refused and the form says so.
    await page.getByTestId('enrol-code').fill(totpCodeOf(secret, -10));
    await page.getByTestId('enrol-submit').click();
    expect(await page.getByTestId('enrol-error').textContent()).toMatch(/not the one your authenticator shows/);
    await page.getByTestId('enrol-code').fill(totpCodeOf(secret));
    await page.getByTestId('enrol-submit').click();

    await page.getByTestId('recovery-codes').waitFor();
    const codes = await page.getByTestId('recovery-code').allTextContents();
    expect(codes.length).toBeGreaterThan(1);
    expect(new Set(codes).size).toBe(codes.length);
    expect(await page.getByTestId('recovery-done').isDisabled()).toBe(true);
    await page.screenshot({ path: artifact('account-recovery-codes.png'), fullPage: true });
    await page.getByLabel('I have saved these codes').check();
    await page.getByTestId('recovery-done').click();
    await page.locator('[data-testid="account-second-factor-status"][data-enrolled="true"]').waitFor();
    expect(await status.textContent()).toContain(`${codes.length} recovery codes left`);

    // The next sign-in asks for a code: an old one is refused, the current one lets them in.
    await signOut(page);
    await signInWithForm(page, desk.url, email, testPassword);
    await page.getByTestId('login-code').waitFor();
    expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe('Enter your code');
    await page.screenshot({ path: artifact('sign-in-code.png'), fullPage: true });
    await page.getByTestId('login-code').fill(totpCodeOf(secret, -10));
    await page.getByTestId('login-code-submit').click();
    expect(await page.getByTestId('login-error').textContent()).toMatch(/not the one your authenticator shows/);
    // The enrolment spent this step's code: an app shows the next one half a minute later.
    await page.getByTestId('login-code').fill(totpCodeOf(secret, 1));
    await page.getByTestId('login-code-submit').click();
    await page.getByTestId('queue-row').first().waitFor();
    expect(await page.getByTestId('signed-in-name').textContent()).toBe(name);

    // A recovery code signs in once.
    const [first, second] = codes;
    if (!first || !second) throw new Error('no recovery codes');
    await signOut(page);
    await signInWithForm(page, desk.url, email, testPassword);
    await page.getByTestId('login-switch-method').click();
    await page.getByTestId('login-recovery-code').fill(first);
    await page.getByTestId('login-code-submit').click();
    await page.getByTestId('queue-row').first().waitFor();
    await signOut(page);
    await signInWithForm(page, desk.url, email, testPassword);
    await page.getByTestId('login-switch-method').click();
    await page.getByTestId('login-recovery-code').fill(first);
    await page.getByTestId('login-code-submit').click();
    expect(await page.getByTestId('login-error').textContent()).toMatch(/recovery code is not valid/);
    await page.screenshot({ path: artifact('sign-in-recovery-code-used.png'), fullPage: true });
    await page.getByTestId('login-recovery-code').fill(second);
    await page.getByTestId('login-code-submit').click();
    await page.getByTestId('queue-row').first().waitFor();

    await page.goto(`${desk.url}/#/account`);
    await page.locator('[data-testid="account-second-factor-status"][data-enrolled="true"]').waitFor();
    expect(await status.textContent()).toContain(`${codes.length - 2} recovery codes left`);
    expect(failures).toEqual([]);
  });

  it('When the policy asks a senior analyst for a second factor they do not have, then sign-in sets one up first and shows the recovery codes once', async () => {
    const failures: string[] = [];
    const { email, name } = await newMember('senior_analyst');
    auth.secondFactor = 'required-roles';
    try {
      const page = await newPage(failures);
      await signInWithForm(page, desk.url, email, testPassword);
      await page.getByTestId('sign-in-enrolment').waitFor();
      await page.getByTestId('enrol-qr').waitFor();
      expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe('Set up a second factor');
      await page.screenshot({ path: artifact('sign-in-enrolment.png'), fullPage: true });
      // No session yet: the password alone opened nothing.
      expect((await page.request.get(`${desk.url}/api/auth/me`)).status()).toBe(401);

      const secret = await shownSecret(page);
      await page.getByTestId('enrol-code').fill(totpCodeOf(secret));
      await page.getByTestId('enrol-submit').click();
      await page.getByTestId('sign-in-recovery-codes').waitFor();
      expect(await page.getByTestId('recovery-code').count()).toBeGreaterThan(1);
      await page.screenshot({ path: artifact('sign-in-recovery-codes.png'), fullPage: true });
      expect(await page.getByTestId('recovery-done').isDisabled()).toBe(true);
      await page.getByLabel('I have saved these codes').check();
      await page.getByTestId('recovery-done').click();
      // Senior analysts land on the dashboard.
      await page.getByTestId('dashboard').waitFor();
      expect(await page.getByTestId('signed-in-name').textContent()).toBe(name);
      expect(failures).toEqual([]);
    } finally {
      auth.secondFactor = 'optional';
    }
    // The factor holds: the password now leads to the code step.
    const again = await desk.anonymous.post<SignInStep>('/api/auth/login', { email, password: testPassword });
    expect(again.status).toBe(202);
    expect(again.body.next).toBe('second_factor');
  });
});
