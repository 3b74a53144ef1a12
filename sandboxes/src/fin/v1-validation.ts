/**
 * Fin.com V1 (`POST /v1/customers/individual`, `POST /v1/customers/individual/attach`): the
 * body rules of the guide's V1 section, every failure under its dotted path, all at once, in
 * the same error body as V2. What V1 shares with V2 is checked by the same readers (email,
 * phone, dob, countries, catalogue ids, files); where V1 differs, its guide decides:
 *
 *   create  verification_type optional (STANDARD when absent); no `_en` fields, so every
 *           text field must be in English (Latin) characters; basic_info: first_name,
 *           last_name, dob, email (all lowercase), phone, country_of_residence,
 *           nationality and a single `tin` (`xxx-xx-xxxx` when country_of_residence is USA,
 *           else 4–30 letters, digits, spaces, `-`, `.` or `/`); address: a single `street`,
 *           city, `state` (ISO 3166-2 of address.country), postal_code, country, which is
 *           not checked against country_of_residence; financial_profile: occupation_id, a
 *           single source_of_fund_id, purpose_id, monthly_volume_usd (an integer ≥ 0). The V1
 *           guide marks no field optional: every field of its tables is required.
 *   attach  customer_id in the body (a UUID of a customer of this client, else 400 as the
 *           upload); proof_of_identity: PASSPORT (1 file, side optional), NATIONAL_ID or
 *           DRIVERS_LICENSE (2 files, one FRONT and one BACK), with number, country and a
 *           future expiry_date (issue_date optional, not in the future, before expiry);
 *           proof_of_address: one of the 8 V1 types, country = the customer's
 *           address.country (the proof must show that address), 1 to 3 files, an issue_date
 *           if sent within the last 90 days for utility bills, bank statements and government
 *           letters; tos_policies_value required and equal to this customer's value; every
 *           uri uploaded for this customer, none used twice.
 */

import { readExpiry, readFiles, twoSided } from './attach-validation.js';
import { individualPurposeExists, individualSourceOfFundsExists, occupationExists } from './catalogue.js';
import { subdivisionProblem } from './countries.js';
import {
  checkMetaData,
  e164Pattern,
  emailPattern,
  type FinVerificationType,
  finVerificationTypes,
  otherTinPattern,
  readAsciiText,
  readCountry,
  ssnPattern,
} from './customer-validation.js';
import {
  ageOn,
  FieldChecker,
  isAscii,
  type JsonObject,
  readDate,
  readEnum,
  readInteger,
  readObject,
  readString,
  todayUtc,
} from './fields.js';
import { isUuid } from './http.js';
import type { FinFileRef } from './wire.js';

export const v1IdentityDocumentTypes = ['PASSPORT', 'NATIONAL_ID', 'DRIVERS_LICENSE'] as const;
export type V1IdentityDocumentType = (typeof v1IdentityDocumentTypes)[number];
export const v1AddressDocumentTypes = [
  'UTILITY_BILL',
  'BANK_STATEMENT',
  'GOVERNMENT_LETTER',
  'RESIDENCE_PERMIT',
  'PASSPORT',
  'NATIONAL_ID',
  'DRIVERS_LICENSE',
  'COMPANY_DOC',
] as const;
export type V1AddressDocumentType = (typeof v1AddressDocumentTypes)[number];
/** The address proofs the guide wants issued within the last 90 days. */
const recentAddressProofs: readonly V1AddressDocumentType[] = ['UTILITY_BILL', 'BANK_STATEMENT', 'GOVERNMENT_LETTER'];

export type FinV1BasicInfo = {
  first_name: string;
  last_name: string;
  dob: string;
  email: string;
  phone: string;
  country_of_residence: string;
  nationality: string;
  tin: string;
};
export type FinV1Address = { street: string; city: string; state: string; postal_code: string; country: string };
export type FinV1FinancialProfile = {
  occupation_id: number;
  source_of_fund_id: number;
  purpose_id: number;
  monthly_volume_usd: number;
};
export type CreateV1CustomerBody = {
  verification_type: FinVerificationType;
  basic_info: FinV1BasicInfo;
  address: FinV1Address;
  financial_profile: FinV1FinancialProfile;
  meta_data: Record<string, string> | null;
};

export type FinV1ProofOfIdentity = {
  type: V1IdentityDocumentType;
  number: string;
  country: string;
  issue_date?: string;
  expiry_date: string;
  files: FinFileRef[];
};
export type FinV1ProofOfAddress = {
  type: V1AddressDocumentType;
  country: string;
  issue_date?: string;
  files: FinFileRef[];
};
export type FinV1AttachDocuments = { proof_of_identity: FinV1ProofOfIdentity; proof_of_address: FinV1ProofOfAddress };

function checkBasicInfo(c: FieldChecker, info: JsonObject): FinV1BasicInfo | undefined {
  const p = 'basic_info';
  const first = readAsciiText(c, info, p, 'first_name', true);
  const last = readAsciiText(c, info, p, 'last_name', true);
  const dob = readDate(c, info, p, 'dob', true);
  if (dob !== undefined) {
    const age = ageOn(dob, todayUtc());
    if (age < 18 || age > 120) c.add(`${p}.dob`, 'Age must be between 18 and 120');
  }
  const email = readString(c, info, p, 'email', { required: true, max: 254 });
  if (email !== undefined) {
    if (!emailPattern.test(email) || !isAscii(email)) c.add(`${p}.email`, 'email must be a valid email address');
    if (email !== email.toLowerCase()) c.add(`${p}.email`, 'Email must be all lowercase');
  }
  const phone = readString(c, info, p, 'phone', { required: true, max: 16 });
  if (phone !== undefined && !e164Pattern.test(phone))
    c.add(`${p}.phone`, 'phone must be in E.164 format, e.g. +14155552671');
  const residence = readCountry(c, info, p, 'country_of_residence', true);
  const nationality = readCountry(c, info, p, 'nationality', true);
  const tin = readString(c, info, p, 'tin', { required: true, max: 30 });
  if (tin !== undefined) {
    if (residence === 'USA' && !ssnPattern.test(tin))
      c.add(`${p}.tin`, 'TIN must be in SSN format (xxx-xx-xxxx) for USA customers');
    else if (residence !== undefined && residence !== 'USA' && !otherTinPattern.test(tin))
      c.add(`${p}.tin`, `tin is not a valid tax identification number for ${residence}`);
  }
  if (!first || !last || !dob || !email || !phone || !residence || !nationality || !tin) return undefined;
  return {
    first_name: first,
    last_name: last,
    dob,
    email,
    phone,
    country_of_residence: residence,
    nationality,
    tin,
  };
}

function checkAddress(c: FieldChecker, address: JsonObject): FinV1Address | undefined {
  const p = 'address';
  const street = readAsciiText(c, address, p, 'street', true);
  const city = readAsciiText(c, address, p, 'city', true);
  const state = readString(c, address, p, 'state', { required: true, max: 6 });
  const postal = readAsciiText(c, address, p, 'postal_code', true);
  const country = readCountry(c, address, p, 'country', true);
  if (state !== undefined && country !== undefined) {
    const problem = subdivisionProblem(state, country);
    if (problem) c.add(`${p}.state`, problem);
  }
  if (postal !== undefined && country === 'USA' && !/^\d{5}(-\d{4})?$/.test(postal))
    c.add(`${p}.postal_code`, 'postal_code must be a US ZIP code (94103 or 94103-1234)');
  if (!street || !city || !state || !postal || !country) return undefined;
  return { street, city, state, postal_code: postal, country };
}

function checkFinancialProfile(c: FieldChecker, profile: JsonObject): FinV1FinancialProfile | undefined {
  const p = 'financial_profile';
  const occupation = readInteger(c, profile, p, 'occupation_id', true);
  if (occupation !== undefined && !occupationExists(occupation))
    c.add(`${p}.occupation_id`, 'occupation_id does not exist; see GET /v1/occupations');
  const source = readInteger(c, profile, p, 'source_of_fund_id', true);
  if (source !== undefined && !individualSourceOfFundsExists(source))
    c.add(
      `${p}.source_of_fund_id`,
      'source_of_fund_id does not exist for INDIVIDUAL; see GET /v1/source-of-funds?type=INDIVIDUAL',
    );
  const purpose = readInteger(c, profile, p, 'purpose_id', true);
  if (purpose !== undefined && !individualPurposeExists(purpose))
    c.add(`${p}.purpose_id`, 'purpose_id does not exist for INDIVIDUAL; see GET /v1/purposes?type=INDIVIDUAL');
  const volume = readInteger(c, profile, p, 'monthly_volume_usd', true);
  if (volume !== undefined && volume < 0)
    c.add(`${p}.monthly_volume_usd`, 'monthly_volume_usd must be 0 or more (whole US dollars)');
  if (occupation !== undefined && source !== undefined && purpose !== undefined && volume !== undefined) {
    return { occupation_id: occupation, source_of_fund_id: source, purpose_id: purpose, monthly_volume_usd: volume };
  }
  return undefined;
}

/** The V1 create body, valid (verification_type defaulted), or the 400 naming every bad field. */
export function validateCreateV1Customer(body: JsonObject): CreateV1CustomerBody {
  const c = new FieldChecker();
  const verificationType = readEnum(c, body, '', 'verification_type', finVerificationTypes, false) ?? 'STANDARD';
  const info = readObject(c, body, '', 'basic_info', true);
  const address = readObject(c, body, '', 'address', true);
  const profile = readObject(c, body, '', 'financial_profile', true);
  const basicInfo = info && checkBasicInfo(c, info);
  const checkedAddress = address && checkAddress(c, address);
  const financialProfile = profile && checkFinancialProfile(c, profile);
  const metaData = checkMetaData(c, body);
  c.throwIfAny();
  if (!basicInfo || !checkedAddress || !financialProfile) {
    throw new Error('V1 create body passed validation but a part is missing'); // cannot happen
  }
  return {
    verification_type: verificationType,
    basic_info: basicInfo,
    address: checkedAddress,
    financial_profile: financialProfile,
    meta_data: metaData,
  };
}

/** The customer an attach body names: a UUID, lower-cased, or the 400 on `customer_id`. */
export function readAttachCustomerId(body: JsonObject): string {
  const c = new FieldChecker();
  const id = readString(c, body, '', 'customer_id', { required: true, max: 36 });
  if (id !== undefined && !isUuid(id)) c.add('customer_id', 'customer_id must be a customer id (UUID)');
  c.throwIfAny();
  return (id ?? '').toLowerCase();
}

export type V1AttachContext = {
  addressCountry: string;
  tosPoliciesValue: string;
  ownedUris: ReadonlySet<string>;
};

function checkProofOfIdentity(
  c: FieldChecker,
  doc: JsonObject,
  ctx: V1AttachContext,
): FinV1ProofOfIdentity | undefined {
  const p = 'proof_of_identity';
  const type = readEnum(c, doc, p, 'type', v1IdentityDocumentTypes, true);
  const number = readString(c, doc, p, 'number', { required: true, max: 50 });
  const country = readCountry(c, doc, p, 'country', true);
  const issue = readDate(c, doc, p, 'issue_date', false);
  const expiry = readExpiry(c, doc, p, true);
  if (issue !== undefined && issue > todayUtc()) c.add(`${p}.issue_date`, 'issue_date cannot be in the future');
  if (issue !== undefined && expiry !== undefined && issue >= expiry)
    c.add(`${p}.issue_date`, 'issue_date must be before expiry_date');
  const sided = type !== undefined && twoSided.includes(type);
  const files = readFiles(c, doc, p, sided ? { min: 2, max: 2 } : { min: 1, max: 1 }, ctx.ownedUris);
  const fileErrors = Object.keys(c.errors).some((k) => k.startsWith(`${p}.files`));
  if (files && sided && !fileErrors) {
    const sides = files.map((f) => f.side);
    if (!sides.includes('FRONT') || !sides.includes('BACK'))
      c.add(`${p}.files`, `${type} requires one FRONT and one BACK file`);
  }
  if (!type || !number || !country || !expiry || !files) return undefined;
  return { type, number, country, ...(issue !== undefined && { issue_date: issue }), expiry_date: expiry, files };
}

function checkProofOfAddress(c: FieldChecker, doc: JsonObject, ctx: V1AttachContext): FinV1ProofOfAddress | undefined {
  const p = 'proof_of_address';
  const type = readEnum(c, doc, p, 'type', v1AddressDocumentTypes, true);
  const country = readCountry(c, doc, p, 'country', true);
  if (country !== undefined && country !== ctx.addressCountry) c.add(`${p}.country`, 'Must match address.country');
  const issue = readDate(c, doc, p, 'issue_date', false);
  if (issue !== undefined) {
    if (issue > todayUtc()) c.add(`${p}.issue_date`, 'issue_date cannot be in the future');
    else if (type !== undefined && recentAddressProofs.includes(type)) {
      const oldest = todayUtc(new Date(Date.now() - 90 * 24 * 3600 * 1000));
      if (issue < oldest) c.add(`${p}.issue_date`, 'The document must have been issued within the last 90 days');
    }
  }
  const files = readFiles(c, doc, p, { min: 1, max: 3 }, ctx.ownedUris);
  if (!type || !country || !files) return undefined;
  return { type, country, ...(issue !== undefined && { issue_date: issue }), files };
}

/** The V1 attach body (customer_id already read), valid, or the 400 naming every bad field. */
export function validateV1Attach(body: JsonObject, ctx: V1AttachContext): FinV1AttachDocuments {
  const c = new FieldChecker();
  const identityDoc = readObject(c, body, '', 'proof_of_identity', true);
  const addressDoc = readObject(c, body, '', 'proof_of_address', true);
  const identity = identityDoc && checkProofOfIdentity(c, identityDoc, ctx);
  const address = addressDoc && checkProofOfAddress(c, addressDoc, ctx);
  const seen = new Map<string, string>();
  for (const [p, doc] of [
    ['proof_of_identity', identityDoc],
    ['proof_of_address', addressDoc],
  ] as const) {
    if (!doc || !Array.isArray(doc.files)) continue;
    doc.files.forEach((file: unknown, i: number) => {
      if (typeof file !== 'object' || file === null || !('uri' in file) || typeof file.uri !== 'string') return;
      const first = seen.get(file.uri);
      if (first !== undefined) c.add(`${p}.files.${i}.uri`, `Duplicate file uri; already used at ${first}`);
      else seen.set(file.uri, `${p}.files.${i}`);
    });
  }
  const tos = readString(c, body, '', 'tos_policies_value', { required: true, max: 100 });
  if (tos !== undefined && tos.toLowerCase() !== ctx.tosPoliciesValue)
    c.add('tos_policies_value', "tos_policies_value does not match the value of this customer's tos_policies_url");
  c.throwIfAny();
  if (!identity || !address) throw new Error('V1 attach body passed validation but a part is missing'); // cannot happen
  return { proof_of_identity: identity, proof_of_address: address };
}
