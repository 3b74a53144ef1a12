/**
 * Revealing a customer's identification number: a permission (checked at the gate), a reason,
 * and an audit event written before the value leaves — in the same transaction that reads it,
 * so there is no reveal without its record.
 */

import {
  type CustomerDetail,
  can,
  isOverdueRfi,
  maskedIdentificationNumberOf,
  openRfiStatuses,
  type RevealRequest,
  type RevealResponse,
  routes,
  type StaffRole,
} from '@desk/shared';
import type { Kysely } from 'kysely';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { openIdentificationNumber, PiiKeyUnavailableError, type PiiVault } from '../pii/pii-vault.js';

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
    let value: string | null;
    try {
      value = openIdentificationNumber(ctx.pii, customer);
    } catch (err) {
      // A configuration problem (an old key dropped from DESK_PII_KEYS), said as such: no value, no audit event.
      if (err instanceof PiiKeyUnavailableError) {
        throw new AppError(
          'conflict',
          `This identification number is sealed with PII key ${err.keyId}, which this desk cannot open it with: the key must stay listed in DESK_PII_KEYS`,
        );
      }
      throw err;
    }
    if (value === null) throw new AppError('not_found', 'This customer has no identification number on file');
    await recordAudit(trx, actor, {
      action: 'customer.pii_revealed',
      entityId: customerId,
      data: { field: request.field, reason: request.reason },
    });
    return { field: request.field, value };
  });
}

/**
 * The last four digits of the identification number, for a role that may look customers up by
 * them (the customer search's permission; support does); null for others or when none is on file.
 */
function lastFourFor(
  pii: PiiVault,
  role: StaffRole,
  customer: { identification_number_sealed: string | null; identification_number_key_id: string | null },
): string | null {
  if (!can(role, routes.searchCustomers.access)) return null;
  try {
    return openIdentificationNumber(pii, customer)?.replace(/\D/g, '').slice(-4) ?? null;
  } catch (err) {
    // Sealed with a key this desk no longer holds: the page still shows, fully masked.
    if (err instanceof PiiKeyUnavailableError) return null;
    throw err;
  }
}

/**
 * A customer for support: profile (number masked but for the last four, to those who search by
 * them), every application, open RFIs, recent changes.
 */
export async function getCustomer(
  ctx: { db: Kysely<Database>; pii: PiiVault },
  id: string,
  viewer: { role: StaffRole },
): Promise<CustomerDetail> {
  const { db, pii } = ctx;
  const customer = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!customer) throw AppError.notFound('Customer');
  const applications = await db
    .selectFrom('applications as a')
    .leftJoin('staff as s', 's.id', 'a.assignee_id')
    .select([
      'a.id',
      'a.provider',
      'a.provider_application_id',
      'a.provider_status',
      'a.stage',
      'a.account_status',
      'a.created_at',
      's.id as assignee_id',
      's.name as assignee_name',
    ])
    .where('a.customer_id', '=', id)
    .orderBy('a.created_at', 'desc')
    .execute();
  const applicationIds = applications.map((a) => a.id);
  const now = new Date();
  const [rfis, history] =
    applicationIds.length === 0
      ? [[], []]
      : await Promise.all([
          db
            .selectFrom('rfis')
            .select(['id', 'application_id', 'title', 'status', 'due_at'])
            .where('application_id', 'in', applicationIds)
            .where('status', 'in', openRfiStatuses)
            .orderBy('due_at')
            .execute(),
          db
            .selectFrom('status_history as h')
            .innerJoin('applications as a', 'a.id', 'h.application_id')
            .select([
              'h.application_id',
              'a.provider',
              'h.from_status',
              'h.to_status',
              'h.to_stage',
              'h.at',
              'h.source',
            ])
            .where('h.application_id', 'in', applicationIds)
            .orderBy('h.at', 'desc')
            .orderBy('h.id', 'desc')
            .limit(10)
            .execute(),
        ]);
  return {
    id: customer.id,
    firstName: customer.first_name,
    lastName: customer.last_name,
    email: customer.email,
    phone: customer.phone,
    dateOfBirth: customer.date_of_birth,
    address: {
      street: customer.street,
      city: customer.city,
      postalCode: customer.postal_code,
      state: customer.state,
      country: customer.country,
    },
    identificationNumberMasked: maskedIdentificationNumberOf(lastFourFor(pii, viewer.role, customer)),
    customerSince: (applications.at(-1)?.created_at ?? customer.created_at).toISOString(),
    createdAt: customer.created_at.toISOString(),
    applications: applications.map((a) => ({
      id: a.id,
      provider: a.provider,
      providerApplicationId: a.provider_application_id,
      providerStatus: a.provider_status,
      stage: a.stage,
      accountStatus: a.account_status,
      createdAt: a.created_at.toISOString(),
      assignee: a.assignee_id && a.assignee_name ? { id: a.assignee_id, name: a.assignee_name } : null,
    })),
    openRfis: rfis.map((r) => ({
      id: r.id,
      applicationId: r.application_id,
      title: r.title,
      status: r.status === 'answered' ? 'answered' : 'open',
      dueAt: r.due_at.toISOString(),
      overdue: isOverdueRfi({ status: r.status, dueAt: r.due_at }, now),
    })),
    recentStatusChanges: history.map((h) => ({
      applicationId: h.application_id,
      provider: h.provider,
      fromStatus: h.from_status,
      toStatus: h.to_status,
      toStage: h.to_stage,
      at: h.at.toISOString(),
      source: h.source,
    })),
  };
}
