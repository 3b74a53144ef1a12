/**
 * Demo applications exist at the sandbox too. The demo generator walks the sandbox rules to
 * produce each application's history; this writes the end state of that walk into the
 * sandbox's tables (same application, customer and document ids), so every action on a demo
 * case — upload, re-apply, refresh — goes to a provider that knows it and answers as the
 * rules say. Applications left SUBMITTED get a decision due some minutes to hours from now,
 * so the demo queue keeps moving while the desk runs.
 */

import {
  type ApplicationDocumentTable,
  type ApplicationTable,
  type ClearCustomer,
  type Database,
  openIdentificationNumber,
  type PiiVault,
} from '@desk/server';
import { isStatusOf } from '@desk/shared';
import type { Insertable, Kysely } from 'kysely';
import type { SandboxDatabase } from './sandbox.tables.js';

export type DemoRows = {
  customers: ClearCustomer[];
  applications: Insertable<ApplicationTable>[];
  documents: Insertable<ApplicationDocumentTable>[];
};

const minute = 60_000;

export async function registerDemoApplications(
  deskDb: Kysely<Database>,
  rows: DemoRows,
  now = new Date(),
): Promise<void> {
  const db = deskDb.withTables<SandboxDatabase>();
  // The demo's agreement timeline is the sandbox's too, so both agree on what was latest when.
  const agreements = await db.selectFrom('agreements').selectAll().where('provider', '=', 'jiko').execute();
  if (agreements.length > 0) {
    await db
      .insertInto('sandbox.jiko_agreements')
      .values(
        agreements.map((a) => ({
          version: a.version,
          release_date: a.released_at.toISOString().slice(0, 10),
          documents: JSON.stringify(a.documents),
        })),
      )
      .onConflict((oc) =>
        oc.column('version').doUpdateSet((eb) => ({
          release_date: eb.ref('excluded.release_date'),
          documents: eb.ref('excluded.documents'),
        })),
      )
      .execute();
  }
  const customers = new Map(rows.customers.map((c) => [c.id, c]));
  const applications = rows.applications.filter((a) => a.provider === 'jiko');
  if (applications.length === 0) return;
  const withDocuments = new Set(rows.documents.map((d) => d.application_id));
  await db
    .insertInto('sandbox.jiko_applications')
    .values(
      applications.map((app, i) => {
        const customer = customers.get(app.customer_id);
        if (!customer) throw new Error(`demo application ${app.id} has no customer`);
        const status = isStatusOf('jiko', app.provider_status) ? app.provider_status : 'CREATED';
        const submitted = status === 'SUBMITTED';
        return {
          id: app.provider_application_id,
          status,
          identification_number: customer.identificationNumber,
          first_name: customer.first_name,
          last_name: customer.last_name,
          email: customer.email,
          phone_number: customer.phone.replace(/^\+/, ''),
          date_of_birth: customer.date_of_birth,
          address: JSON.stringify({
            street_address: customer.street,
            city: customer.city,
            postal_code: customer.postal_code,
            state: customer.state ?? '',
            country: customer.country,
          }),
          investment_profile: JSON.stringify({
            income: 'BETWEEN_100K_AND_250K',
            net_worth: 'BETWEEN_250K_AND_500K',
            occupation: 'Professional',
            employment_status: 'EMPLOYED',
          }),
          agreement_version: app.agreement_version,
          agreement_consented_at: app.consented_at,
          customer_id: app.provider_customer_id ?? null,
          flag_id_verification: app.flag_id_verification ?? false,
          flag_identification_number_verification: app.flag_identification_number_verification ?? false,
          flag_address_verification: app.flag_address_verification ?? false,
          documents_round: withDocuments.has(app.id ?? '') ? 1 : 0,
          submitted_from: submitted ? ('CREATED' as const) : null,
          decision_due_at: submitted ? new Date(now.getTime() + (10 + ((i * 37) % 350)) * minute) : null,
          created_at: app.created_at,
          updated_at: app.updated_at,
        };
      }),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const providerIdOf = new Map(applications.map((a) => [a.id, a.provider_application_id]));
  const documents = rows.documents.filter((d) => d.provider_document_id && providerIdOf.has(d.application_id));
  if (documents.length === 0) return;
  await db
    .insertInto('sandbox.jiko_documents')
    .values(
      documents.map((d) => ({
        id: d.provider_document_id ?? '',
        application_id: providerIdOf.get(d.application_id) ?? '',
        document_type: d.type,
        status: d.status,
        round: 1,
        content_type: d.content_type ?? null,
        size_bytes: d.size_bytes ?? null,
        sha256: d.sha256 ?? null,
        uploaded_at: d.status === 'PENDING_UPLOAD' ? null : (d.updated_at ?? now),
        created_at: d.created_at,
        updated_at: d.updated_at,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Registers every application the desk holds (as just seeded) at the sandbox. */
export async function registerSeededApplications(db: Kysely<Database>, pii: PiiVault): Promise<void> {
  const [customers, applications, documents] = await Promise.all([
    db.selectFrom('customers').selectAll().execute(),
    db.selectFrom('applications').selectAll().execute(),
    db.selectFrom('application_documents').selectAll().execute(),
  ]);
  await registerDemoApplications(db, {
    customers: customers.map((c) => ({
      id: c.id,
      first_name: c.first_name,
      last_name: c.last_name,
      email: c.email,
      phone: c.phone,
      date_of_birth: c.date_of_birth,
      street: c.street,
      city: c.city,
      postal_code: c.postal_code,
      state: c.state,
      country: c.country,
      identificationNumber: openIdentificationNumber(pii, c) ?? '',
    })),
    applications: applications.map(({ provider_requirements: _requirements, ...app }) => app),
    documents: documents.map(({ details: _details, ...doc }) => doc),
  });
}
