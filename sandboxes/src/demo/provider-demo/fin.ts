/**
 * Fin.com cases of the provider demo: the sandbox's customer, files and RFIs, and the desk's
 * case derived from them through the adapter's mapping.
 */

import { type ApplicationDocumentTable, finCustomerToSnapshot } from '@desk/server';
import type { FinStatus } from '@desk/shared';
import type { Insertable } from 'kysely';
import { customerRowToFin } from '../../fin/customer.mapper.js';
import {
  type FinCustomerState,
  type FinDemoApplicant,
  finCustomerRow,
  finDemoProfiles,
  finDemoPurposeIds,
  finDemoReview,
  finFileUri,
  finFinancialProfile,
  finOutcomeTag,
  finProcessedAttachment,
  finRfiRow,
  withOutcomeTag,
} from '../../fin/demo-fixtures.js';
import type { FinCustomerRow, FinFileRow, FinRfiRow } from '../../fin/sandbox.tables.js';
import type { FinAttachDocuments, FinRfiAnswer, IdentityDocumentType } from '../../fin/wire.js';
import type { Builder, Event } from './builder.js';
import { answerValue, dateAfter, day, hour, makePerson, minute, randomName, second, specimenOf } from './common.js';
import { demoPdf } from './files.js';

export type FinPlan = { status: FinStatus; overdue: boolean; afterRfi: boolean };

export function finCase(b: Builder, index: number, plan: FinPlan): void {
  const { now } = b.ctx;
  const rng = b.rngFor('fin', index);
  const person = makePerson(rng, now);
  const identity: IdentityDocumentType = rng.chance(0.7) ? 'PASSPORT' : 'NATIONAL_ID';
  const futures = ['APPROVED', 'APPROVED', 'ON_HOLD', 'ACTION_REQUIRED', 'REJECTED'] as const;
  const firstReview =
    plan.status === 'INCOMPLETE' || plan.status === 'REVIEWING'
      ? rng.pick(futures)
      : plan.status === 'APPROVED'
        ? plan.afterRfi
          ? 'ON_HOLD'
          : 'APPROVED'
        : plan.status;
  const email = withOutcomeTag(person.email, finOutcomeTag(firstReview));
  const applicant: FinDemoApplicant = { ...person, email };
  const profile = rng.pick(finDemoProfiles);
  const financialProfile = finFinancialProfile({
    employment: profile.employment,
    occupationId: rng.pick(profile.occupationIds),
    purposeId: rng.pick(finDemoPurposeIds),
    sourceOfFundIds: [rng.pick(profile.sourceOfFundIds)],
    monthlyVolumeUsd: rng.pick([1_000, 2_000, 5_000, 5_000, 10_000, 25_000]),
  });
  const customerId = rng.uuid();
  const tosPoliciesValue = rng.uuid();

  // The timeline, from the last change back.
  let createdAt: Date;
  let reviewingAt: Date | null = null;
  let decidedAt: Date | null = null;
  let answer: { at: Date; deliveredAt: Date; approvedAt: Date } | null = null;
  switch (plan.status) {
    case 'INCOMPLETE':
      createdAt = b.ago(rng.int(2 * hour, 30 * day));
      break;
    case 'REVIEWING':
      reviewingAt = b.ago(rng.int(5 * minute, 8 * hour));
      createdAt = new Date(reviewingAt.getTime() - rng.int(hour, 12 * day));
      break;
    default: {
      if (plan.status === 'ON_HOLD')
        decidedAt = b.ago(plan.overdue ? rng.int(6 * day, 12 * day) : rng.int(2 * hour, 4 * day + 12 * hour));
      else if (plan.afterRfi) decidedAt = b.ago(rng.int(9 * day, 24 * day));
      else decidedAt = b.ago(rng.int(hour, 24 * day));
      reviewingAt = new Date(decidedAt.getTime() - rng.int(10 * minute, day));
      createdAt = new Date(reviewingAt.getTime() - rng.int(30 * minute, 4 * day));
      if (plan.afterRfi) {
        const at = new Date(decidedAt.getTime() + rng.int(4 * hour, 4 * day));
        const deliveredAt = new Date(at.getTime() + rng.int(2 * second, 30 * second));
        answer = { at, deliveredAt, approvedAt: new Date(deliveredAt.getTime() + rng.int(30 * minute, day)) };
      }
    }
  }

  // What the customer attached (everyone past INCOMPLETE): files, the processed attach, the desk's documents.
  const files: FinFileRow[] = [];
  const deskDocuments: Omit<Insertable<ApplicationDocumentTable>, 'application_id'>[] = [];
  if (reviewingAt) {
    const queuedAt = new Date(reviewingAt.getTime() - rng.int(1 * second, 5 * second));
    const uploadedAt = new Date(
      Math.max(createdAt.getTime() + minute, queuedAt.getTime() - rng.int(10 * second, 6 * hour)),
    );
    const uploader = b.analyst(rng);
    const file = (
      type: 'PASSPORT' | 'ID_FRONT' | 'ID_BACK' | 'ADDRESS_VERIFICATION',
      details: Record<string, string>,
    ) => {
      // A specimen made out to the applicant, the same bytes at Fin.com and at the desk.
      const specimen = specimenOf(type, person);
      const extension = specimen.contentType === 'application/pdf' ? 'pdf' : 'png';
      const uri = finFileUri(randomName(rng), uploadedAt, extension);
      const row: FinFileRow = {
        uri,
        customer_id: customerId,
        field_name: 'file1',
        original_name: specimen.fileName,
        content_type: specimen.contentType,
        size_bytes: specimen.size,
        sha256: specimen.sha256,
        created_at: uploadedAt,
      };
      files.push(row);
      const documentId = rng.uuid();
      deskDocuments.push({
        id: documentId,
        type,
        status: 'UPLOADED',
        content_type: specimen.contentType,
        size_bytes: specimen.size,
        sha256: specimen.sha256,
        uploaded_by: uploader,
        provider_document_id: uri,
        file_name: specimen.fileName,
        details: JSON.stringify(details),
        created_at: uploadedAt,
        updated_at: uploadedAt,
      });
      b.demo.contents.push({ document_id: documentId, bytes: specimen.bytes });
      return uri;
    };
    const number = identity === 'PASSPORT' ? `${rng.int(5, 9)}${rng.digits(8)}` : `D${rng.digits(7)}`;
    const expiry = dateAfter(now, rng.int(2, 8), rng);
    const details = { number, issuingCountry: 'USA', expiresOn: expiry };
    const identifying: FinAttachDocuments['identifying_documents'] =
      identity === 'PASSPORT'
        ? [
            {
              type: 'PASSPORT',
              number,
              country: 'USA',
              expiry_date: expiry,
              files: [{ uri: file('PASSPORT', details), side: 'FRONT' }],
            },
          ]
        : [
            {
              type: 'NATIONAL_ID',
              number,
              country: 'USA',
              expiry_date: expiry,
              files: [
                { uri: file('ID_FRONT', details), side: 'FRONT' },
                { uri: file('ID_BACK', {}), side: 'BACK' },
              ],
            },
          ];
    const bill = file('ADDRESS_VERIFICATION', {});
    const attach: FinAttachDocuments = {
      identifying_documents: identifying,
      address_documents: [{ type: 'UTILITY_BILL', country: 'USA', files: [{ uri: bill }] }],
    };
    b.demo.fin.attachments.push(
      finProcessedAttachment({ id: rng.uuid(), customerId, documents: attach, queuedAt, processedAt: reviewingAt }),
    );
  }

  // The sandbox's customer, and the RFIs it raised.
  const outcome = finDemoReview(email, 0, identity);
  const state: FinCustomerState = {
    id: customerId,
    status: plan.status,
    applicant,
    financialProfile,
    tosPoliciesValue,
    reviewsDecided: 0,
    requiredActions: null,
    rejectionReason: null,
    decisionDueAt: null,
    createdAt,
    updatedAt: answer?.approvedAt ?? decidedAt ?? reviewingAt ?? createdAt,
  };
  let row: FinCustomerRow;
  let openRfi: FinRfiRow | undefined;
  let held: { row: FinCustomerRow; rfi: FinRfiRow } | null = null;
  switch (plan.status) {
    case 'INCOMPLETE':
      row = finCustomerRow(state);
      break;
    case 'REVIEWING':
      row = finCustomerRow({ ...state, decisionDueAt: new Date(now.getTime() + rng.int(10, 360) * minute) });
      break;
    case 'ACTION_REQUIRED':
      if (outcome.status !== 'ACTION_REQUIRED')
        throw new Error('an ACTION_REQUIRED demo customer needs +action_required');
      row = finCustomerRow({ ...state, reviewsDecided: 1, requiredActions: outcome.actions });
      break;
    case 'REJECTED':
      if (outcome.status !== 'REJECTED') throw new Error('a REJECTED demo customer needs +rejected');
      row = finCustomerRow({ ...state, reviewsDecided: 1, rejectionReason: outcome.reason });
      break;
    case 'ON_HOLD':
    case 'APPROVED': {
      if (plan.status === 'APPROVED' && !plan.afterRfi) {
        row = finCustomerRow({ ...state, reviewsDecided: 1 });
        break;
      }
      if (outcome.status !== 'ON_HOLD' || !decidedAt) throw new Error('an ON_HOLD demo customer needs +on_hold');
      const rfi = finRfiRow({
        id: rng.uuid(),
        customerId,
        sections: outcome.sections,
        createdAt: decidedAt,
        answer: null,
      });
      const heldRow = finCustomerRow({ ...state, status: 'ON_HOLD', reviewsDecided: 1, updatedAt: decidedAt });
      held = { row: heldRow, rfi };
      if (plan.status === 'ON_HOLD') {
        row = heldRow;
        openRfi = rfi;
        b.demo.fin.rfis.push(rfi);
      } else {
        row = finCustomerRow({ ...state, reviewsDecided: 2 });
      }
      break;
    }
  }

  const snapshot = finCustomerToSnapshot(customerRowToFin(row, openRfi));
  const events: Event[] = [{ to: 'INCOMPLETE', at: createdAt, source: 'provider_response' }];
  if (reviewingAt) events.push({ to: 'REVIEWING', at: reviewingAt, source: 'provider_webhook' });
  if (decidedAt) {
    const to = plan.afterRfi || plan.status === 'ON_HOLD' ? 'ON_HOLD' : plan.status;
    events.push({
      to,
      at: decidedAt,
      source: 'provider_webhook',
      reason: to === 'REJECTED' ? row.rejection_reason : null,
    });
  }
  if (answer) {
    events.push({ to: 'REVIEWING', at: answer.deliveredAt, source: 'provider_response' });
    events.push({ to: 'APPROVED', at: answer.approvedAt, source: 'provider_webhook' });
  }
  const { applicationId, assigneeId } = b.addCase({ rng, provider: 'fin', person, email, snapshot, events });
  for (const document of deskDocuments) b.demo.documents.push({ ...document, application_id: applicationId });

  const rfiAssignee = assigneeId ?? b.analyst(rng, 0.4);
  if (snapshot.rfi)
    b.addProviderRfi({ rng, applicationId, rfi: snapshot.rfi, assigneeId: rfiAssignee, closedAt: null });

  if (held && answer) {
    // Answered at the desk, delivered, and closed when Fin.com moved on.
    const asked = finCustomerToSnapshot(customerRowToFin(held.row, held.rfi)).rfi;
    if (!asked) throw new Error('an ON_HOLD customer shows its RFI');
    const { id: rfiId } = b.addProviderRfi({
      rng,
      applicationId,
      rfi: asked,
      assigneeId: rfiAssignee,
      closedAt: answer.deliveredAt,
    });
    const fields: Record<string, string> = {};
    for (const item of asked.items)
      if (item.kind === 'field') fields[item.key] = answerValue(item.key, person, rng, now);
    const documentItems = asked.items.filter((i) => i.kind === 'document');
    const answeredBy = b.analyst(rng);
    const stored = b.addAnswer({
      rng,
      rfiId,
      text: null,
      fields,
      files: documentItems.map((item) => ({
        itemKey: item.key,
        fileName: `${item.label.toLowerCase().replace(/[^a-z]+/g, '-')}.pdf`,
        contentType: 'application/pdf',
        bytes: demoPdf([
          `${item.label}`,
          `${person.firstName} ${person.lastName}`,
          `Document no. ${rng.int(5, 9)}${rng.digits(8)}`,
          'Compliance Desk demo file',
        ]),
      })),
      answeredBy,
      answeredAt: answer.at,
    });
    b.addDeliveredAnswer(rng, applicationId, stored.id, answeredBy, answer.at, answer.deliveredAt);

    // At the sandbox: the answer's files were uploaded, the answer stored, the fields written.
    const sandboxAnswer: FinRfiAnswer = { fields: {}, documents: [] };
    for (const section of held.rfi.sections) {
      for (const f of section.fields) {
        const key = `${section.section}.${f.field}`;
        sandboxAnswer.fields[key] = fields[key] ?? '';
      }
      for (const d of section.documents) {
        const key = `${section.section}.${d.document_type}`;
        const index = stored.documents.findIndex((sent) => sent.itemKey === key);
        const sent = stored.documents[index];
        if (!sent) continue;
        const uri = finFileUri(randomName(rng), answer.at, 'pdf');
        files.push({
          uri,
          customer_id: customerId,
          field_name: `file${index + 1}`,
          original_name: `rfi-${index + 1}.pdf`,
          content_type: 'application/pdf',
          size_bytes: sent.size,
          sha256: sent.sha256,
          created_at: new Date(answer.at.getTime() + second),
        });
        const expiry = fields[`${key}.expiry_date`];
        sandboxAnswer.documents.push({
          type: d.document_type,
          ...(expiry !== undefined && { expiry_date: expiry }),
          files: [{ uri }],
        });
      }
    }
    b.demo.fin.rfis.push({ ...held.rfi, status: 'ANSWERED', answer: sandboxAnswer, answered_at: answer.deliveredAt });
    const phone = sandboxAnswer.fields['basic_info.phone'];
    const description = sandboxAnswer.fields['financial_profile.source_of_funds_description'];
    row = {
      ...row,
      basic_info: phone ? { ...row.basic_info, phone } : row.basic_info,
      financial_profile: description
        ? { ...row.financial_profile, source_of_funds_description: description }
        : row.financial_profile,
    };
  }
  b.demo.fin.files.push(...files);
  b.demo.fin.customers.push(row);
}
