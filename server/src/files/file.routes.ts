/** `GET /files/:token`: a document file, for whoever holds a URL the desk signed. */
import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { FileUrls } from './file-urls.js';

async function readFile(db: Kysely<Database>, kind: 'document' | 'rfi-answer', id: string) {
  if (kind === 'document') {
    return db
      .selectFrom('application_documents as d')
      .innerJoin('document_contents as c', 'c.document_id', 'd.id')
      .select(['d.content_type', 'c.bytes'])
      .where('d.id', '=', id)
      .executeTakeFirst();
  }
  return db.selectFrom('rfi_answer_documents').select(['content_type', 'bytes']).where('id', '=', id).executeTakeFirst();
}

export function fileRoutes(db: Kysely<Database>, files: FileUrls): Router {
  const router = Router();
  router.get('/files/:token', async (req, res) => {
    const named = files.verify(req.params.token);
    const file = named ? await readFile(db, named.kind, named.id) : undefined;
    if (!file?.content_type) throw AppError.notFound('File');
    res
      .status(200)
      .set({
        'content-type': file.content_type,
        'content-length': String(file.bytes.length),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      })
      .end(file.bytes);
  });
  return router;
}
