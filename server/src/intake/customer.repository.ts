/**
 * Customers as intake registers them: the only module that adds `customers` rows. (The PII
 * vault re-seals identification numbers in place when its key rotates.)
 */
import type { Insertable, Kysely } from 'kysely';
import type { CustomerTable, Database } from '../db/schema.js';

export async function insertCustomer(
  trx: Kysely<Database>,
  customer: Insertable<CustomerTable>,
): Promise<{ id: string }> {
  return trx.insertInto('customers').values(customer).returning('id').executeTakeFirstOrThrow();
}
