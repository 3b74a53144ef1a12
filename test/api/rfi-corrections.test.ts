/**
 * Correctable RFI answers, through the desk against the Fin.com sandbox: a value not in the
 * format Fin.com documents is refused before anything is sent; an answer Fin.com itself refuses
 * leaves the RFI `refused` with Fin.com's reason per field, which cannot be re-sent as it is;
 * the corrected answer is a second version, accepted; every version is kept and audited (the
 * refusal as Fin.com's, on the trail and live), and the desk never closes Fin.com's RFI while
 * Fin.com holds it open.
 */

import {
  type ApplicationDetail,
  caseEventSchema,
  describeCaseEvent,
  type ErrorBody,
  type Rfi,
  type RfiList,
} from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually, intakeRequest } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { openEventStream } from '../support/event-stream.js';
import { answerRfi, realFile, uploadDocument } from '../support/uploads.js';
import { waitFor } from '../support/wait-for.js';

const nextYear = `${new Date().getUTCFullYear() + 3}-06-30`;

describe.each(databaseKinds)('Correcting a refused RFI answer on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const caseOf = async (id: string) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;
  const rfiOf = async (id: string) => (await desk.get<Rfi>(`/api/rfis/${id}`)).body;
  const settled = (c: ApplicationDetail) => c.providerActions.every((a) => a.state === 'done');

  /** A Fin.com case ON_HOLD with its RFI (phone INVALID, source of funds MISSING, passport EXPIRED). */
  async function finRfi(phone: string): Promise<{ applicationId: string; rfi: Rfi }> {
    const person = applicant('222', { email: `noor.${Date.now()}+on_hold@example.com`, phone });
    const created = await desk.post<{ id: string } & ErrorBody>('/api/applications', intakeRequest('fin', person));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const applicationId = created.body.id;
    const details = { number: 'X1234567', issuingCountry: 'USA', expiresOn: nextYear };
    expect(
      (await uploadDocument(desk, applicationId, 'PASSPORT', realFile('application/pdf'), 'p.pdf', details)).status,
    ).toBe(202);
    expect(
      (await uploadDocument(desk, applicationId, 'ADDRESS_VERIFICATION', realFile('image/png'), 'bill.png')).status,
    ).toBe(202);
    await eventually(
      () => caseOf(applicationId),
      (c) => c.providerActions.length === 2 && settled(c),
    );
    expect((await desk.post(`/api/applications/${applicationId}/reapply`)).status).toBe(202);
    const list = await eventually(
      async () => (await desk.get<RfiList>(`/api/rfis?applicationId=${applicationId}`)).body.data,
      (rfis) => rfis.length === 1,
      20_000,
    );
    const [rfi] = list;
    if (!rfi) throw new Error('Fin.com raised no RFI');
    return { applicationId, rfi };
  }

  const passportFile = () => ({
    'identifying_documents.PASSPORT': { blob: realFile('image/jpeg'), name: 'new-passport.jpg' },
  });
  const answerWith = (phone: string) => ({
    fields: {
      'basic_info.phone': phone,
      'financial_profile.source_of_funds_description': 'Salary from employment',
      'identifying_documents.PASSPORT.expiry_date': nextYear,
    },
    files: passportFile(),
  });

  it('When a Fin.com RFI is answered with values not in the formats Fin.com documents, then the desk refuses with 400 naming each field and sends nothing', async () => {
    const { applicationId, rfi } = await finRfi('+15105557001');
    expect(rfi.items.find((i) => i.key === 'basic_info.phone')?.format).toBe('e164_phone');
    expect(rfi.items.find((i) => i.key === 'identifying_documents.PASSPORT.expiry_date')?.format).toBe('future_date');

    const bad = await answerRfi(desk, rfi.id, {
      fields: {
        'basic_info.phone': '(415) 555-0123',
        'financial_profile.source_of_funds_description': 'Gehalt für Arbeit',
        'identifying_documents.PASSPORT.expiry_date': '2020-01-01',
      },
      files: passportFile(),
    });
    expect(bad.status).toBe(400);
    const errors = (bad.body as ErrorBody).errors ?? {};
    expect(Object.keys(errors).sort()).toEqual([
      'basic_info.phone',
      'financial_profile.source_of_funds_description',
      'identifying_documents.PASSPORT.expiry_date',
    ]);
    expect(errors['basic_info.phone']?.join()).toMatch(/E\.164/);
    expect(errors['identifying_documents.PASSPORT.expiry_date']?.join()).toMatch(/future/);

    // Nothing changed: no answer, no delivery, the RFI still open.
    expect(await rfiOf(rfi.id)).toMatchObject({ status: 'open', answers: [], version: rfi.version });
    expect((await caseOf(applicationId)).providerActions.filter((a) => a.kind === 'answer_rfi')).toEqual([]);
  });

  it('When Fin.com refuses an answer, then the RFI shows it refused with the reason per field; it cannot be re-sent or closed; the corrected version is accepted and both versions are kept and audited', async () => {
    const phoneOnFile = '+15105557002';
    const { applicationId, rfi } = await finRfi(phoneOnFile);

    // A colleague's open case page follows the case live.
    const stream = await openEventStream(`${desk.url}/api/events`, { cookie: desk.as('senior_analyst').cookie });
    await waitFor(async () => stream.comments.includes('live'), { what: 'the stream to go live' });

    // E.164, so the desk sends it; Fin.com could not verify that number and refuses it again.
    const first = await answerRfi(desk, rfi.id, answerWith(phoneOnFile));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const refused = await eventually(
      () => rfiOf(rfi.id),
      (r) => r.status === 'refused',
      20_000,
    );
    expect(refused.answers).toHaveLength(1);
    const [version1] = refused.answers;
    expect(version1).toMatchObject({ version: 1, refusedAt: expect.any(String) });
    expect(Object.keys(version1?.refusal?.fields ?? {})).toEqual(['basic_info.phone']);
    expect(version1?.refusal?.fields['basic_info.phone']?.join()).toContain('could not be verified');
    expect(version1?.refusal?.message).toMatch(/^Fin\.com answered 400/);

    // The list and the case mark the refusal.
    const refusedList = await desk.get<RfiList>(`/api/rfis?status=refused&applicationId=${applicationId}`);
    expect(refusedList.body.data.map((r) => r.id)).toEqual([rfi.id]);
    const onCase = await caseOf(applicationId);
    expect(onCase.rfis.find((r) => r.id === rfi.id)?.status).toBe('refused');

    // Sending the same answer again would be refused again: the delivery cannot be retried.
    const delivery = onCase.providerActions.find((a) => a.kind === 'answer_rfi');
    expect(delivery).toMatchObject({ state: 'failed', gaveUp: true, answerRefused: true });
    const retry = await desk.post<ErrorBody>(`/api/applications/${applicationId}/actions/${delivery?.id}/retry`);
    expect(retry.status).toBe(409);
    expect(retry.body.message).toMatch(/refused this RFI answer/);

    // Fin.com's RFI is still open: the desk does not close it.
    const close = await desk.post<ErrorBody>(`/api/rfis/${rfi.id}/close`);
    expect(close.status).toBe(409);
    expect(close.body.message).toMatch(/Fin\.com's RFI is still open/);

    // The refusal is Fin.com's: the trail and the live update name Fin.com, not the desk.
    const [refusalEvent] = await stream.waitForEvents(
      (e) => e.event === 'case' && caseEventSchema.parse(JSON.parse(e.data)).action === 'rfi.answer_refused',
    );
    stream.close();
    const live = caseEventSchema.parse(JSON.parse(refusalEvent?.data ?? '{}'));
    expect(live).toMatchObject({ applicationId, by: { kind: 'provider', name: 'Fin.com', staffId: null } });
    expect(describeCaseEvent(live)).toBe('RFI answer 1 refused by Fin.com');

    const audited = await desk.db
      .selectFrom('audit_events')
      .select(['action', 'data', 'actor'])
      .where('entity_id', '=', rfi.id)
      .where('action', 'in', ['rfi.answered', 'rfi.answer_refused'])
      .orderBy('id')
      .execute();
    expect(audited.map((e) => [e.action, e.data.version])).toEqual([
      ['rfi.answered', 1],
      ['rfi.answer_refused', 1],
    ]);
    expect(audited[1]?.data).toMatchObject({ answerId: version1?.id, fields: ['basic_info.phone'] });
    expect(audited[1]?.actor).toBe('provider:fin');

    // The corrected answer: a second version, delivered and accepted; Fin.com moves on.
    const second = await answerRfi(desk, rfi.id, answerWith('+14155550123'));
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect((second.body as Rfi).status).toBe('answered');
    const closed = await eventually(
      () => rfiOf(rfi.id),
      (r) => r.status === 'closed',
      20_000,
    );
    expect(closed.answers.map((a) => [a.version, a.refusal === null])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(closed.answers[1]?.fieldValues['basic_info.phone']).toBe('+14155550123');
    const approved = await eventually(
      () => caseOf(applicationId),
      (c) => c.providerStatus === 'APPROVED',
      20_000,
    );
    expect(approved.providerActions.filter((a) => a.kind === 'answer_rfi').map((a) => a.state)).toEqual(
      expect.arrayContaining(['done', 'failed']),
    );
    const answeredAgain = await desk.db
      .selectFrom('audit_events')
      .select('data')
      .where('entity_id', '=', rfi.id)
      .where('action', '=', 'rfi.answered')
      .orderBy('id')
      .execute();
    expect(answeredAgain.map((e) => e.data.version)).toEqual([1, 2]);
  });
});
