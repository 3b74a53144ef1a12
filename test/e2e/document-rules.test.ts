/**
 * The case page speaks each provider's document rules: the checklist of a Fin.com case that
 * holds a passport shows its identity check met ("Passport, or ID front + ID back"), where a
 * Jiko case with the same passport still asks for ID front and ID back; the upload form of a
 * generic-provider case asks for a proof of address's issue date, checks it before sending,
 * and sends it. Checked by axe-core, and at 390 px wide.
 */
import { writeFileSync } from 'node:fs';
import type { ApplicationDetail, ErrorBody, Provider } from '@desk/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually, intakeRequest } from '../support/applicants.js';
import { blockingViolations } from '../support/axe.js';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';
import { realFile, uploadDocument } from '../support/uploads.js';

const passportDetails = {
  number: 'P1234567',
  issuingCountry: 'USA',
  expiresOn: `${new Date().getUTCFullYear() + 3}-06-30`,
};
const utcDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe.each(browserDatabaseKinds)('each provider’s document rules in the browser on %s database', (kind) => {
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

  const caseOf = async (id: string) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;
  async function onboard(provider: Provider, email: string): Promise<string> {
    const res = await desk.post<{ id: string } & ErrorBody>(
      '/api/applications',
      intakeRequest(provider, applicant('111', { email })),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }
  /** A case holding a delivered passport. */
  async function withPassport(provider: 'fin' | 'jiko'): Promise<string> {
    const id = await onboard(provider, `${provider}.checklist.${Date.now()}@example.com`);
    const sent = await uploadDocument(desk, id, 'PASSPORT', realFile('image/png'), 'passport.png', passportDetails);
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    await eventually(
      () => caseOf(id),
      (c) => c.providerActions.length === 1 && c.providerActions.every((a) => a.state === 'done'),
      20_000,
    );
    return id;
  }
  /** The checklist as the page shows it: per flag, each requirement's words and state. */
  const shownChecklist = (page: Page) =>
    page.getByTestId('flag-checklist').evaluate((section) =>
      [...section.querySelectorAll('[data-flag]')].map((flag) => ({
        flag: flag.getAttribute('data-flag'),
        requirements: [...flag.querySelectorAll('[data-testid="flag-requirement"]')].map((item) => ({
          options: item.querySelector('[data-testid="flag-requirement-options"]')?.textContent,
          state: item.getAttribute('data-state'),
          says: item.querySelector('[data-testid="flag-requirement-state"]')?.textContent,
        })),
      })),
    );

  it('When a Fin.com case and a Jiko case hold the same passport, then each checklist follows its provider’s guide', async () => {
    const fin = await withPassport('fin');
    const jiko = await withPassport('jiko');
    // axe-core needs a page of a context of its own.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'analyst');

    await page.goto(`${desk.url}/#/applications/${fin}/show`);
    await page.getByTestId('flag-checklist').getByText('What Fin.com needs to clear each flag.').waitFor();
    expect(await shownChecklist(page)).toEqual([
      {
        flag: 'idVerification',
        requirements: [{ options: 'Passport, or ID front + ID back', state: 'satisfied', says: 'Satisfied: Passport' }],
      },
      {
        flag: 'addressVerification',
        requirements: [{ options: 'Address verification', state: 'missing', says: 'Missing' }],
      },
    ]);
    await page.getByTestId('flag-checklist').screenshot({ path: artifact('document-rules-fin-checklist.png') });
    expect(await blockingViolations(page, '[data-testid="flag-checklist"]')).toEqual([]);

    await page.goto(`${desk.url}/#/applications/${jiko}/show`);
    await page.getByTestId('flag-checklist').getByText('What Jiko needs to clear each flag.').waitFor();
    const atJiko = await shownChecklist(page);
    expect(atJiko.map((f) => f.flag)).toEqual([
      'idVerification',
      'identificationNumberVerification',
      'addressVerification',
    ]);
    expect(atJiko[0]?.requirements).toEqual([
      { options: 'ID front', state: 'missing', says: 'Missing' },
      { options: 'ID back', state: 'missing', says: 'Missing' },
      { options: 'Selfie or Passport', state: 'satisfied', says: 'Satisfied: Passport' },
    ]);
    await page.getByTestId('flag-checklist').screenshot({ path: artifact('document-rules-jiko-checklist.png') });
    expect(failures).toEqual([]);
    await context.close();
  });

  it('When an analyst uploads a generic-provider proof of address at 390 px, then the form asks for its issue date, checks it, and sends it', async () => {
    const id = await onboard('kyc', `kyc.upload.${Date.now()}@example.com`);
    await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'NEEDS_ADDITIONAL_INFORMATION',
      20_000,
    );
    const bill = artifact('document-rules-bill.jpg');
    writeFileSync(bill, Buffer.from(await realFile('image/jpeg', 150 * 1024).arrayBuffer()));

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'analyst');
    await page.goto(`${desk.url}/#/applications/${id}/show`);
    await page.getByTestId('flag-checklist').getByText('What Generic KYC needs to clear each flag.').waitFor();

    await page.getByTestId('upload-document-button').click();
    const dialog = page.getByTestId('upload-dialog');
    await dialog.waitFor();
    await page.getByTestId('upload-type-select').selectOption('ADDRESS_VERIFICATION');
    await dialog.getByText('Counts towards Address verification.').waitFor();
    await dialog.getByText('Generic KYC requires these details with Address verification documents.').waitFor();
    // Exactly the detail the provider needs with this type.
    await page.getByTestId('upload-detail-issueDate').waitFor();
    for (const other of ['number', 'issuingCountry', 'expiresOn'])
      expect(await page.getByTestId(`upload-detail-${other}`).count(), other).toBe(0);
    expect(await page.getByTestId('upload-detail-issueDate').getAttribute('max')).toBe(utcDay(0));
    await page.getByTestId('upload-file-input').setInputFiles(bill);

    // Sent without the date: nothing goes out, the form names the issue date.
    await page.getByTestId('upload-submit').click();
    expect(await page.getByTestId('upload-detail-issueDate-error').textContent()).toBe(
      'Issue date is required by Generic KYC with Address verification documents.',
    );
    await page.getByTestId('upload-detail-issueDate').fill(utcDay(3));
    expect(await page.getByTestId('upload-detail-issueDate-error').textContent()).toBe(
      'Issue date must not be in the future.',
    );
    expect((await caseOf(id)).providerActions).toEqual([]);
    await dialog.screenshot({ path: artifact('document-rules-kyc-upload-390.png') });
    expect(await blockingViolations(page, '[data-testid="upload-dialog"]')).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const issueDate = utcDay(-10);
    await page.getByTestId('upload-detail-issueDate').fill(issueDate);
    expect(await page.getByTestId('upload-detail-issueDate-error').count()).toBe(0);
    await page.getByTestId('upload-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    const uploaded = await eventually(
      () => caseOf(id),
      (c) => c.providerActions.length === 1 && c.providerActions.every((a) => a.state === 'done'),
      20_000,
    );
    expect(uploaded.documents.map((d) => d.type)).toContain('ADDRESS_VERIFICATION');
    const address = uploaded.checklist.find((e) => e.flag === 'addressVerification');
    expect(address?.requirements.map((r) => r.state)).toEqual(['satisfied']);
    await page
      .getByTestId('flag-checklist')
      .locator('[data-flag="addressVerification"] [data-state="satisfied"]')
      .waitFor();
    await page.getByTestId('flag-checklist').screenshot({ path: artifact('document-rules-kyc-checklist-390.png') });
    expect(failures).toEqual([]);
    await context.close();
  });
});
