/**
 * Revealing a customer's identification number: a permission (checked at the gate), a reason,
 * and an audit event written before the value leaves — in the same transaction that reads it,
 * so there is no reveal without its record.
 */
import type { Kysely } from 'kysely';
import type { RevealRequest, RevealResponse } from '@desk/shared';
import type { Database } from '../db/schema.js';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import { AppError } from '../http/app-error.js';
import { openIdentificationNumber, type PiiVault } from '../pii/pii-vault.js';

export async function revealField(
  ctx: { db: Kysely<Database>; pii: PiiVault },
  customerId: string,
  request: RevealRequest,
  actor: StaffActor,
): Promise<RevealResponse> {
  return ctx.db.transaction().execute(async (trx) => {
    const customer = await trx
      .selectFrom('customers')
      .select(['id', 'identification_number_sealed', 'identification_number_key_id'])
      .where('id', '=', customerId)
      .executeTakeFirst();
    if (!customer) throw AppError.notFound('Customer');
    const value = openIdentificationNumber(ctx.pii, customer);
    if (value === null) throw new AppError('not_found', 'This customer has no identification number on file');
    await recordAudit(trx, actor, {
      action: 'customer.pii_revealed',
      entityType: 'customer',
      entityId: customerId,
      data: { field: request.field, reason: request.reason },
    });
    return { field: request.field, value };
  });
}
