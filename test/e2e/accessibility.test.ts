/**
 * Every page, for every role that may open it, checked by axe-core in light and in dark mode
 * (WCAG 2.2 A/AA rules and axe's best practices; a serious or critical finding fails); the
 * colour scheme following the system with a remembered choice; the queue and the case page
 * at 390 px.
 */
import {
  type ApplicationDetail,
  can,
  type Permission,
  type Rfi,
  type StaffCreated,
  type StaffMember,
  type StaffRole,
  staffRoles,
} from '@desk/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockingViolations } from '../support/axe.js';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';
import { waitFor } from '../support/wait-for.js';

type ColourScheme = 'light' | 'dark';
const colourSchemes: ColourScheme[] = ['light', 'dark'];

/** What a page needs: records to open, and the one-time link of a member who has not set a password. */
type Fixtures = {
  applicationId: string;
  rfiId: string;
  customerId: string;
  customerName: string;
  staffId: string;
  setPasswordLink: string;
};

type DeskPage = {
  name: string;
  /** Who opens it: someone not signed in, every member, or those holding a permission. */
  who: 'signed-out' | 'every-member' | Permission;
  /** Opens the page and waits until it shows its content. */
  open(page: Page, deskUrl: string, fixtures: Fixtures): Promise<void>;
};

/** The page at `hash`, once `testId` shows and nothing is still loading. */
function pageAt(hash: (fixtures: Fixtures) => string, testId: string): DeskPage['open'] {
  return async (page, deskUrl, fixtures) => {
    await page.goto(`${deskUrl}/#${hash(fixtures)}`);
    await page.getByTestId(testId).first().waitFor();
    await settled(page);
  };
}

/** No page spinner, no skeleton rows, no request of react-admin's in flight. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector(
        '[data-testid="page-loading"], .MuiSkeleton-root, .RaLoadingIndicator-loader, [aria-busy="true"]',
      ) === null,
  );
}

const deskPages: DeskPage[] = [
  { name: 'sign-in', who: 'signed-out', open: pageAt(() => '/login', 'login-submit') },
  {
    name: 'set password',
    who: 'signed-out',
    async open(page, _deskUrl, fixtures) {
      await page.goto(fixtures.setPasswordLink);
      await page.getByTestId('set-password-name').waitFor();
      await settled(page);
    },
  },
  { name: 'review queue', who: 'applications.read', open: pageAt(() => '/applications', 'queue-row') },
  {
    name: 'case page',
    who: 'applications.read',
    open: pageAt((f) => `/applications/${f.applicationId}/show`, 'status-timeline'),
  },
  { name: 'RFI list', who: 'rfis.read', open: pageAt(() => '/rfis', 'rfi-row') },
  { name: 'RFI page', who: 'rfis.read', open: pageAt((f) => `/rfis/${f.rfiId}/show`, 'rfi-page') },
  {
    name: 'customer search',
    who: 'customers.read',
    async open(page, deskUrl, fixtures) {
      await pageAt(() => '/account', 'account-identity')(page, deskUrl, fixtures);
      await page.getByTestId('global-search').fill(fixtures.customerName);
      await page.getByTestId('search-result').first().waitFor();
    },
  },
  {
    name: 'customer page',
    who: 'customers.read',
    open: pageAt((f) => `/customers/${f.customerId}`, 'customer-application'),
  },
  { name: 'dashboard', who: 'dashboard.read', open: pageAt(() => '/dashboard', 'dashboard-generated-at') },
  { name: 'audit explorer', who: 'audit.read', open: pageAt(() => '/audit', 'audit-row') },
  { name: 'exports', who: 'exports.read', open: pageAt(() => '/exports', 'export-kind') },
  { name: 'staff list', who: 'staff.manage', open: pageAt(() => '/staff', 'staff-list') },
  { name: 'staff edit', who: 'staff.manage', open: pageAt((f) => `/staff/${f.staffId}`, 'staff-edit-name') },
  { name: 'account', who: 'every-member', open: pageAt(() => '/account', 'account-identity') },
];

/** A role's round of pages, each loaded and analysed (axe takes seconds on a long page). */
const roundTimeoutMs = 600_000;

/** Transitions and animations off, so that axe reads colours as they settle, not mid-fade. */
const stillPageScript = `
  document.addEventListener('DOMContentLoaded', () => {
    const style = document.createElement('style');
    style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
    document.head.append(style);
  });
`;

/**
 * What axe-core reads is the rendered page, which is the same whichever database served its data;
 * the round runs once, on the embedded database (the one `pnpm start` uses). Every other browser
 * test runs on both.
 */
const accessibilityDatabaseKinds = browserDatabaseKinds.filter((kind) => kind === 'embedded');

describe.each(accessibilityDatabaseKinds)('accessibility in the browser on %s database', (kind) => {
  let running: BrowserDesk;
  let desk: TestDesk;
  let browser: Browser;
  let artifact: (name: string) => string;
  let fixtures: Fixtures;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    running = await startBrowserDesk(kind, { demoCount: 40 });
    ({ desk, browser, artifact } = running);
    // A case under manual review with an RFI raised on it: the case page shows its RFI section.
    const application = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('stage', '=', 'manual_review')
      .executeTakeFirstOrThrow();
    const raised = await desk.as('analyst').post<Rfi>(`/api/applications/${application.id}/rfis`, {
      title: 'Proof of address',
      dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      items: [
        { kind: 'document', key: 'utility_bill', label: 'Utility bill' },
        { kind: 'field', key: 'phone', label: 'Phone number' },
        { kind: 'text', key: 'source_of_funds', label: 'Source of funds' },
      ],
    });
    if (raised.status !== 201) throw new Error(`raising an RFI failed: ${raised.status}`);
    const rfi = raised.body;
    const { applicant } = (await desk.get<ApplicationDetail>(`/api/applications/${rfi.applicationId}`)).body;
    const staff = (await desk.as('admin').get<{ data: StaffMember[] }>('/api/staff')).body.data;
    const analyst = staff.find((m) => m.role === 'analyst');
    if (!analyst) throw new Error('the test desk has no analyst');
    const created = await desk.as('admin').post<StaffCreated>('/api/staff', {
      name: 'Noor Haddad',
      email: 'noor.haddad@test.desk',
      role: 'analyst',
    });
    if (!created.body.invitation) throw new Error(`no set-password link: ${created.status}`);
    fixtures = {
      applicationId: rfi.applicationId,
      rfiId: rfi.id,
      customerId: applicant.customerId,
      customerName: `${applicant.firstName} ${applicant.lastName}`,
      staffId: analyst.id,
      setPasswordLink: created.body.invitation.link,
    };
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await running?.stop();
  });

  async function newPage(
    options: { colourScheme: ColourScheme; width: number; height: number },
    failures: string[],
  ): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: options.width, height: options.height },
      colorScheme: options.colourScheme,
    });
    contexts.push(context);
    await context.addInitScript(stillPageScript);
    const page = await context.newPage();
    page.on('pageerror', (err) => failures.push(err.message));
    return page;
  }

  /** Opens each page and collects what axe-core finds on it. */
  async function checkPages(page: Page, pages: DeskPage[], label: string): Promise<string[]> {
    const report: string[] = [];
    for (const deskPage of pages) {
      try {
        await deskPage.open(page, desk.url, fixtures);
      } catch (err) {
        const shot = artifact(`accessibility-${label.replace(/\W+/g, '-')}-${deskPage.name.replace(/\W+/g, '-')}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        throw new Error(`${label} · ${deskPage.name} did not show (see ${shot})`, { cause: err });
      }
      const found = await blockingViolations(page);
      if (found.length > 0) report.push(`${label} · ${deskPage.name}:\n${found.join('\n')}`);
    }
    return report;
  }

  const signedOutPages = deskPages.filter((p) => p.who === 'signed-out');
  const pagesOf = (role: StaffRole) =>
    deskPages.filter((p) => p.who === 'every-member' || (p.who !== 'signed-out' && can(role, p.who)));

  for (const colourScheme of colourSchemes) {
    it(
      `When someone not signed in opens the sign-in and set-password pages in ${colourScheme} mode, then axe-core finds no serious or critical violation`,
      async () => {
        const failures: string[] = [];
        const page = await newPage({ colourScheme, width: 1280, height: 900 }, failures);
        const report = await checkPages(page, signedOutPages, `signed out, ${colourScheme}`);
        expect(report.join('\n\n'), 'axe-core violations').toBe('');
        expect(failures).toEqual([]);
      },
      roundTimeoutMs,
    );

    it.each(staffRoles)(
      `When the %s opens every page the role may see in ${colourScheme} mode, then axe-core finds no serious or critical violation`,
      async (role) => {
        const failures: string[] = [];
        const page = await newPage({ colourScheme, width: 1280, height: 900 }, failures);
        await signInPage(page, desk.url, role);
        const pages = pagesOf(role);
        expect(pages.length).toBeGreaterThan(2);
        const report = await checkPages(page, pages, `${role}, ${colourScheme}`);
        expect(report.join('\n\n'), 'axe-core violations').toBe('');
        expect(failures).toEqual([]);
      },
      roundTimeoutMs,
    );
  }

  /** The page's colour scheme as the browser renders it, and how light its background is (0–1). */
  async function renderedScheme(page: Page): Promise<{ scheme: string; backgroundLightness: number }> {
    return page.evaluate(() => {
      const channels = (getComputedStyle(document.body).backgroundColor.match(/\d+(\.\d+)?/g) ?? []).map(Number);
      const [r = 0, g = 0, b = 0] = channels;
      return {
        scheme: getComputedStyle(document.documentElement).colorScheme,
        backgroundLightness: (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255,
      };
    });
  }

  async function chooseScheme(page: Page, choice: 'light' | 'dark' | 'system'): Promise<void> {
    await page.getByTestId('theme-mode-button').click();
    await page.getByTestId(`theme-mode-${choice}`).click();
    await page.getByTestId(`theme-mode-${choice}`).waitFor({ state: 'hidden' });
  }

  it('When the system prefers dark, then the desk is dark; a chosen scheme is remembered across a reload, and "system" follows the system again', async () => {
    const failures: string[] = [];
    const page = await newPage({ colourScheme: 'dark', width: 1280, height: 900 }, failures);
    await signInPage(page, desk.url, 'analyst');
    await page.goto(`${desk.url}/#/applications`);
    await page.getByTestId('queue-row').first().waitFor();
    const dark = await renderedScheme(page);
    expect(dark.scheme).toBe('dark');
    expect(dark.backgroundLightness).toBeLessThan(0.2);
    await page.screenshot({ path: artifact('queue-dark.png') });

    await chooseScheme(page, 'light');
    await waitFor(async () => (await renderedScheme(page)).scheme === 'light', { what: 'the light scheme' });
    await page.reload();
    await page.getByTestId('queue-row').first().waitFor();
    const light = await renderedScheme(page);
    expect(light.scheme).toBe('light');
    expect(light.backgroundLightness).toBeGreaterThan(0.8);
    expect(await page.getByTestId('theme-mode-button').getAttribute('aria-label')).toContain('Light');

    await chooseScheme(page, 'system');
    await waitFor(async () => (await renderedScheme(page)).scheme === 'dark', { what: 'the system (dark) scheme' });
    await page.emulateMedia({ colorScheme: 'light' });
    await waitFor(async () => (await renderedScheme(page)).scheme === 'light', {
      what: 'the scheme following the system to light',
    });
    await page.reload();
    await page.getByTestId('queue-row').first().waitFor();
    expect((await renderedScheme(page)).scheme).toBe('light');

    await page.emulateMedia({ colorScheme: 'dark' });
    await chooseScheme(page, 'dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.reload();
    await page.getByTestId('queue-row').first().waitFor();
    expect((await renderedScheme(page)).scheme).toBe('dark');
    expect(failures).toEqual([]);
  });

  /** How wide the page is laid out, beyond the viewport if it overflows. */
  const pageWidth = (page: Page) => page.evaluate(() => document.scrollingElement?.scrollWidth ?? Number.NaN);

  /**
   * The outermost elements reaching past the window's right edge (their parent does not), each
   * named by tag, test id and classes with its width: what makes the page scroll sideways.
   */
  const overflowing = (page: Page) =>
    page.evaluate(() => {
      const edge = document.documentElement.clientWidth;
      const name = (el: Element) =>
        [
          el.tagName.toLowerCase(),
          el.getAttribute('data-testid') ? `[data-testid="${el.getAttribute('data-testid')}"]` : '',
          ...[...el.classList].filter((c) => !c.startsWith('css-')).map((c) => `.${c}`),
        ].join('');
      return [...document.body.querySelectorAll('*')]
        .filter((el) => {
          const parent = el.parentElement;
          return (
            el.getBoundingClientRect().right > edge + 0.5 &&
            parent !== null &&
            parent.getBoundingClientRect().right <= edge + 0.5
          );
        })
        .slice(0, 8)
        .map((el) => `${name(el)} (${Math.round(el.getBoundingClientRect().width)} px)`);
    });

  /** The page fits 390 px, or the failure names what sticks out. */
  async function expectNoSidewaysScroll(page: Page): Promise<void> {
    const width = await pageWidth(page);
    expect({ width, overflowing: width > 390 ? await overflowing(page) : [] }).toEqual({
      width: expect.any(Number),
      overflowing: [],
    });
    expect(width).toBeLessThanOrEqual(390);
  }

  it('When an analyst uses the desk 390 px wide, then the queue and the case page fit the screen and the search is reachable', async () => {
    const failures: string[] = [];
    const page = await newPage({ colourScheme: 'light', width: 390, height: 844 }, failures);
    await signInPage(page, desk.url, 'analyst');
    await page.goto(`${desk.url}/#/applications`);
    await page.getByTestId('queue-row').first().waitFor();
    await settled(page);
    await page.screenshot({ path: artifact('queue-390.png'), fullPage: true });
    await expectNoSidewaysScroll(page);

    await page.goto(`${desk.url}/#/applications/${fixtures.applicationId}/show`);
    await page.getByTestId('status-timeline').waitFor();
    await settled(page);
    await page.screenshot({ path: artifact('case-390.png'), fullPage: true });
    await expectNoSidewaysScroll(page);

    // On a phone the search waits behind the app bar's search button, and covers the bar when opened.
    await page.getByTestId('search-open').click();
    const search = page.getByTestId('global-search');
    await expect(search.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await search.fill(fixtures.customerName);
    await page.getByTestId('search-result').first().waitFor();
    await page.screenshot({ path: artifact('search-390.png') });
    const result = await page.getByTestId('search-result').first().boundingBox();
    expect(result && { left: result.x, right: result.x + result.width }).toEqual({
      left: expect.toSatisfy((x: number) => x >= 0),
      right: expect.toSatisfy((x: number) => x <= 390),
    });
    await page.getByTestId('search-result').first().click();
    await page.getByTestId('customer-page').waitFor();
    await expect(page.getByTestId('search-open').isVisible()).resolves.toBe(true);

    expect(failures).toEqual([]);
  });
});
