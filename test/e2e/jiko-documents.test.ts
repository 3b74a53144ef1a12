/**
 * An analyst takes a DOCUMENTS_NEEDED case to a decision in the browser: uploads the missing
 * documents, sees the case go PENDING, re-applies and sees the sandbox's answer.
 */
import { writeFileSync } from 'node:fs';
import { onboardApplication } from '@desk/server';
import type { ApplicationDetail } from '@desk/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';

describe.each(browserDatabaseKinds)('documents and re-apply in the browser on %s database', (kind) => {
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

  it('When the missing documents are uploaded and the case re-applied, then it goes PENDING and then APPROVED', async () => {
    // 242: ID and identification-number flags; third digit 2 → approved after re-apply.
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant('242'));
    await desk.post(`/api/applications/${applicationId}/reapply`);
    await eventually(
      async () => (await desk.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body,
      (c) => c.providerStatus === 'DOCUMENTS_NEEDED',
    );
    const scan = artifact('scan.png');
    // A tiny valid PNG (1×1 pixel).
    writeFileSync(
      scan,
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
        'base64',
      ),
    );

    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'analyst');
    await page.goto(`${desk.url}/#/applications/${applicationId}/show`);
    await page.getByTestId('case-page').waitFor();
    await expect(page.getByTestId('reapply-button').isDisabled()).resolves.toBe(true);

    for (const type of ['ID_FRONT', 'ID_BACK', 'SELFIE', 'IDENTIFICATION_NUMBER_VERIFICATION']) {
      await page.getByTestId('upload-document-button').click();
      const dialog = page.getByTestId('upload-dialog');
      await dialog.waitFor();
      await page.getByTestId('upload-type-select').selectOption(type);
      await page.getByTestId('upload-file-input').setInputFiles(scan);
      await page.getByTestId('upload-submit').click();
      await dialog.waitFor({ state: 'hidden' });
    }
    await page.screenshot({ path: artifact('jiko-uploads.png'), fullPage: true });
    await page.getByText('PENDING', { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => {
      const button = document.querySelector('[data-testid="reapply-button"]');
      return button instanceof HTMLButtonElement && !button.disabled;
    });
    await page.screenshot({ path: artifact('jiko-pending.png'), fullPage: true });

    await page.getByTestId('reapply-button').click();
    await page.getByTestId('reapply-button-dialog').getByRole('button', { name: 'Apply at Jiko' }).click();
    await page.getByText('APPROVED', { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifact('jiko-approved.png'), fullPage: true });
    const timeline = (await page.getByTestId('status-timeline').textContent()) ?? '';
    for (const status of ['DOCUMENTS_NEEDED', 'PENDING', 'SUBMITTED', 'APPROVED']) expect(timeline).toContain(status);

    const final = (await desk.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body;
    expect(final.providerStatus).toBe('APPROVED');
    expect(final.providerActions.filter((a) => a.kind === 'upload_document' && a.state === 'done')).toHaveLength(4);
    expect(failures).toEqual([]);
  });
});
