/**
 * Generic KYC provider cases of the provider demo: the sandbox's customer and documents, and the
 * desk's case derived from them through the adapter's mapping.
 */

import { kycCustomerToSnapshot } from '@desk/server';
import type { KycStatus } from '@desk/shared';
import { customerRowToCustomer } from '../../kyc/customer.mapper.js';
import {
  type KycCustomerState,
  kycCustomerId,
  kycCustomerRow,
  kycDemoData,
  kycDemoProfiles,
  kycDemoRequirements,
} from '../../kyc/demo-fixtures.js';
import type { KycDocument } from '../../kyc/kyc-data.js';
import type { KycCustomerRow } from '../../kyc/sandbox.tables.js';
import type { Builder, Event } from './builder.js';
import { answerValue, dateAfter, day, hour, makePerson, minute, randomHex, second, specimenOf } from './common.js';
import { demoPng } from './files.js';

export type KycPlan = { status: KycStatus; overdue: boolean; proofOfAddress: boolean; answered: boolean };

export function kycCase(b: Builder, index: number, plan: KycPlan): void {
  const { now } = b.ctx;
  const rng = b.rngFor('kyc', index);
  const person = makePerson(rng, now);
  const data = kycDemoData(person, rng.pick(kycDemoProfiles));
  const asked = kycDemoRequirements(person.email, data, plan.proofOfAddress);
  const id = kycCustomerId(randomHex(rng, 24));

  let createdAt: Date;
  let submittedAt: Date | null = null;
  let decidedAt: Date | null = null;
  let resolved: { at: Date; submittedAt: Date; activeAt: Date } | null = null;
  switch (plan.status) {
    case 'CREATED':
      createdAt = b.ago(rng.int(hour, 30 * day));
      break;
    case 'UNDER_REVIEW':
      submittedAt = b.ago(rng.int(5 * minute, 8 * hour));
      createdAt = new Date(submittedAt.getTime() - rng.int(1 * second, 5 * second));
      break;
    default: {
      if (plan.status === 'NEEDS_ADDITIONAL_INFORMATION')
        decidedAt = b.ago(plan.overdue ? rng.int(6 * day, 12 * day) : rng.int(2 * hour, 4 * day + 12 * hour));
      else if (plan.status === 'ACTIVE') decidedAt = b.ago(rng.int(8 * day, 24 * day));
      else decidedAt = b.ago(rng.int(hour, 24 * day));
      submittedAt = new Date(decidedAt.getTime() - rng.int(2 * minute, 6 * hour));
      createdAt = new Date(submittedAt.getTime() - rng.int(1 * second, 5 * second));
      if (plan.status === 'ACTIVE') {
        const at = new Date(decidedAt.getTime() + rng.int(3 * hour, 4 * day));
        const resubmittedAt = new Date(at.getTime() + rng.int(2 * second, 20 * second));
        resolved = {
          at,
          submittedAt: resubmittedAt,
          activeAt: new Date(resubmittedAt.getTime() + rng.int(5 * minute, 20 * hour)),
        };
      }
    }
  }

  const state: KycCustomerState = {
    id,
    status: plan.status,
    applicant: person,
    data,
    documents: [],
    requiredFields: asked.requiredFields,
    requiredDocuments: asked.requiredDocuments,
    rejectionReason: null,
    rfiCount: 0,
    reviewRound: submittedAt ? 1 : 0,
    reviewDueAt: null,
    createdAt,
    updatedAt: resolved?.activeAt ?? decidedAt ?? submittedAt ?? createdAt,
  };
  let row: KycCustomerRow;
  let asking: KycCustomerRow | null = null;
  switch (plan.status) {
    case 'CREATED':
      row = kycCustomerRow(state);
      break;
    case 'UNDER_REVIEW':
      row = kycCustomerRow({ ...state, reviewDueAt: new Date(now.getTime() + rng.int(10, 360) * minute) });
      break;
    case 'REJECTED':
      row = kycCustomerRow({
        ...state,
        rejectionReason: rng.pick([
          'Identity could not be verified against the national ID records provided',
          'The applicant appears on a restricted-party list',
          'Date of birth does not match the national ID records',
        ]),
      });
      break;
    case 'NEEDS_ADDITIONAL_INFORMATION':
      row = kycCustomerRow({ ...state, rfiCount: 1 });
      break;
    case 'ACTIVE':
      asking = kycCustomerRow({
        ...state,
        status: 'NEEDS_ADDITIONAL_INFORMATION',
        rfiCount: 1,
        updatedAt: decidedAt ?? createdAt,
      });
      row = kycCustomerRow({ ...state, rfiCount: 1, reviewRound: 2 }); // documents are added below
      break;
  }

  const snapshot = kycCustomerToSnapshot(customerRowToCustomer(row));
  const events: Event[] = [{ to: 'CREATED', at: createdAt, source: 'provider_response' }];
  if (submittedAt) events.push({ to: 'UNDER_REVIEW', at: submittedAt, source: 'provider_response' });
  if (decidedAt) {
    const to = plan.status === 'ACTIVE' ? 'NEEDS_ADDITIONAL_INFORMATION' : plan.status;
    events.push({
      to,
      at: decidedAt,
      source: 'provider_webhook',
      reason: to === 'REJECTED' ? row.rejection_reason : null,
    });
  }
  if (resolved) {
    events.push({ to: 'UNDER_REVIEW', at: resolved.submittedAt, source: 'provider_response' });
    events.push({ to: 'ACTIVE', at: resolved.activeAt, source: 'provider_webhook' });
  }
  const { applicationId, assigneeId } = b.addCase({
    rng,
    provider: 'kyc',
    person,
    email: person.email,
    snapshot,
    events,
  });
  const rfiAssignee = assigneeId ?? b.analyst(rng, 0.4);
  if (snapshot.rfi)
    b.addProviderRfi({ rng, applicationId, rfi: snapshot.rfi, assigneeId: rfiAssignee, closedAt: null });

  if (asking && resolved) {
    const rfi = kycCustomerToSnapshot(customerRowToCustomer(asking)).rfi;
    if (!rfi) throw new Error('a NEEDS_ADDITIONAL_INFORMATION customer shows its RFI');
    const { id: rfiId } = b.addProviderRfi({
      rng,
      applicationId,
      rfi,
      assigneeId: rfiAssignee,
      closedAt: resolved.submittedAt,
    });
    const documents: KycDocument[] = [];
    const passport = { number: `${rng.int(5, 9)}${rng.digits(8)}`, expirationDate: dateAfter(now, rng.int(2, 8), rng) };
    if (plan.answered) {
      // Answered at the desk; the PATCH carried the files as the desk's signed URLs.
      const fields: Record<string, string> = {};
      for (const item of rfi.items)
        if (item.kind === 'field') fields[item.key] = answerValue(item.key, person, rng, now);
      if ('GOVERNMENT_ID.number' in fields) fields['GOVERNMENT_ID.number'] = passport.number;
      if ('GOVERNMENT_ID.expirationDate' in fields) fields['GOVERNMENT_ID.expirationDate'] = passport.expirationDate;
      const answeredBy = b.analyst(rng);
      const stored = b.addAnswer({
        rng,
        rfiId,
        text: null,
        fields,
        // The provider takes images of 100 KB and more: stored PNGs of about 115 KB.
        files: rfi.items
          .filter((i) => i.kind === 'document')
          .map((item) => ({
            itemKey: item.key,
            fileName: item.key === 'GOVERNMENT_ID' ? 'passport.png' : 'utility-bill.png',
            contentType: 'image/png',
            bytes: demoPng(
              240,
              160,
              item.key === 'GOVERNMENT_ID'
                ? [rng.int(70, 110), rng.int(100, 140), 200]
                : [210, rng.int(170, 200), rng.int(130, 160)],
              true,
            ),
          })),
        answeredBy,
        answeredAt: resolved.at,
      });
      b.addDeliveredAnswer(rng, applicationId, stored.id, answeredBy, resolved.at, resolved.submittedAt);
      for (const sent of stored.documents) {
        const url = `https://desk.example/files/rfi-answer.${sent.id}`;
        if (sent.itemKey === 'GOVERNMENT_ID')
          documents.push({ type: 'PASSPORT', ...passport, issuingCountry: 'US', frontImageUrl: url });
        else
          documents.push({
            type: 'UTILITY_BILL',
            issueDate:
              fields['PROOF_OF_ADDRESS.issueDate'] ?? answerValue('PROOF_OF_ADDRESS.issueDate', person, rng, now),
            frontImageUrl: url,
          });
      }
    } else {
      // Resolved by a passport uploaded at the desk and resubmitted; the RFI closed unanswered.
      const documentId = rng.uuid();
      const uploadedAt = new Date(resolved.at.getTime() - rng.int(minute, 2 * hour));
      const specimen = specimenOf('PASSPORT', person);
      b.demo.documents.push({
        id: documentId,
        application_id: applicationId,
        type: 'PASSPORT',
        status: 'UPLOADED',
        content_type: specimen.contentType,
        size_bytes: specimen.size,
        sha256: specimen.sha256,
        uploaded_by: b.analyst(rng),
        provider_document_id: `desk-file:${documentId}`,
        file_name: specimen.fileName,
        details: JSON.stringify({ number: passport.number, issuingCountry: 'USA', expiresOn: passport.expirationDate }),
        created_at: uploadedAt,
        updated_at: uploadedAt,
      });
      b.demo.contents.push({ document_id: documentId, bytes: specimen.bytes });
      documents.push({
        type: 'PASSPORT',
        ...passport,
        issuingCountry: 'US',
        frontImageUrl: `https://desk.example/files/document.${documentId}`,
      });
    }
    row = { ...row, kyc_data: { ...row.kyc_data, documents } };
  }
  b.demo.kyc.push(row);
}
