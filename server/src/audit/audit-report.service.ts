/**
 * The per-case audit report: the case, its applicant (identification number masked), consent,
 * status history, documents, RFIs, review outcomes, provider actions and every audit event of
 * the case, with the chain checked at report time. Read in one read-only, repeatable-read
 * snapshot so every section describes the same moment (and nothing is written from it: an
 * audit row chained from an old snapshot would link to a stale head).
 */

import type { AuditReport } from '@desk/shared';
import type { Kysely } from 'kysely';
import {
  applicationRowToSummary,
  caseRfiRowToCaseRfi,
  documentRowToDocument,
  historyRowToStatusChange,
  maskedIdentificationNumber,
} from '../applications/application.mapper.js';
import {
  findApplicantOf,
  findCaseRfis,
  findConsentContext,
  findDocuments,
  findStatusHistory,
} from '../applications/application.repository.js';
import { findApplicationSummary } from '../applications/queue.query.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { findOutcomes } from '../outcomes/outcome.service.js';
import { actionRowToProviderAction } from '../provider-actions/provider-action.mapper.js';
import { findActionsOf } from '../provider-actions/provider-action.repository.js';
import { verifyAuditChain } from './audit-chain.js';
import { auditRowToEvent } from './audit-event.mapper.js';
import { findAllCaseEvents } from './audit-event.repository.js';

export async function buildAuditReport(
  db: Kysely<Database>,
  applicationId: string,
  generatedBy: string,
): Promise<AuditReport> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const summary = await findApplicationSummary(trx, applicationId);
      if (!summary) throw AppError.notFound('Application');
      const now = new Date();
      const applicant = await findApplicantOf(trx, summary.customer_id);
      const consent = await findConsentContext(trx, summary.provider, summary.agreement_version, summary.consented_at);
      const history = await findStatusHistory(trx, applicationId);
      const documents = await findDocuments(trx, applicationId);
      const rfis = await findCaseRfis(trx, applicationId);
      const outcomes = await findOutcomes(trx, applicationId);
      const actions = await findActionsOf(trx, applicationId);
      const events = await findAllCaseEvents(trx, applicationId);
      const chain = await verifyAuditChain(trx);
      // The case as the queue and the case page show it, narrowed to what the report states.
      const { id, provider, providerApplicationId, stage, providerStatus, createdAt, updatedAt } =
        applicationRowToSummary(summary, now);
      return {
        generatedAt: now.toISOString(),
        generatedBy,
        application: {
          id,
          provider,
          providerApplicationId,
          providerCustomerId: summary.provider_customer_id,
          stage,
          providerStatus,
          createdAt,
          updatedAt,
        },
        applicant: {
          customerId: applicant.id,
          firstName: applicant.first_name,
          lastName: applicant.last_name,
          email: applicant.email,
          phone: applicant.phone,
          dateOfBirth: applicant.date_of_birth,
          address: {
            street: applicant.street,
            city: applicant.city,
            postalCode: applicant.postal_code,
            state: applicant.state,
            country: applicant.country,
          },
          identificationNumberMasked: maskedIdentificationNumber,
        },
        consent: {
          agreementVersion: summary.agreement_version,
          consentedAt: summary.consented_at.toISOString(),
          versionReleasedAt: consent.versionReleasedAt?.toISOString() ?? null,
          latestVersionAtConsent: consent.latestVersionAtConsent,
          wasLatestAtConsent: consent.latestVersionAtConsent === summary.agreement_version,
        },
        statusHistory: history.map(historyRowToStatusChange),
        documents: documents.map(documentRowToDocument),
        rfis: rfis.map((r) => caseRfiRowToCaseRfi(r, now)),
        outcomes,
        providerActions: actions.map(actionRowToProviderAction),
        auditEvents: events.map(auditRowToEvent),
        chain,
      };
    });
}
