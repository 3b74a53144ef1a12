/**
 * A stored file shown to staff who may see it (`documents.view`): a case document
 * (`GET /api/applications/:id/documents/:documentId/content`) or a file answering an RFI
 * (`GET /api/rfis/:id/answers/:answerId/documents/:documentId/content`). Both are served the
 * same way: in the type their bytes showed at upload, never cached, never sniffed as anything
 * else, and recorded on the audit trail before a byte is sent.
 *
 * Unlike `/files/...` (handed to providers as attachments), this answer is meant to be shown:
 * `inline`, and framable by the desk's own pages (`frame-ancestors 'self'`) so a PDF opens in
 * the viewer. Images keep a sandboxing policy; a PDF cannot be sandboxed, since Chromium
 * refuses to run its PDF viewer in a sandboxed document, so its policy loads nothing
 * and runs nothing of its own instead.
 */
import type { Response } from 'express';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit-log.js';
import { staffActor } from '../auth/access-control.js';
import type { Database } from '../db/schema.js';
import type { StoredFile } from '../files/file.repository.js';
import { inlineDisposition, servedContentType } from '../files/file-disposition.js';
import { AppError } from '../http/app-error.js';
import type { RouteHandlers } from '../http/route-handler.js';
import { findAnswerDocumentContent } from '../rfis/rfi.repository.js';
import { findCaseDocumentContent } from './document-content.repository.js';
import { documentContentPolicy } from './document-content-policy.js';

/**
 * Shows a stored file: 404 (nothing recorded) when there is none or the desk does not show its
 * type; otherwise `audit` records the opening with the served type, then the bytes are sent.
 */
async function showStoredFile<F extends StoredFile>(
  res: Response,
  file: F | undefined,
  what: string,
  audit: (file: F, contentType: string) => Promise<void>,
): Promise<{ status: 200; sent: true }> {
  const contentType = servedContentType(file?.contentType ?? null);
  const policy = documentContentPolicy(contentType);
  if (!file || policy === null) throw AppError.notFound(what);
  await audit(file, contentType);
  res
    .status(200)
    .set({
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': policy,
      'x-frame-options': 'SAMEORIGIN',
      'cross-origin-resource-policy': 'same-origin',
      'content-type': contentType,
      'content-length': String(file.bytes.length),
      'content-disposition': inlineDisposition(file.fileName, contentType),
    })
    .end(file.bytes);
  return { status: 200, sent: true };
}

/** A row with its file's columns, as the shared serving reads it (the row's own columns kept for the audit). */
const storedFile = <R extends { content_type: string | null; file_name: string | null; bytes: Buffer }>(
  row: R,
): R & StoredFile => ({ ...row, contentType: row.content_type, fileName: row.file_name });

export function documentContentRoutes(
  db: Kysely<Database>,
): Pick<RouteHandlers, 'getDocumentContent' | 'getRfiAnswerDocumentContent'> {
  return {
    getDocumentContent: async ({ params, req, res }) => {
      const applicationId = params.id.toLowerCase();
      const documentId = params.documentId.toLowerCase();
      const document = await findCaseDocumentContent(db, applicationId, documentId);
      return showStoredFile(res, document && storedFile(document), 'Document content', ({ type }, contentType) =>
        recordAudit(db, staffActor(req), {
          action: 'application.document_viewed',
          entityId: applicationId,
          applicationId,
          data: { documentId, type, contentType },
        }),
      );
    },
    getRfiAnswerDocumentContent: async ({ params, req, res }) => {
      const ids = {
        rfiId: params.id.toLowerCase(),
        answerId: params.answerId.toLowerCase(),
        documentId: params.documentId.toLowerCase(),
      };
      const document = await findAnswerDocumentContent(db, ids);
      return showStoredFile(res, document && storedFile(document), 'RFI answer file', (file, contentType) =>
        recordAudit(db, staffActor(req), {
          action: 'rfi.answer_document_viewed',
          entityId: ids.rfiId,
          applicationId: file.application_id,
          data: { answerId: ids.answerId, documentId: ids.documentId, itemKey: file.item_key, contentType },
        }),
      );
    },
  };
}
