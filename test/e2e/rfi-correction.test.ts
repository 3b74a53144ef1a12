/**
 * A Fin.com RFI answered wrongly, in the browser: a phone that is not E.164 is marked before
 * anything is sent; an answer Fin.com refuses comes back "Refused by Fin.com" with its reason
 * beside the phone, on the RFI, in the RFI list and on the case, and the RFI cannot be closed;
 * the analyst corrects it, confirms, and Fin.com accepts it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApplicationDetail, ErrorBody, Rfi, RfiList } from '@desk/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually, intakeRequest } from '../support/applicants.js';
import { blockingViolations } from '../support/axe.js';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';
import { realFile, uploadDocument } from '../support/uploads.js';

const expiry = `${new Date().getUTCFullYear() + 4}-03-31`;

describe.each(browserDatabaseKinds)('correcting a refused Fin.com RFI answer in the browser on %s database', (kind) => {
  let running: BrowserDesk;
  let desk: TestDesk;
  let browser: Browser;
  let artifact: (name: string) => string;
  beforeAll(async () => {
    running = await startBrowserDesk(kind, { sandboxDecisionDelayMs: 300 });
    ({ desk, browser, artifact } = running);
  });
  afterAll(async () => {
    await running?.stop();
  });

  const caseOf = async (id: string) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;
  const rfiOf = async (id: string) => (await desk.get<Rfi>(`/api/rfis/${id}`)).body;

  it('When Fin.com refuses the answer, then the analyst sees why per field, cannot close the RFI, corrects it and Fin.com accepts it', async () => {
    const phoneOnFile = '+15105557003';
    const person = applicant('124', { email: `omar.${Date.now()}+on_hold@example.com`, phone: phoneOnFile });
    const created = await desk.post<{ id: string } & ErrorBody>('/api/applications', intakeRequest('fin', person));
    expect(created.status).toBe(201);
    const id = created.body.id;
    const details = { number: 'N1234567', issuingCountry: 'USA', expiresOn: expiry };
    await uploadDocument(desk, id, 'PASSPORT', realFile('application/pdf'), 'passport.pdf', details);
    await uploadDocument(desk, id, 'ADDRESS_VERIFICATION', realFile('application/pdf'), 'bill.pdf');
    await eventually(
      () => caseOf(id),
      (c) => c.providerActions.length === 2 && c.providerActions.every((a) => a.state === 'done'),
    );
    expect((await desk.post(`/api/applications/${id}/reapply`)).status).toBe(202);
    const [rfi] = (
      await eventually(
        async () => (await desk.get<RfiList>(`/api/rfis?applicationId=${id}`)).body,
        (l) => l.data.length === 1,
        20_000,
      )
    ).data;
    if (!rfi) throw new Error('no RFI');

    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'analyst');
    await page.goto(`${desk.url}/#/rfis/${rfi.id}/show`);
    await page.getByTestId('rfi-answer-form').waitFor();
    // Fin.com's RFI is Fin.com's to close: the button is disabled and the page says why.
    expect(await page.getByTestId('rfi-close').isDisabled()).toBe(true);
    expect(await page.getByTestId('rfi-close-reason').textContent()).toMatch(/Fin\.com's RFI is still open/);

    const scan = artifact('correction-passport.pdf');
    writeFileSync(scan, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 32), Buffer.from('\n%%EOF\n')]));
    const phone = page.getByTestId('rfi-field-basic_info.phone');
    const fillAll = async (phoneValue: string) => {
      await phone.fill(phoneValue);
      await page.getByTestId('rfi-field-financial_profile.source_of_funds_description').fill('Salary and savings');
      await page.getByTestId('rfi-field-identifying_documents.PASSPORT.expiry_date').fill(expiry);
      await page.getByTestId('rfi-file-identifying_documents.PASSPORT').setInputFiles(scan);
    };

    // Not E.164: marked beside the field as it is typed, and nothing is sent.
    await fillAll('(415) 555-0123');
    await page.getByTestId('rfi-answer-submit').click();
    await page.getByTestId('rfi-answer-check').waitFor();
    expect(await phone.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[id$="-helper-text"]').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/E\.164/)]),
    );
    expect(await page.getByTestId('rfi-answer-send-dialog').count()).toBe(0);
    await page.screenshot({ path: artifact('rfi-correction-format.png'), fullPage: true });
    expect((await rfiOf(rfi.id)).answers).toEqual([]);

    // E.164, but the number Fin.com could not verify: the desk sends it once confirmed.
    await phone.fill(phoneOnFile);
    await page.getByTestId('rfi-answer-submit').click();
    const send = page.getByTestId('rfi-answer-send-dialog');
    await send.waitFor();
    const said = (await send.textContent()) ?? '';
    expect(said).toContain('Send this answer to Fin.com?');
    expect(said).toContain(phoneOnFile);
    expect(said).toContain(path.basename(scan));
    expect(said).toMatch(/The case waits for Fin\.com/);
    expect(await blockingViolations(page, '[data-testid="rfi-answer-send-dialog"]')).toEqual([]);
    await page.screenshot({ path: artifact('rfi-correction-confirm.png'), fullPage: true });
    await page.getByTestId('rfi-answer-send-confirm').click();
    await send.waitFor({ state: 'hidden' });

    // Refused by Fin.com: the page says so, with Fin.com's reason beside the phone.
    await page.locator('[data-testid="rfi-page"][data-status="refused"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('rfi-refusal').waitFor();
    expect(await page.getByTestId('rfi-status').first().textContent()).toBe('Refused by Fin.com');
    expect(await phone.inputValue()).toBe(phoneOnFile);
    expect(await phone.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('rfi-answer-form').textContent()).toMatch(/Fin\.com: phone .* could not be verified/);
    expect(await page.getByTestId('rfi-close').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="rfi-answer"][data-refused="true"]').count()).toBe(1);
    expect(await blockingViolations(page, '[data-testid="rfi-page"]')).toEqual([]);
    await page.screenshot({ path: artifact('rfi-correction-refused.png'), fullPage: true });

    // The RFI list and the case mark the refused delivery.
    await page.goto(`${desk.url}/#/rfis`);
    const row = page.locator(`[data-testid="rfi-row"][data-id="${rfi.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-refused')).toBe('true');
    expect(await row.getByTestId('rfi-status').textContent()).toBe('Refused by Fin.com');
    await page.screenshot({ path: artifact('rfi-correction-list.png'), fullPage: true });
    await page.goto(`${desk.url}/#/applications/${id}/show`);
    const onCase = page.locator(`[data-testid="case-rfi"][data-id="${rfi.id}"]`);
    await onCase.waitFor();
    expect(await onCase.getAttribute('data-status')).toBe('refused');
    expect(await onCase.getByTestId('rfi-status').textContent()).toBe('Refused by Fin.com');
    // Its delivery would be refused again: Retry is disabled, saying why, with the way to the RFI.
    const delivery = page.locator('[data-testid="provider-action-row"][data-kind="answer_rfi"]');
    await delivery.waitFor();
    expect(await delivery.getByTestId('provider-action-retry').isDisabled()).toBe(true);
    const retryReason = delivery.getByTestId('provider-action-retry-reason');
    expect(await retryReason.textContent()).toMatch(/refused again.*Correct the answer on the RFI/);
    expect(await retryReason.getByRole('link').getAttribute('href')).toContain(`/rfis/${rfi.id}/show`);
    await delivery.screenshot({ path: artifact('rfi-correction-case-retry.png') });

    // The correction: a reachable number, the file again, confirmed; Fin.com accepts it.
    await onCase.getByTestId('case-rfi-link').click();
    await page.getByTestId('rfi-refusal').waitFor();
    await phone.fill('+14155550123');
    await page.getByTestId('rfi-file-identifying_documents.PASSPORT').setInputFiles(scan);
    expect(await phone.getAttribute('aria-invalid')).toBe('false');
    await page.getByTestId('rfi-answer-submit').click();
    await page.getByTestId('rfi-answer-send-dialog').waitFor();
    await page.getByTestId('rfi-answer-send-confirm').click();
    await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'APPROVED',
      30_000,
    );
    const closed = await eventually(
      () => rfiOf(rfi.id),
      (r) => r.status === 'closed',
    );
    expect(closed.answers.map((a) => [a.version, a.refusal === null])).toEqual([
      [1, false],
      [2, true],
    ]);
    await page.reload();
    await page.locator('[data-testid="rfi-page"][data-status="closed"]').waitFor();
    expect(await page.locator('[data-testid="rfi-answer"]').count()).toBe(2);
    await page.screenshot({ path: artifact('rfi-correction-accepted.png'), fullPage: true });
    expect(failures).toEqual([]);
    await context.close();
  }, 240_000);
});
