/**
 * The document viewer in the browser: an analyst opens a demo case's specimen ID, zooms,
 * turns it and compares it with a second document, and the opening is on the audit trail;
 * support sees the documents listed but no View, and the content URL itself answers 403. A file
 * answering an RFI opens the same way from the RFI page, next to the case's documents.
 */
import { type ApplicationDetail, type AuditEventList, openCaseStages, type Rfi } from '@desk/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserDesk, browserDatabaseKinds, signInPage, startBrowserDesk } from '../support/browser.js';
import type { TestDesk } from '../support/desk.js';
import { answerRfi, realFile } from '../support/uploads.js';

describe.each(browserDatabaseKinds)('the document viewer in the browser on %s database', (kind) => {
  let running: BrowserDesk;
  let desk: TestDesk;
  let browser: Browser;
  let artifact: (name: string) => string;
  /** A demo case with at least two stored specimen images. */
  let caseId: string;
  beforeAll(async () => {
    running = await startBrowserDesk(kind, { demoCount: 30 });
    ({ desk, browser, artifact } = running);
    const row = await desk.db
      .selectFrom('application_documents as d')
      .innerJoin('document_contents as c', 'c.document_id', 'd.id')
      .select('d.application_id')
      .where('d.content_type', '=', 'image/png')
      .groupBy('d.application_id')
      .having((eb) => eb.fn.countAll(), '>=', 2)
      .orderBy('d.application_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    caseId = row.application_id;
  });
  afterAll(async () => {
    await running?.stop();
  });

  const contentUrl = (documentId: string) => `/api/applications/${caseId}/documents/${documentId}/content`;

  it('When an analyst views a specimen image, zooms, rotates and compares it, then the viewer shows both and the opening is audited', async () => {
    const detail = (await desk.as('analyst').get<ApplicationDetail>(`/api/applications/${caseId}`)).body;
    const images = detail.documents.filter((d) => d.viewable && d.contentType === 'image/png');
    const [first, second] = images;
    if (!first || !second) throw new Error('the case has no two viewable images');

    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'analyst');
    await page.goto(`${desk.url}/#/applications/${caseId}/show`);
    const row = page.locator(`[data-testid="document-row"][data-viewable="true"][data-type="${first.type}"]`).first();
    await row.getByTestId('view-document').click();
    const viewer = page.getByTestId('document-viewer');
    await viewer.waitFor();
    const primary = viewer.getByTestId('viewer-pane-primary');
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="viewer-pane-primary"] img');
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    });
    await expect(primary.getAttribute('data-zoom')).resolves.toBe('fit');
    await expect(viewer.getByTestId('viewer-applicant').textContent()).resolves.toContain(detail.applicant.lastName);

    await primary.getByRole('button', { name: /^Zoom in/ }).click();
    await expect(primary.getAttribute('data-zoom')).resolves.not.toBe('fit');
    await page.keyboard.press('+');
    await page.keyboard.press('r');
    await expect(primary.getAttribute('data-rotation')).resolves.toBe('90');
    await primary.getByRole('button', { name: /^Rotate/ }).click();
    await expect(primary.getAttribute('data-rotation')).resolves.toBe('180');
    await page.keyboard.press('0');
    await expect(primary.getAttribute('data-zoom')).resolves.toBe('fit');

    await viewer.getByLabel('Compare with').selectOption(second.id);
    const compare = viewer.getByTestId('viewer-pane-compare');
    await compare.waitFor();
    await expect(compare.getAttribute('data-document-id')).resolves.toBe(second.id);
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="viewer-pane-compare"] img');
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    });
    await page.screenshot({ path: artifact('document-viewer-compare.png') });

    await primary.getByRole('button', { name: /^Fit/ }).focus();
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });

    // At phone width the viewer fills the screen, the documents stacked above the applicant's data.
    await page.setViewportSize({ width: 390, height: 844 });
    await row.getByTestId('view-document').click();
    await viewer.getByTestId('viewer-applicant').waitFor();
    await page.screenshot({ path: artifact('document-viewer-390.png') });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: 'Close the document viewer' }).click();
    await viewer.waitFor({ state: 'hidden' });

    const events = (
      await desk.as('auditor').get<AuditEventList>(`/api/applications/${caseId}/audit-events?limit=200`)
    ).body.data.filter((e) => e.action === 'application.document_viewed');
    expect(events.map((e) => e.actorId)).toContain(desk.as('analyst').me.id);
    expect(events.map((e) => e.data.documentId)).toContain(first.id);
    expect(events.map((e) => e.data.documentId)).toContain(second.id);
    expect(failures).toEqual([]);
    await page.close();
  });

  it('When support opens the case, then the documents are listed without View, and the content URL answers 403', async () => {
    const detail = (await desk.as('support').get<ApplicationDetail>(`/api/applications/${caseId}`)).body;
    const viewable = detail.documents.find((d) => d.viewable);
    if (!viewable) throw new Error('the case has no viewable document');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInPage(page, desk.url, 'support');
    await page.goto(`${desk.url}/#/applications/${caseId}/show`);
    await page.getByTestId('documents-content-withheld').waitFor();
    await expect(page.getByTestId('document-row').count()).resolves.toBe(detail.documents.length);
    await expect(page.getByTestId('view-document').count()).resolves.toBe(0);
    const direct = await page.request.get(`${desk.url}${contentUrl(viewable.id)}`);
    expect(direct.status()).toBe(403);
    await page.screenshot({ path: artifact('document-viewer-support.png'), fullPage: true });
    await page.close();
  });

  it('When an analyst opens a file answering an RFI on the RFI page, then the viewer shows it beside the applicant, compares it with a case document, and the opening is audited; support sees the file listed without View', async () => {
    // An open demo case with a stored document, and an RFI on it answered with a scan.
    const open = await desk.db
      .selectFrom('applications as a')
      .select('a.id')
      .where('a.stage', 'in', [...openCaseStages])
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('application_documents as d')
            .innerJoin('document_contents as c', 'c.document_id', 'd.id')
            .select('d.id')
            .whereRef('d.application_id', '=', 'a.id'),
        ),
      )
      .orderBy('a.id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const analyst = desk.as('analyst');
    const raised = await analyst.post<Rfi>(`/api/applications/${open.id}/rfis`, {
      title: 'Proof of address',
      dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      items: [{ kind: 'document', key: 'UTILITY_BILL', label: 'A recent utility bill' }],
    });
    expect(raised.status).toBe(201);
    const answered = await answerRfi(analyst, raised.body.id, {
      files: { UTILITY_BILL: { blob: realFile('image/png', 4096, 9), name: 'bill.png' } },
    });
    expect(answered.status).toBe(201);
    const rfi = answered.body as Rfi;
    const answer = rfi.answers[0];
    const file = answer?.documents[0];
    if (!answer || !file) throw new Error('the answer kept no file');
    expect(file.viewable).toBe(true);
    const detail = (await analyst.get<ApplicationDetail>(`/api/applications/${open.id}`)).body;
    const caseDocument = detail.documents.find((d) => d.viewable);
    if (!caseDocument) throw new Error('the case has no viewable document');

    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));
    await signInPage(page, desk.url, 'analyst');
    await page.goto(`${desk.url}/#/rfis/${rfi.id}/show`);
    const listed = page.locator(`[data-testid="rfi-answer-file"][data-viewable="true"]`).first();
    await listed.getByTestId('view-document').click();
    const viewer = page.getByTestId('document-viewer');
    await viewer.waitFor();
    const primary = viewer.getByTestId('viewer-pane-primary');
    await expect(primary.getAttribute('data-document-id')).resolves.toBe(file.id);
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="viewer-pane-primary"] img');
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    });
    const facts = viewer.getByTestId('viewer-rfi-file-facts');
    await expect(facts.textContent()).resolves.toContain('A recent utility bill');
    await expect(facts.textContent()).resolves.toContain('Proof of address');
    await expect(viewer.getByTestId('viewer-applicant').textContent()).resolves.toContain(detail.applicant.lastName);

    await viewer.getByLabel('Compare with').selectOption(caseDocument.id);
    const compare = viewer.getByTestId('viewer-pane-compare');
    await compare.waitFor();
    await expect(compare.getAttribute('data-document-id')).resolves.toBe(caseDocument.id);
    await viewer.getByTestId('viewer-document-facts').waitFor();
    if (caseDocument.contentType?.startsWith('image/')) {
      await page.waitForFunction(() => {
        const img = document.querySelector('[data-testid="viewer-pane-compare"] img');
        return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
      });
    }
    await page.screenshot({ path: artifact('document-viewer-rfi-file.png') });
    await page.getByRole('button', { name: 'Close the document viewer' }).click();
    await viewer.waitFor({ state: 'hidden' });

    const events = (
      await desk.as('auditor').get<AuditEventList>(`/api/applications/${open.id}/audit-events?limit=200`)
    ).body.data.filter((e) => e.action === 'rfi.answer_document_viewed');
    expect(events.map((e) => [e.actorId, e.entityId, e.data.answerId, e.data.documentId])).toContainEqual([
      analyst.me.id,
      rfi.id,
      answer.id,
      file.id,
    ]);
    expect(failures).toEqual([]);
    await page.close();

    const support = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInPage(support, desk.url, 'support');
    await support.goto(`${desk.url}/#/rfis/${rfi.id}/show`);
    await support.getByTestId('rfi-files-content-withheld').waitFor();
    await expect(support.getByTestId('rfi-answer-file').count()).resolves.toBe(1);
    await expect(support.getByTestId('view-document').count()).resolves.toBe(0);
    const direct = await support.request.get(
      `${desk.url}/api/rfis/${rfi.id}/answers/${answer.id}/documents/${file.id}/content`,
    );
    expect(direct.status()).toBe(403);
    await support.close();
  });
});
