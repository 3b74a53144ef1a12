/**
 * What the web client costs on the wire: the JavaScript a browser fetches to show the sign-in
 * page, then to sign in and show the review queue, and for a signed-in analyst who opens the
 * desk straight onto the queue. Sizes are the page's own resource timings (`encodedBodySize`:
 * the body as it came, compressed) in a fresh browser context each time, so nothing comes from
 * a cache. Every script is a content-hashed asset, cached `immutable`, and sent brotli-encoded
 * whenever the build wrote a brotli copy (all but the few that compression would not shrink).
 * The figures, and what would shrink them further, are in docs/BENCHMARKS.md ("SPA delivery");
 * each run writes them to test/artifacts/transfer-sizes.json.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import { emailOf, testPassword } from '../support/desk.js';
import { repoRoot } from '../support/process.js';

/**
 * Budgets, in bytes on the wire. The sign-in page: the goal, 200 KB (measured 195,012).
 * The queue, the same whether reached through the sign-in page or opened signed in (the
 * sign-in page's files are part of its first download): the measured 258,038 plus about 2%, so
 * a page that starts pulling in another page's code or a whole library fails here; the goal of
 * 200 KB is not met, and docs/BENCHMARKS.md ("SPA delivery") says what stands between.
 */
const goal = 200_000;
const budgets = { signIn: goal, queue: 263_000 };

/** The build the desk serves (as test/support/browser.ts picks it): where the brotli copies are. */
const clientDir = process.env.DESK_TEST_CLIENT_DIR ?? path.join(repoRoot, 'client', 'dist');
const immutable = 'public, max-age=31536000, immutable';

type Script = { path: string; encodedBytes: number; decodedBytes: number };

/** Every script the page has fetched so far, from its resource timings. */
async function scriptsOf(page: Page): Promise<Script[]> {
  const entries = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((entry): entry is PerformanceResourceTiming => entry instanceof PerformanceResourceTiming)
      .map((entry) => ({ url: entry.name, encodedBytes: entry.encodedBodySize, decodedBytes: entry.decodedBodySize })),
  );
  return entries
    .map(({ url, ...sizes }) => ({ path: new URL(url).pathname, ...sizes }))
    .filter((entry) => entry.path.endsWith('.js'));
}

const sum = (scripts: Script[], key: 'encodedBytes' | 'decodedBytes') =>
  scripts.reduce((total, script) => total + script[key], 0);

/** A fresh context (empty cache) whose page records the answer to every script it asks for. */
async function freshPage(running: BrowserDesk): Promise<{ context: BrowserContext; page: Page; answers: Response[] }> {
  const context = await running.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const answers: Response[] = [];
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script') answers.push(res);
  });
  return { context, page, answers };
}

/** Each script answer: a hashed asset, immutable, brotli whenever the build wrote a brotli copy. */
async function expectDelivered(answers: Response[]): Promise<void> {
  expect(answers.length).toBeGreaterThan(0);
  let brotli = 0;
  for (const res of answers) {
    const urlPath = new URL(res.url()).pathname;
    expect(urlPath).toMatch(/^\/assets\/[\w-]+-[\w-]{8}\.js$/);
    const headers = await res.allHeaders();
    expect(headers['cache-control'], urlPath).toBe(immutable);
    const hasBrotliCopy = existsSync(path.join(clientDir, `${urlPath}.br`));
    expect(headers['content-encoding'], urlPath).toBe(hasBrotliCopy ? 'br' : undefined);
    if (hasBrotliCopy) brotli += 1;
  }
  // Nearly every chunk is worth compressing; only a handful of tiny ones go as they are.
  expect(brotli).toBeGreaterThan(answers.length * 0.8);
}

describe.each(browserDatabaseKinds)('What the web client sends on %s database', (kind) => {
  let running: BrowserDesk;
  const figures: Record<
    string,
    { scripts: number; encodedBytes: number; decodedBytes: number; files: Record<string, number> }
  > = {};
  beforeAll(async () => {
    running = await startBrowserDesk(kind, { demoCount: 30 });
  });
  afterAll(async () => {
    if (Object.keys(figures).length > 0) {
      writeFileSync(running.artifact('transfer-sizes.json'), `${JSON.stringify(figures, null, 2)}\n`);
    }
    await running?.stop();
  });

  const record = (name: 'signIn' | 'signInThenQueue' | 'queueSignedIn', scripts: Script[]) => {
    figures[name] = {
      scripts: scripts.length,
      encodedBytes: sum(scripts, 'encodedBytes'),
      decodedBytes: sum(scripts, 'decodedBytes'),
      // Each file and its bytes on the wire, largest first: what to look at when a step grows.
      files: Object.fromEntries(
        scripts.toSorted((a, b) => b.encodedBytes - a.encodedBytes).map((s) => [s.path, s.encodedBytes]),
      ),
    };
    // A size of 0 would mean the timing hid it (cross-origin, or from a cache): not measured.
    for (const script of scripts) expect(script.encodedBytes, script.path).toBeGreaterThan(0);
    return sum(scripts, 'encodedBytes');
  };

  it('When a browser opens the sign-in page, then signs in and the queue shows, then each step fetches its JavaScript within budget, brotli-encoded and immutable', async () => {
    const { context, page, answers } = await freshPage(running);
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));

    await page.goto(running.desk.url);
    await page.getByTestId('login-email').waitFor();
    await page.waitForLoadState('networkidle');
    const signIn = await scriptsOf(page);
    expect(record('signIn', signIn)).toBeLessThanOrEqual(budgets.signIn);
    // The sign-in page fetches no page of the desk behind it.
    expect(signIn.map((s) => s.path).join(' ')).not.toMatch(/ApplicationList|DeskLayout|AuditExplorer|StaffList/);

    await page.getByTestId('login-email').fill(emailOf('analyst'));
    await page.getByTestId('login-password').fill(testPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('queue-row').first().waitFor();
    await page.waitForLoadState('networkidle');
    const queue = await scriptsOf(page);
    expect(record('signInThenQueue', queue)).toBeLessThanOrEqual(budgets.queue);
    // Pages the queue does not show stay unfetched.
    expect(queue.map((s) => s.path).join(' ')).not.toMatch(/AuditExplorer|ExportsPage|StaffList|ApplicationShow/);

    expect(answers.length).toBe(queue.length);
    await expectDelivered(answers);
    expect(failures).toEqual([]);
    await context.close();
  });

  it('When a signed-in analyst opens the desk, then the queue shows with its JavaScript within budget', async () => {
    const { context, page, answers } = await freshPage(running);
    await signInPage(page, running.desk.url, 'analyst');
    await page.goto(running.desk.url);
    await page.getByTestId('queue-row').first().waitFor();
    await page.waitForLoadState('networkidle');
    const queue = await scriptsOf(page);
    expect(record('queueSignedIn', queue)).toBeLessThanOrEqual(budgets.queue);
    await expectDelivered(answers);
    await context.close();
  });
});
