/**
 * Debian's Chromium driven by playwright-core; no browser download ever. Browser tests run on
 * every database the API tests run on (`browserDatabaseKinds`), each file on a desk of its own
 * serving the built web client (`startBrowserDesk`).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { StaffRole } from '@desk/shared';
import { type Browser, chromium, type Page } from 'playwright-core';
import { databaseKinds, type TestDatabaseKind } from './databases.js';
import { emailOf, startTestDesk, type TestDesk, testPassword } from './desk.js';
import { repoRoot } from './process.js';

/** The embedded database always, real Postgres too when the tests have a server to use. */
export const browserDatabaseKinds: TestDatabaseKind[] = databaseKinds;

export const artifactsDir = path.join(repoRoot, 'test', 'artifacts');

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

export type BrowserDesk = {
  desk: TestDesk;
  browser: Browser;
  /**
   * Where to write a screenshot or a downloaded file: `test/artifacts/<name>`, the database
   * kind added before the extension on Postgres so the two runs keep their own.
   */
  artifact(name: string): string;
  stop(): Promise<void>;
};

/**
 * The built web client the browser tests load: `client/dist` (`pnpm --filter @desk/client build`),
 * or another build's folder named by `DESK_TEST_CLIENT_DIR`.
 */
const builtClientDir = process.env.DESK_TEST_CLIENT_DIR ?? path.join(repoRoot, 'client', 'dist');

/** A desk on `kind` serving the built web client, and a browser. */
export async function startBrowserDesk(
  kind: TestDatabaseKind,
  options: Parameters<typeof startTestDesk>[1] = {},
): Promise<BrowserDesk> {
  mkdirSync(artifactsDir, { recursive: true });
  const desk = await startTestDesk(kind, { clientDir: builtClientDir, ...options });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (err) {
    await desk.stop();
    throw err;
  }
  return {
    desk,
    browser,
    artifact: (name) => {
      const ext = path.extname(name);
      return path.join(
        artifactsDir,
        kind === 'embedded' ? name : `${name.slice(0, name.length - ext.length)}-${kind}${ext}`,
      );
    },
    async stop() {
      await browser.close();
      await desk.stop();
    },
  };
}
