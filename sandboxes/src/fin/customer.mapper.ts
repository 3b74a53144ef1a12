/**
 * Sandbox rows → Fin.com's wire shapes. Tax document ids leave masked to their last four
 * characters (`***-**-6789`); timestamps are ISO 8601 in UTC. The customer carries its open
 * RFI (or null) and, while ACTION_REQUIRED, what to re-attach; `tos_policies_url` carries
 * the `tos_policies_value` query parameter an attach may send back.
 */
import type { FinStatus } from '@desk/shared';
import type { FinAddress, FinBasicInfo, FinFinancialProfile, FinTaxDocument } from './customer-validation.js';
import type { FinCustomerRow, FinRfiRow } from './sandbox.tables.js';
import type { FinV1Address, FinV1BasicInfo, FinV1FinancialProfile } from './v1-validation.js';
import type { FinStatusEventData } from './webhook-events.js';
import type { FinRfi, RequiredAction } from './wire.js';

export const tosPoliciesBaseUrl = 'https://sandbox.api.fin.com/v1/tos-policies';

export type FinCustomer = {
  id: string;
  type: 'INDIVIDUAL';
  status: FinStatus;
  verification_type: string;
  basic_info: FinBasicInfo;
  address: FinAddress;
  financial_profile: FinFinancialProfile;
  meta_data: Record<string, string> | null;
  tos_policies_url: string;
  required_actions: RequiredAction[] | null;
  rejection_reason: string | null;
  rfi: FinRfi | null;
  created_at: string;
  updated_at: string;
};

export function maskTaxId(id: string): string {
  let keep = 4;
  return [...id]
    .reverse()
    .map((ch) => (/[A-Za-z0-9]/.test(ch) ? (keep-- > 0 ? ch : '*') : ch))
    .reverse()
    .join('');
}

const maskTaxDocument = (d: FinTaxDocument): FinTaxDocument => ({ ...d, document_id: maskTaxId(d.document_id) });

export function rfiRowToFin(row: FinRfiRow): FinRfi {
  return {
    id: row.id,
    customer_id: row.customer_id,
    status: row.status,
    sections: row.sections,
    created_at: row.created_at.toISOString(),
    answered_at: row.answered_at?.toISOString() ?? null,
  };
}

/**
 * A V1 customer (`GET /v1/customers/{id}`, the V1 create and attach answers): V1's fields,
 * `tin` masked like V2's tax ids; no `required_actions` or `rfi`, which V1 does not have.
 */
export type FinV1Customer = {
  id: string;
  type: 'INDIVIDUAL';
  status: FinStatus;
  verification_type: string;
  basic_info: FinV1BasicInfo;
  address: FinV1Address;
  financial_profile: FinV1FinancialProfile;
  meta_data: Record<string, string> | null;
  tos_policies_url: string;
  rejection_reason: string | null;
  created_at: string;
  updated_at: string;
};

function tosPoliciesUrl(row: FinCustomerRow): string {
  const tosUrl = new URL(tosPoliciesBaseUrl);
  tosUrl.searchParams.set('customer_id', row.id);
  tosUrl.searchParams.set('tos_policies_value', row.tos_policies_value);
  return tosUrl.toString();
}

const v2Parts = (row: FinCustomerRow) => {
  const { basic_info, address, financial_profile } = row;
  if ('tax_info' in basic_info && 'street_line_1' in address && 'source_of_fund_ids' in financial_profile)
    return { basic_info, address, financial_profile };
  throw new Error(`customer ${row.id} was not created through V2`);
};

const v1Parts = (row: FinCustomerRow) => {
  const { basic_info, address, financial_profile } = row;
  if ('tin' in basic_info && 'street' in address && 'source_of_fund_id' in financial_profile)
    return { basic_info, address, financial_profile };
  throw new Error(`customer ${row.id} was not created through V1`);
};

export function customerRowToFinV1(row: FinCustomerRow): FinV1Customer {
  const { basic_info, address, financial_profile } = v1Parts(row);
  return {
    id: row.id,
    type: 'INDIVIDUAL',
    status: row.status,
    verification_type: row.verification_type,
    basic_info: { ...basic_info, tin: maskTaxId(basic_info.tin) },
    address,
    financial_profile,
    meta_data: row.meta_data,
    tos_policies_url: tosPoliciesUrl(row),
    rejection_reason: row.rejection_reason,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function customerRowToFin(row: FinCustomerRow, rfi: FinRfiRow | undefined): FinCustomer {
  const { basic_info, address, financial_profile } = v2Parts(row);
  return {
    id: row.id,
    type: 'INDIVIDUAL',
    status: row.status,
    verification_type: row.verification_type,
    basic_info: { ...basic_info, tax_info: basic_info.tax_info.map(maskTaxDocument) },
    address,
    financial_profile,
    meta_data: row.meta_data,
    tos_policies_url: tosPoliciesUrl(row),
    required_actions: row.required_actions,
    rejection_reason: row.rejection_reason,
    rfi: rfi ? rfiRowToFin(rfi) : null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function statusEventData(
  row: FinCustomerRow,
  previous: FinStatus | null,
  rfiId: string | null,
): FinStatusEventData {
  return {
    customer_id: row.id,
    status: row.status,
    previous_status: previous,
    rejection_reason: row.rejection_reason,
    required_actions: row.required_actions,
    rfi_id: rfiId,
  };
}
