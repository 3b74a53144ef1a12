/**
 * Demo data for the Fin.com and generic KYC providers, and requests for information in every
 * state. A separate step from `seedDemoData` (whose Jiko rows it leaves alone): it runs once
 * the Jiko demo is in place and the built-in sandboxes are mounted, and does nothing when a
 * Fin.com application already exists.
 *
 * Every case is written twice, consistently: the sandbox's rows (same ids, statuses, outcome
 * tags, counters, RFIs; sandboxes/fin|kyc/demo-fixtures.ts) and the desk's rows, which are
 * derived from the sandbox rows through the adapters' own mapping (the sandbox's wire shape →
 * `finCustomerToSnapshot` / `kycCustomerToSnapshot`). So stage, flags, what the provider asks
 * for, and each open RFI with its items are exactly what a refresh of the case would bring, and
 * the snapshot sync recognises the RFIs by `(application_id, provider_rfi_id)`.
 *
 * Status mix (per provider, by largest remainder):
 *   Fin.com  INCOMPLETE 20%, REVIEWING 10%, ACTION_REQUIRED 20%, ON_HOLD 25% (open RFI),
 *            APPROVED 15% (about half after an answered RFI), REJECTED 10%
 *   KYC      CREATED 10%, UNDER_REVIEW 15%, NEEDS_ADDITIONAL_INFORMATION 40% (open RFI for a
 *            government ID, some also a proof of address), ACTIVE 25% (all past an RFI:
 *            answered, or resolved by a resubmitted passport), REJECTED 10%
 * About a third of the open provider RFIs were raised 6–12 days ago and are overdue (due five
 * days after they were raised). Internal RFIs (open, some overdue; answered; closed) go on
 * open Jiko demo cases. Pending reviews are due minutes to hours after `now`.
 *
 * Deterministic for a seed, a reference time, the staff and the Jiko cases given.
 */

import { type Database, sealCustomer } from '@desk/server';
import type { Kysely } from 'kysely';
import { registerFinDemoCustomers } from '../../fin/demo-fixtures.js';
import { registerKycDemoCustomers } from '../../kyc/demo-fixtures.js';
import { Builder } from './builder.js';
import {
  allocateStatuses,
  finStatusMix,
  kycStatusMix,
  type ProviderDemo,
  type ProviderDemoContext,
  type ProviderDemoOptions,
  shuffled,
} from './common.js';
import { finCase } from './fin.js';
import { kycCase } from './kyc.js';
import { internalRfis } from './rfis.js';

export {
  allocateStatuses,
  finStatusMix,
  kycStatusMix,
  type ProviderDemo,
  type ProviderDemoContext,
  type ProviderDemoOptions,
  providerDemoAgreements,
} from './common.js';
export { demoPdf, demoPng } from './files.js';

/** Every row of the provider demo, in memory; nothing is written. */
export function generateProviderDemo(ctx: ProviderDemoContext): ProviderDemo {
  const b = new Builder(ctx);
  const order = b.rngFor('order', 0);

  const finStatuses = shuffled(allocateStatuses(finStatusMix, ctx.perProvider), order);
  let held = 0;
  let approved = 0;
  finStatuses.forEach((status, i) => {
    const overdue = status === 'ON_HOLD' && held++ % 3 === 0;
    const afterRfi = status === 'APPROVED' && approved++ % 2 === 0;
    finCase(b, i, { status, overdue, afterRfi });
  });

  const kycStatuses = shuffled(allocateStatuses(kycStatusMix, ctx.perProvider), order);
  let asking = 0;
  let active = 0;
  kycStatuses.forEach((status, i) => {
    const nth = status === 'NEEDS_ADDITIONAL_INFORMATION' ? asking++ : status === 'ACTIVE' ? active++ : 0;
    kycCase(b, i, {
      status,
      overdue: status === 'NEEDS_ADDITIONAL_INFORMATION' && nth % 3 === 0,
      // Some requests also ask for a proof of address.
      proofOfAddress: (status === 'NEEDS_ADDITIONAL_INFORMATION' || status === 'ACTIVE') && nth % 3 === 1,
      answered: status === 'ACTIVE' && nth % 5 !== 4,
    });
  });

  internalRfis(b);
  return b.demo;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

const rowsPerInsert = 500;

async function inChunks<T>(rows: readonly T[], write: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += rowsPerInsert) await write(rows.slice(i, i + rowsPerInsert));
}

/**
 * Writes the provider demo in one transaction, desk rows and sandbox rows together. Does
 * nothing (and returns zeros) when a Fin.com application exists already. Call it after
 * `seedDemoData` (its staff and open Jiko cases get RFIs) and only with the sandboxes mounted.
 */
export async function seedProviderDemo(
  db: Kysely<Database>,
  options: ProviderDemoOptions,
): Promise<{ fin: number; kyc: number; rfis: number }> {
  const seed = options.seed ?? 42;
  const now = options.now ?? new Date();
  const perProvider = options.perProvider ?? 40;
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('applications')
      .select('id')
      .where('provider', '=', 'fin')
      .limit(1)
      .executeTakeFirst();
    if (existing) return { fin: 0, kyc: 0, rfis: 0 };
    const staff = await trx.selectFrom('staff').select(['id', 'role']).orderBy('email').execute();
    const jikoCases = await trx
      .selectFrom('applications')
      .select(['id', 'created_at'])
      .where('provider', '=', 'jiko')
      .where('stage', 'not in', ['approved', 'rejected'])
      .orderBy('created_at')
      .orderBy('id')
      .limit(200)
      .execute();
    const demo = generateProviderDemo({ seed, now, perProvider, staff, jikoCases });

    await trx
      .insertInto('agreements')
      .values(demo.agreements)
      .onConflict((oc) => oc.columns(['provider', 'version']).doNothing())
      .execute();
    await inChunks(demo.customers, (part) =>
      trx
        .insertInto('customers')
        .values(part.map((c) => sealCustomer(options.pii, c)))
        .execute(),
    );
    await inChunks(demo.applications, (part) => trx.insertInto('applications').values(part).execute());
    // A document with a file was uploaded when it was listed; one the provider asks for has no upload time.
    const documents = demo.documents.map((d) => ({
      ...d,
      uploaded_at: d.sha256 && d.created_at ? new Date(d.created_at) : null,
    }));
    await inChunks(documents, (part) => trx.insertInto('application_documents').values(part).execute());
    await inChunks(demo.contents, (part) => trx.insertInto('document_contents').values(part).execute());
    await inChunks(demo.history, (part) => trx.insertInto('status_history').values(part).execute());
    await inChunks(demo.rfis, (part) => trx.insertInto('rfis').values(part).execute());
    await inChunks(demo.rfiItems, (part) => trx.insertInto('rfi_items').values(part).execute());
    await inChunks(demo.rfiAnswers, (part) => trx.insertInto('rfi_answers').values(part).execute());
    await inChunks(demo.rfiAnswerDocuments, (part) => trx.insertInto('rfi_answer_documents').values(part).execute());
    await inChunks(demo.providerActions, (part) => trx.insertInto('provider_actions').values(part).execute());
    await registerFinDemoCustomers(trx, demo.fin);
    await registerKycDemoCustomers(trx, demo.kyc);
    return {
      fin: demo.applications.filter((a) => a.provider === 'fin').length,
      kyc: demo.applications.filter((a) => a.provider === 'kyc').length,
      rfis: demo.rfis.length,
    };
  });
}
