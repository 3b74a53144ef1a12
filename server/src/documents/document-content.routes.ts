/**
 * `GET /api/applications/:id/documents/:documentId/content`: a stored document shown to staff
 * who may see it (`documents.view`), in the type its bytes showed at upload, never cached,
 * never sniffed as anything else, and recorded on the audit trail before a byte is sent.
 *
 * Unlike `/files/...` (handed to providers as attachments), this answer is meant to be shown:
 * `inline`, and framable by the desk's own pages (`frame-ancestors 'self'`) so a PDF opens in
 * the viewer. Images keep a sandboxing policy; a PDF cannot be sandboxed, since Chromium
 * refuses to run its PDF viewer in a sandboxed document, so its policy loads nothing
 * and runs nothing of its own instead.
 */
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit-log.js';
import { staffActor } from '../auth/access-control.js';
import type { Database } from '../db/schema.js';
import { inlineDisposition, servedContentType } from '../files/file-disposition.js';
import { AppError } from '../http/app-error.js';
import type { RouteHandlers } from '../http/route-handler.js';
import { findCaseDocumentContent } from './document-content.repository.js';

const imagePolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox";
const pdfPolicy = "default-src 'none'; object-src 'self'; plugin-types application/pdf; frame-ancestors 'self'";

/** The policy a served type is shown under; null for a type the desk does not show. */
export function documentContentPolicy(contentType: string): string | null {
  if (contentType === 'application/pdf') return pdfPolicy;
  if (contentType === 'image/png' || contentType === 'image/jpeg') return imagePolicy;
  return null;
}

export function documentContentRoutes(db: Kysely<Database>): Pick<RouteHandlers, 'getDocumentContent'> {
  return {
    getDocumentContent: async ({ params, req, res }) => {
      const applicationId = params.id.toLowerCase();
      const documentId = params.documentId.toLowerCase();
      const document = await findCaseDocumentContent(db, applicationId, documentId);
      const contentType = servedContentType(document?.content_type ?? null);
      const policy = documentContentPolicy(contentType);
      if (!document || policy === null) throw AppError.notFound('Document content');
      await recordAudit(db, staffActor(req), {
        action: 'application.document_viewed',
        entityId: applicationId,
        applicationId,
        data: { documentId, type: document.type, contentType },
      });
      res
        .status(200)
        .set({
          'cache-control': 'private, no-store',
          'x-content-type-options': 'nosniff',
          'content-security-policy': policy,
          'x-frame-options': 'SAMEORIGIN',
          'cross-origin-resource-policy': 'same-origin',
          'content-type': contentType,
          'content-length': String(document.bytes.length),
          'content-disposition': inlineDisposition(document.file_name, contentType),
        })
        .end(document.bytes);
      return { status: 200, sent: true };
    },
  };
}
