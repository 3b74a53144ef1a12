/** `GET /files/:token`: a document file, for whoever holds a URL the desk signed. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { RouteHandlers } from '../http/route-handler.js';
import { findStoredFile } from './file.repository.js';
import { attachmentDisposition, servedContentType } from './file-disposition.js';
import type { FileUrls } from './file-urls.js';

/**
 * A file is handed over, never shown: saved as an attachment under a safe name, never sniffed
 * as another type, and, should anything render it anyway, in a sandbox with no permission to
 * run or load anything. The desk's own pages never embed these files; their readers are
 * providers fetching server to server (no browser, so Cross-Origin-Resource-Policy does not
 * apply to them), which is why CORP can be `same-origin`: no other site's page may load them.
 */
const fileHeaders = {
  'cache-control': 'private, no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'cross-origin-resource-policy': 'same-origin',
} as const;

export function fileRoutes(db: Kysely<Database>, files: FileUrls): Pick<RouteHandlers, 'getFile'> {
  return {
    getFile: async ({ params, res }) => {
      const named = files.verify(params.token);
      const file = named ? await findStoredFile(db, named.kind, named.id) : undefined;
      if (!file?.contentType) throw AppError.notFound('File');
      const contentType = servedContentType(file.contentType);
      res
        .status(200)
        .set({
          ...fileHeaders,
          'content-type': contentType,
          'content-length': String(file.bytes.length),
          'content-disposition': attachmentDisposition(file.fileName, contentType),
        })
        .end(file.bytes);
      return { status: 200, sent: true };
    },
  };
}
