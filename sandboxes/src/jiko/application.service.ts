/**
 * The sandbox's rules applied to stored applications. Every change locks the application's
 * row first, takes its next state from the pure module (sandbox-rules.ts), writes it and
 * raises the webhook event in the same transaction.
 *
 * Decisions: Apply moves CREATED or PENDING to SUBMITTED and makes the decision due
 * `decisionDelayMs` later (by the database's clock). The background loop decides due
 * applications; a request that touches a SUBMITTED application whose decision is already due
 * settles it first, so what a partner sees never depends on the loop's timing.
 *
 * Documents: entering DOCUMENTS_NEEDED starts a new documents round and lists the requested
 * types as PENDING_UPLOAD. Only uploads of the current round clear its flags (a file sent
 * before the request does not answer it). An upload fills the listed entry of its type, or
 * adds an UPLOADED entry; listed entries whose requirement another type met (SELFIE after a
 * PASSPORT) are dropped. Uploads are refused (409) once the application is APPROVED or
 * REJECTED, and accepted in every other status ("documents can be uploaded at any time").
 */
import { randomUUID } from 'node:crypto';
import { clearingDocumentStatuses, type DocumentType, jikoApplyRefusal } from '@desk/shared';
import {
  agreementRowToJiko,
  applicationRowToJiko,
  flagColumns,
  type JikoApplication,
  rowFlags,
} from './application.mapper.js';
import {
  deleteRequestedDocuments,
  dueIn,
  findApplication,
  insertApplication,
  insertRequestedDocuments,
  insertUploadedDocument,
  isDecisionDue,
  listAgreements,
  listDocuments,
  lockApplication,
  lockDueApplications,
  markDocumentUploaded,
  type UploadedFile,
  updateApplication,
} from './application.repository.js';
import { type JikoAnswer, JikoError } from './http.js';
import type { SandboxApplicationRow, SandboxDb } from './sandbox.tables.js';
import {
  afterUpload,
  applyOutcome,
  isStillRequested,
  type ManualDecision,
  requestedDocumentTypes,
  resolveRefusal,
} from './sandbox-rules.js';
import type { CreateApplicationBody } from './validation.js';
import { enqueueStatusEvent } from './webhook-outbox.js';

export type SandboxContext = {
  db: SandboxDb;
  webhookUrl: string | null;
  decisionDelayMs: number;
};

const notFound = () => new JikoError(404, 'Application not found');

async function toJiko(db: SandboxDb, row: SandboxApplicationRow): Promise<JikoApplication> {
  return applicationRowToJiko(row, await listDocuments(db, row.id));
}

export async function listAgreementVersions(db: SandboxDb): Promise<JikoAnswer> {
  return { status: 200, body: (await listAgreements(db)).map(agreementRowToJiko) };
}

export async function createApplication(trx: SandboxDb, body: CreateApplicationBody): Promise<JikoAnswer> {
  const row = await insertApplication(trx, {
    status: 'CREATED',
    identification_number: body.identification_number,
    first_name: body.name.first_name,
    last_name: body.name.last_name,
    email: body.email,
    phone_number: body.phone_number,
    date_of_birth: body.date_of_birth,
    address: JSON.stringify(body.address),
    investment_profile: JSON.stringify(body.investment_profile),
    agreement_version: body.agreement_consent.version,
    agreement_consented_at: body.agreement_consent.timestamp,
  });
  return { status: 201, body: applicationRowToJiko(row, []) };
}

/** Decides a locked SUBMITTED application by the sandbox table. */
async function decideApplication(
  trx: SandboxDb,
  ctx: SandboxContext,
  row: SandboxApplicationRow,
): Promise<SandboxApplicationRow> {
  if (row.status !== 'SUBMITTED' || !row.submitted_from)
    throw new Error(`application ${row.id} is not awaiting a decision`);
  const outcome = applyOutcome(row.identification_number, row.submitted_from);
  if (!outcome.ok) throw new Error(`application ${row.id} cannot be decided: ${outcome.reason}`);
  const requestsDocuments = outcome.status === 'DOCUMENTS_NEEDED';
  const round = requestsDocuments ? row.documents_round + 1 : row.documents_round;
  const updated = await updateApplication(trx, row.id, {
    status: outcome.status,
    ...flagColumns(outcome.flags),
    documents_round: round,
    submitted_from: null,
    decision_due_at: null,
    customer_id: outcome.status === 'APPROVED' ? randomUUID() : null,
  });
  if (requestsDocuments) await insertRequestedDocuments(trx, row.id, round, requestedDocumentTypes(outcome.flags));
  await enqueueStatusEvent(trx, updated, ctx.webhookUrl);
  return updated;
}

/** Locks the application, settling a decision that is already due. */
async function lockForChange(trx: SandboxDb, ctx: SandboxContext, id: string): Promise<SandboxApplicationRow> {
  const row = await lockApplication(trx, id);
  if (!row) throw notFound();
  if (row.status === 'SUBMITTED' && (await isDecisionDue(trx, id))) return decideApplication(trx, ctx, row);
  return row;
}

/** Decides up to `limit` due applications; returns how many. */
export async function decideDueApplications(ctx: SandboxContext, limit: number): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await lockDueApplications(trx, limit);
    for (const row of rows) await decideApplication(trx, ctx, row);
    return rows.length;
  });
}

export async function getApplication(ctx: SandboxContext, id: string): Promise<JikoAnswer> {
  if (await isDecisionDue(ctx.db, id)) {
    await ctx.db.transaction().execute((trx) => lockForChange(trx, ctx, id));
  }
  const row = await findApplication(ctx.db, id);
  if (!row) throw notFound();
  return { status: 200, body: await toJiko(ctx.db, row) };
}

export async function applyApplication(trx: SandboxDb, ctx: SandboxContext, id: string): Promise<JikoAnswer> {
  const row = await lockForChange(trx, ctx, id);
  const refusal = jikoApplyRefusal(row.status);
  if (refusal !== null || (row.status !== 'CREATED' && row.status !== 'PENDING')) {
    throw new JikoError(409, refusal ?? `Apply is not accepted from ${row.status}.`);
  }
  const updated = await updateApplication(trx, id, {
    status: 'SUBMITTED',
    submitted_from: row.status,
    decision_due_at: dueIn(ctx.decisionDelayMs),
  });
  return { status: 200, body: await toJiko(trx, updated) };
}

export async function uploadDocument(
  trx: SandboxDb,
  ctx: SandboxContext,
  id: string,
  type: DocumentType,
  file: UploadedFile,
): Promise<JikoAnswer> {
  const row = await lockForChange(trx, ctx, id);
  if (row.status === 'APPROVED' || row.status === 'REJECTED') {
    throw new JikoError(409, `The application is ${row.status}; documents can no longer be uploaded.`);
  }
  const round = row.documents_round;
  const documents = await listDocuments(trx, id);
  const listed = documents.find((d) => d.status === 'PENDING_UPLOAD' && d.document_type === type);
  const documentId = listed
    ? await markDocumentUploaded(trx, listed.id, round, file)
    : await insertUploadedDocument(trx, id, type, round, file);

  const uploadedTypes: DocumentType[] = [
    ...documents
      .filter((d) => d.round === round && clearingDocumentStatuses.includes(d.status))
      .map((d) => d.document_type),
    type,
  ];
  const next = afterUpload(row.status, rowFlags(row), uploadedTypes);
  const noLongerRequested = documents.filter(
    (d) =>
      d.status === 'PENDING_UPLOAD' &&
      d.id !== listed?.id &&
      !isStillRequested(d.document_type, next.flags, uploadedTypes),
  );
  await deleteRequestedDocuments(
    trx,
    noLongerRequested.map((d) => d.id),
  );
  const updated = await updateApplication(trx, id, { status: next.status, ...flagColumns(next.flags) });
  if (updated.status !== row.status) await enqueueStatusEvent(trx, updated, ctx.webhookUrl);
  return { status: 200, body: { success: true, document_id: documentId } };
}

/** The operator's decision on an application in MANUAL_REVIEW (not part of Jiko's API). */
export async function resolveApplication(
  ctx: SandboxContext,
  id: string,
  decision: ManualDecision,
): Promise<JikoAnswer> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockForChange(trx, ctx, id);
    const refusal = resolveRefusal(row.status);
    if (refusal) throw new JikoError(409, refusal);
    const updated = await updateApplication(trx, id, {
      status: decision,
      customer_id: decision === 'APPROVED' ? randomUUID() : null,
    });
    await enqueueStatusEvent(trx, updated, ctx.webhookUrl);
    return { status: 200, body: await toJiko(trx, updated) };
  });
}
