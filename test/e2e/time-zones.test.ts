/**
 * Time on the desk: every time is shown in the member's zone with the zone named — their
 * browser's until they choose one on the account page, UTC one click away in the user menu —
 * and exports are downloaded by the browser itself (no copy in the page's memory) under a
 * name that says UTC and the minute the run began, as the manifest says.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApplicationDetail, ExportManifest, Me } from '@desk/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';
import { waitFor } from '../support/wait-for.js';

/** The desk's format, stated here on its own: "7 Dec 2026, 14:05 CET". */
const expectedIn = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(new Date(iso));

const browserZone = 'America/New_York';

describe.each(browserDatabaseKinds)('time zones in the browser on %s database', (kind) => {
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

  async function shownText(page: Page, iso: string, zone: string): Promise<string> {
    const time = page.locator(`[data-testid="case-header"] time[datetime="${iso}"], time[datetime="${iso}"]`).first();
    await page.waitForFunction(
      ({ iso: value, zone: expectedZone }) =>
        document.querySelector(`time[datetime="${value}"]`)?.getAttribute('data-time-zone') === expectedZone,
      { iso, zone },
    );
    return (await time.textContent()) ?? '';
  }

  it('When an analyst chooses a zone, then the case page shows times in it with the zone; the UTC toggle switches to UTC and back', async () => {
    const analyst = desk.as('analyst');
    expect((await analyst.patch('/api/me/preferences', { timeZone: null })).status).toBe(200);
    const { body: list } = await analyst.get<{ data: { id: string }[] }>('/api/applications?limit=1');
    const id = list.data[0]?.id ?? '';
    const { body: application } = await analyst.get<ApplicationDetail>(`/api/applications/${id}`);

    const failures: string[] = [];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: browserZone });
    const page = await context.newPage();
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'analyst');

    // Nothing chosen: the browser's zone, named.
    await page.goto(`${desk.url}/#/applications/${id}/show`);
    expect(await shownText(page, application.createdAt, browserZone)).toBe(
      expectedIn(application.createdAt, browserZone),
    );

    // Chosen on the account page: stored on the server, shown everywhere.
    await page.goto(`${desk.url}/#/account`);
    const input = page.getByTestId('time-zone-input');
    await input.click();
    await input.fill('Asia/Tokyo');
    await page.getByRole('option', { name: 'Asia/Tokyo', exact: true }).click();
    await page.getByTestId('time-zone-now').filter({ hasText: 'GMT+9' }).waitFor();
    await waitFor(async () => (await analyst.get<Me>('/api/auth/me')).body.timeZone === 'Asia/Tokyo', {
      what: 'the chosen zone stored',
    });
    await page.screenshot({ path: artifact('time-zone-account.png'), fullPage: true });
    await page.goto(`${desk.url}/#/applications/${id}/show`);
    expect(await shownText(page, application.createdAt, 'Asia/Tokyo')).toBe(
      expectedIn(application.createdAt, 'Asia/Tokyo'),
    );

    // One click to UTC from the user menu, and it stays after a reload.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-utc').click();
    expect(await shownText(page, application.createdAt, 'UTC')).toBe(expectedIn(application.createdAt, 'UTC'));
    expect((await shownText(page, application.createdAt, 'UTC')).endsWith(' UTC')).toBe(true);
    await page.reload();
    expect(await shownText(page, application.createdAt, 'UTC')).toBe(expectedIn(application.createdAt, 'UTC'));
    expect((await analyst.get<Me>('/api/auth/me')).body.timeZone).toBe('UTC');
    await page.getByTestId('user-menu').click();
    await page.screenshot({ path: artifact('time-zone-user-menu.png') });
    expect(await page.getByTestId('user-menu-utc').getAttribute('aria-checked')).toBe('true');

    // And back: the browser's zone again.
    await page.getByTestId('user-menu-utc').click();
    expect(await shownText(page, application.createdAt, browserZone)).toBe(
      expectedIn(application.createdAt, browserZone),
    );
    expect((await analyst.get<Me>('/api/auth/me')).body.timeZone).toBeNull();
    expect(failures).toEqual([]);
    await context.close();
  });

  it('When an auditor exports, then the browser downloads the file itself under a UTC name, and the page shows the server SHA-256 and run time with its zone', async () => {
    const auditor = desk.as('auditor');
    expect((await auditor.patch('/api/me/preferences', { timeZone: null })).status).toBe(200);
    // Far from UTC: the local day and the UTC day differ for most of the day.
    const zone = 'Pacific/Kiritimati';
    const failures: string[] = [];
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
      timezoneId: zone,
    });
    // Counts every object URL the page makes: a download held in the page's memory needs one.
    await context.addInitScript(() => {
      const made: string[] = [];
      Object.assign(window, { objectUrlsMade: made });
      const create = URL.createObjectURL.bind(URL);
      URL.createObjectURL = (object: Blob | MediaSource) => {
        const url = create(object);
        made.push(url);
        return url;
      };
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'auditor');
    await page.goto(`${desk.url}/#/exports`);
    await page.getByTestId('export-download').waitFor();

    const downloading = page.waitForEvent('download');
    await page.getByTestId('export-download').click();
    const download = await downloading;
    // The browser fetched the export's own address: not a blob: URL made by the page.
    expect(download.url()).toMatch(new RegExp(`^${desk.url}/api/exports/status-history\\?`));
    const name = download.suggestedFilename();
    expect(name).toMatch(/^status-history_\d{4}-\d{2}-\d{2}T\d{4}Z_UTC\.csv$/);
    const file = artifact('time-zones-export.csv');
    await download.saveAs(file);

    await page.locator('[data-testid="export-progress"][data-state="done"]').waitFor();
    const manifestBox = page.getByTestId('export-manifest');
    const exportId = (await manifestBox.getAttribute('data-export-id')) ?? '';
    const manifest = (await auditor.get<ExportManifest>(`/api/exports/${exportId}/manifest`)).body;
    expect(manifest.fileName).toBe(name);
    expect(name.slice('status-history_'.length, 'status-history_'.length + 10)).toBe(manifest.startedAt.slice(0, 10));
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(manifest.sha256).toBe(sha);
    expect(await page.getByTestId('export-manifest-sha256').textContent()).toBe(sha);
    expect(await page.getByTestId('export-file-name').textContent()).toBe(name);
    expect(await manifestBox.textContent()).toContain(`sha256sum ${name}`);
    // The run's start, in the reader's zone and naming it.
    expect(await manifestBox.locator(`time[datetime="${manifest.startedAt}"]`).textContent()).toBe(
      expectedIn(manifest.startedAt, zone),
    );
    expect(await page.evaluate(() => (window as unknown as { objectUrlsMade: string[] }).objectUrlsMade)).toEqual([]);
    await page.screenshot({ path: artifact('time-zones-export.png'), fullPage: true });
    expect(failures).toEqual([]);
    await context.close();
  });
});
