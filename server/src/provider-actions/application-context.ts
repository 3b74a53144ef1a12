/** The application as an adapter sees it: ids, the applicant, and the documents the desk holds. */
import type { Kysely } from 'kysely';
import { findHeldDocumentRows } from '../applications/document.repository.js';
import type { ApplicationRow, Database } from '../db/schema.js';
import type { FileUrls } from '../files/file-urls.js';
import type { ApplicationContext, HeldDocument } from '../providers/provider-adapter.js';

export async function loadHeldDocuments(
  db: Kysely<Database>,
  applicationId: string,
  files: FileUrls,
): Promise<HeldDocument[]> {
  const rows = await findHeldDocumentRows(db, applicationId);
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    status: row.status,
    providerDocumentId: row.provider_document_id,
    contentType: row.content_type,
    fileName: row.file_name,
    details: row.details,
    url: files.urlFor('document', row.id),
  }));
}

export async function loadApplicationContext(
  db: Kysely<Database>,
  app: ApplicationRow,
  files: FileUrls,
): Promise<ApplicationContext> {
  const customer = await db
    .selectFrom('customers')
    .select(['first_name', 'last_name', 'email', 'country'])
    .where('id', '=', app.customer_id)
    .executeTakeFirstOrThrow();
  return {
    providerApplicationId: app.provider_application_id,
    applicant: {
      firstName: customer.first_name,
      lastName: customer.last_name,
      email: customer.email,
      country: customer.country,
    },
    documents: await loadHeldDocuments(db, app.id, files),
  };
}
