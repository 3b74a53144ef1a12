/**
 * An analyst answers a Fin.com RFI in the browser — field values, the new passport's expiry
 * date and a scan of it — and sees the case move on: the answer goes to Fin.com, the review
 * approves the customer, and the RFI closes.
 */
import { writeFileSync } from 'node:fs';
import type { ApplicationDetail, ErrorBody, Rfi, RfiList } from '@desk/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';
import { realFile, uploadDocument } from '../support/uploads.js';

const expiry = `${new Date().getUTCFullYear() + 4}-03-31`;

describe.each(browserDatabaseKinds)('a Fin.com RFI in the browser on %s database', (kind) => {
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

  /** A Fin.com customer whose first review puts it ON_HOLD with an RFI. */
  async function caseOnHold(): Promise<{ id: string; rfi: Rfi }> {
    const person = applicant('123', { email: `nora.${Date.now()}+on_hold@example.com` });
    const created = await desk.post<{ id: string } & ErrorBody>('/api/applications', {
      provider: 'fin',
      applicant: {
        firstName: person.firstName,
        lastName: person.lastName,
        email: person.email,
        phone: person.phone,
        dateOfBirth: person.dateOfBirth,
        identificationNumber: person.identificationNumber,
        address: person.address,
      },
      consent: { agreementVersion: '1', consentedAt: person.consent.consentedAt.toISOString() },
      investmentProfile: person.investmentProfile,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await uploadDocument(desk, id, 'PASSPORT', realFile('application/pdf'), 'passport.pdf', {
      number: 'N1234567',
      issuingCountry: 'USA',
      expiresOn: expiry,
    });
    await uploadDocument(desk, id, 'ADDRESS_VERIFICATION', realFile('application/pdf'), 'bill.pdf');
    await eventually(
      () => caseOf(id),
      (c) => c.providerActions.length === 2 && c.providerActions.every((a) => a.state === 'done'),
    );
    expect((await desk.post(`/api/applications/${id}/reapply`)).status).toBe(202);
    await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'ON_HOLD',
      20_000,
    );
    const list = await eventually(
      async () => (await desk.get<RfiList>(`/api/rfis?applicationId=${id}`)).body,
      (l) => l.data.length === 1,
    );
    const rfi = list.data[0];
    if (!rfi) throw new Error('no RFI');
    return { id, rfi };
  }

  it('When the analyst answers every requested item with a document, then the answer reaches Fin.com and the case is approved', async () => {
    const { id, rfi } = await caseOnHold();
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'analyst');

    // The queue shows the case in the RFI stage; the case page links its RFI.
    await page.goto(`${desk.url}/#/applications/${id}/show`);
    // The loading placeholder carries the same test id; the loaded case carries its stage.
    await page.locator('[data-testid="case-page"][data-stage]').waitFor();
    expect(await page.getByTestId('case-page').getAttribute('data-stage')).toBe('rfi');
    await page.getByTestId('case-rfi-link').first().click();
    await page.getByTestId('rfi-page').waitFor();
    await page.getByTestId('rfi-answer-form').waitFor();
    await page.screenshot({ path: artifact('fin-rfi-open.png'), fullPage: true });

    const scan = artifact('new-passport.pdf');
    writeFileSync(scan, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 32), Buffer.from('\n%%EOF\n')]));
    for (const item of rfi.items) {
      if (item.kind === 'document') await page.getByTestId(`rfi-file-${item.key}`).setInputFiles(scan);
      else if (item.key.endsWith('.expiry_date')) await page.getByTestId(`rfi-field-${item.key}`).fill(expiry);
      else if (item.key === 'basic_info.phone') await page.getByTestId(`rfi-field-${item.key}`).fill('+14155550123');
      else if (item.kind === 'field') await page.getByTestId(`rfi-field-${item.key}`).fill('Salary and savings');
    }
    await page.getByTestId('rfi-answer-submit').click();
    // The confirmation says what goes to Fin.com and that the case waits for it.
    const send = page.getByTestId('rfi-answer-send-dialog');
    await send.waitFor();
    expect(await send.textContent()).toMatch(/To Fin\.com[\s\S]*\+14155550123[\s\S]*waits for Fin\.com/);
    await page.getByTestId('rfi-answer-send-confirm').click();

    // The answer is delivered by the job and Fin.com reviews again: approved, the RFI closes.
    const approved = await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'APPROVED',
      30_000,
    );
    expect(approved.providerActions.find((a) => a.kind === 'answer_rfi')?.state).toBe('done');
    await eventually(
      async () => (await desk.get<Rfi>(`/api/rfis/${rfi.id}`)).body,
      (r) => r.status === 'closed',
    );
    await page.reload();
    await page.getByTestId('rfi-page').waitFor();
    await page.screenshot({ path: artifact('fin-rfi-closed.png'), fullPage: true });

    await page.goto(`${desk.url}/#/applications/${id}/show`);
    await page.locator('[data-testid="case-page"][data-stage]').waitFor();
    await eventually(
      () => page.getByTestId('case-page').getAttribute('data-stage'),
      (stage) => stage === 'approved',
    );
    await page.getByTestId('case-rfi').first().waitFor();
    // The timeline has the RFI's steps beside the status changes.
    const steps = await page
      .getByTestId('rfi-step')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-step')));
    expect(steps.sort()).toEqual(['answered', 'closed', 'raised']);
    expect(await page.getByTestId('case-rfi').first().getAttribute('data-status')).toBe('closed');
    await page.screenshot({ path: artifact('fin-case-approved.png'), fullPage: true });
    expect(failures).toEqual([]);
  });
});
