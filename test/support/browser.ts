/** Debian's Chromium driven by playwright-core; no browser download ever. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { StaffRole } from '@desk/shared';
import { emailOf, testPassword } from './desk.js';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/**
 * Signs the page's browser context in as the test desk's staff member of `role` (see
 * desk.ts): a POST to /api/auth/login through `page.request`, which shares the context's
 * cookie jar, so the session cookie rides on every later page request. Fast; the sign-in form
 * itself is exercised by `signInWithForm`.
 */
export async function signInPage(page: Page, deskUrl: string, role: StaffRole): Promise<void> {
  const res = await page.request.post(`${deskUrl}/api/auth/login`, {
    data: { email: emailOf(role), password: testPassword },
    headers: { origin: deskUrl },
  });
  if (res.status() !== 200) throw new Error(`sign-in as ${role} failed: ${res.status()} ${await res.text()}`);
}

/** Opens the desk, fills the sign-in form and submits it (the page then shows the desk, or the error). */
export async function signInWithForm(page: Page, deskUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${deskUrl}/#/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}
