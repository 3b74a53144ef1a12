/**
 * `POST /v2/customers/individual`: every rule of the guide, each failure reported under its
 * dotted path, all at once. Where the guide is silent the sandbox is strict, as a KYC API
 * should be, and says so here:
 *
 *   - Unknown fields are ignored. Strings are trimmed; blank counts as absent; at most 255
 *     characters (meta_data values 500, at most 20 keys).
 *   - Names and streets may hold non-ASCII characters only when their `_en` field carries an
 *     ASCII transliteration; every other text field (city, postal code, remarks, ...) must
 *     be ASCII ("All fields must use only English (Latin) characters").
 *   - dob: a real date; age (whole years, UTC) 18 to 120 inclusive.
 *   - email: one @, a dotted domain, no spaces; all lowercase.
 *   - phone: E.164, `+` then 2 to 15 digits, the first not 0.
 *   - countries: assigned ISO 3166-1 alpha-3 codes, upper case.
 *   - tax_info: at least one entry, document_id unique (case- and space-insensitive); for
 *     country_code USA the id must be `xxx-xx-xxxx`; elsewhere 4–30 letters, digits,
 *     spaces, `-`, `.` or `/` (the sandbox cannot know every country's format).
 *   - address: subdivision_code ISO 3166-2 of address.country (USA: a real state); a USA
 *     postal_code is a ZIP (`94103` or `94103-1234`); country = basic_info.country_of_residence.
 *   - financial_profile: catalogue ids must exist and be INDIVIDUAL; source_of_fund_ids
 *     non-empty and without repeats; monthly_volume_usd an integer ≥ 0.
 *   - verification_type is checked here for presence and value; RELIANCE on a valid body
 *     is refused afterwards with the guide's 423 (validation first, then entitlement).
 */
import { individualPurposeExists, individualSourceOfFundsExists, occupationExists } from './catalogue.js';
import { isAlpha3, subdivisionProblem } from './countries.js';
import {
  ageOn,
  FieldChecker,
  isAscii,
  isObject,
  type JsonObject,
  readArray,
  readDate,
  readEnum,
  readInteger,
  readObject,
  readString,
  todayUtc,
} from './fields.js';

export const finVerificationTypes = ['STANDARD', 'RELIANCE'] as const;
export type FinVerificationType = (typeof finVerificationTypes)[number];
export const finEmploymentStatuses = ['EMPLOYED', 'SELF_EMPLOYED', 'RETIRED', 'STUDENT', 'UNEMPLOYED'] as const;
export type FinEmploymentStatus = (typeof finEmploymentStatuses)[number];
export const finGenders = ['MALE', 'FEMALE'] as const;

export type FinTaxDocument = { country_code: string; document_type: string; document_id: string };

export type FinBasicInfo = {
  first_name: string;
  first_name_en?: string;
  middle_name?: string;
  middle_name_en?: string;
  last_name: string;
  last_name_en?: string;
  dob: string;
  email: string;
  phone: string;
  country_of_residence: string;
  primary_nationality: string;
  secondary_nationality?: string;
  gender?: (typeof finGenders)[number];
  tax_info: FinTaxDocument[];
};

export type FinAddress = {
  street_line_1: string;
  street_line_1_en?: string;
  street_line_2?: string;
  street_line_2_en?: string;
  city: string;
  subdivision_code: string;
  postal_code: string;
  country: string;
};

export type FinFinancialProfile = {
  employment_status: FinEmploymentStatus;
  occupation_id: number;
  purpose_id: number;
  purpose_remarks?: string;
  source_of_fund_ids: number[];
  source_of_funds_description?: string;
  monthly_volume_usd: number;
};

export type CreateCustomerBody = {
  verification_type: FinVerificationType;
  basic_info: FinBasicInfo;
  address: FinAddress;
  financial_profile: FinFinancialProfile;
  meta_data: Record<string, string> | null;
};

export const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const e164Pattern = /^\+[1-9]\d{1,14}$/;
export const ssnPattern = /^\d{3}-\d{2}-\d{4}$/;
export const otherTinPattern = /^[A-Za-z0-9][A-Za-z0-9 ./-]{2,28}[A-Za-z0-9]$/;

/** A text field that must be ASCII. */
export function readAsciiText(
  c: FieldChecker,
  obj: JsonObject,
  prefix: string,
  key: string,
  required: boolean,
): string | undefined {
  const value = readString(c, obj, prefix, key, { required });
  if (value !== undefined && !isAscii(value)) {
    c.add(`${prefix}.${key}`, `${key} must contain only English (Latin) characters`);
  }
  return value;
}

/** A field that may be non-ASCII only with an ASCII `<key>_en` transliteration. */
function readTransliterated(
  c: FieldChecker,
  obj: JsonObject,
  prefix: string,
  key: string,
  required: boolean,
): { value?: string; en?: string } {
  const value = readString(c, obj, prefix, key, { required });
  const enKey = `${key}_en`;
  const en = readString(c, obj, prefix, enKey, { required: false });
  if (en !== undefined && !isAscii(en))
    c.add(`${prefix}.${enKey}`, `${enKey} must contain only English (Latin) characters`);
  if (value !== undefined && !isAscii(value) && en === undefined && !c.has(`${prefix}.${enKey}`)) {
    c.add(`${prefix}.${enKey}`, `${enKey} is required when ${key} contains non-ASCII characters`);
  }
  return { ...(value !== undefined && { value }), ...(en !== undefined && { en }) };
}

export function readCountry(
  c: FieldChecker,
  obj: JsonObject,
  prefix: string,
  key: string,
  required: boolean,
): string | undefined {
  const value = readString(c, obj, prefix, key, { required, max: 3 });
  if (value === undefined) return undefined;
  if (!isAlpha3(value)) {
    c.add(`${prefix}.${key}`, `${key} must be an ISO 3166-1 alpha-3 country code (e.g. USA)`);
    return undefined;
  }
  return value;
}

function checkBasicInfo(c: FieldChecker, info: JsonObject): FinBasicInfo | undefined {
  const p = 'basic_info';
  const first = readTransliterated(c, info, p, 'first_name', true);
  const middle = readTransliterated(c, info, p, 'middle_name', false);
  const last = readTransliterated(c, info, p, 'last_name', true);

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
  if (phone !== undefined && !e164Pattern.test(phone)) {
    c.add(`${p}.phone`, 'phone must be in E.164 format, e.g. +14155552671');
  }

  const residence = readCountry(c, info, p, 'country_of_residence', true);
  const primary = readCountry(c, info, p, 'primary_nationality', true);
  const secondary = readCountry(c, info, p, 'secondary_nationality', false);
  const gender = readEnum(c, info, p, 'gender', finGenders, false);
  const taxInfo = checkTaxInfo(c, info);

  if (!first.value || !last.value || !dob || !email || !phone || !residence || !primary || !taxInfo) return undefined;
  return {
    first_name: first.value,
    ...(first.en !== undefined && { first_name_en: first.en }),
    ...(middle.value !== undefined && { middle_name: middle.value }),
    ...(middle.en !== undefined && { middle_name_en: middle.en }),
    last_name: last.value,
    ...(last.en !== undefined && { last_name_en: last.en }),
    dob,
    email,
    phone,
    country_of_residence: residence,
    primary_nationality: primary,
    ...(secondary !== undefined && { secondary_nationality: secondary }),
    ...(gender !== undefined && { gender }),
    tax_info: taxInfo,
  };
}

function checkTaxInfo(c: FieldChecker, info: JsonObject): FinTaxDocument[] | undefined {
  const entries = readArray(c, info, 'basic_info', 'tax_info', true);
  if (!entries) return undefined;
  const documents: FinTaxDocument[] = [];
  const seen = new Map<string, number>();
  entries.forEach((entry, i) => {
    const p = `basic_info.tax_info.${i}`;
    if (!isObject(entry)) {
      c.add(p, 'Each tax_info entry must be an object');
      return;
    }
    const country = readCountry(c, entry, p, 'country_code', true);
    const type = readAsciiText(c, entry, p, 'document_type', true);
    const id = readString(c, entry, p, 'document_id', { required: true, max: 30 });
    if (id === undefined) return;
    if (country === 'USA' && !ssnPattern.test(id)) {
      c.add(`${p}.document_id`, 'TIN must be in SSN format (xxx-xx-xxxx) for USA customers');
    } else if (country !== undefined && country !== 'USA' && !otherTinPattern.test(id)) {
      c.add(`${p}.document_id`, `document_id is not a valid tax identification number for ${country}`);
    }
    const normalised = id.replace(/[\s-]/g, '').toUpperCase();
    const first = seen.get(normalised);
    if (first !== undefined) c.add(`${p}.document_id`, `document_id must be unique; it repeats tax_info.${first}`);
    else seen.set(normalised, i);
    if (country && type) documents.push({ country_code: country, document_type: type.toUpperCase(), document_id: id });
  });
  return documents.length === entries.length ? documents : undefined;
}

function checkAddress(c: FieldChecker, address: JsonObject, residence: unknown): FinAddress | undefined {
  const p = 'address';
  const line1 = readTransliterated(c, address, p, 'street_line_1', true);
  const line2 = readTransliterated(c, address, p, 'street_line_2', false);
  const city = readAsciiText(c, address, p, 'city', true);
  const subdivision = readString(c, address, p, 'subdivision_code', { required: true, max: 6 });
  const postal = readAsciiText(c, address, p, 'postal_code', true);
  const country = readCountry(c, address, p, 'country', true);
  if (
    country !== undefined &&
    typeof residence === 'string' &&
    isAlpha3(residence.trim()) &&
    country !== residence.trim()
  ) {
    c.add(`${p}.country`, 'Must match basic_info.country_of_residence');
  }
  if (subdivision !== undefined && country !== undefined) {
    const problem = subdivisionProblem(subdivision, country);
    if (problem) c.add(`${p}.subdivision_code`, problem);
  }
  if (postal !== undefined && country === 'USA' && !/^\d{5}(-\d{4})?$/.test(postal)) {
    c.add(`${p}.postal_code`, 'postal_code must be a US ZIP code (94103 or 94103-1234)');
  }
  if (!line1.value || !city || !subdivision || !postal || !country) return undefined;
  return {
    street_line_1: line1.value,
    ...(line1.en !== undefined && { street_line_1_en: line1.en }),
    ...(line2.value !== undefined && { street_line_2: line2.value }),
    ...(line2.en !== undefined && { street_line_2_en: line2.en }),
    city,
    subdivision_code: subdivision,
    postal_code: postal,
    country,
  };
}

function checkFinancialProfile(c: FieldChecker, profile: JsonObject): FinFinancialProfile | undefined {
  const p = 'financial_profile';
  const employment = readEnum(c, profile, p, 'employment_status', finEmploymentStatuses, true);
  const occupation = readInteger(c, profile, p, 'occupation_id', true);
  if (occupation !== undefined && !occupationExists(occupation))
    c.add(`${p}.occupation_id`, 'occupation_id does not exist; see GET /v1/occupations');
  const purpose = readInteger(c, profile, p, 'purpose_id', true);
  if (purpose !== undefined && !individualPurposeExists(purpose)) {
    c.add(`${p}.purpose_id`, 'purpose_id does not exist for INDIVIDUAL; see GET /v1/purposes?type=INDIVIDUAL');
  }
  const remarks = readAsciiText(c, profile, p, 'purpose_remarks', false);
  const sources = readArray(c, profile, p, 'source_of_fund_ids', true);
  const sourceIds: number[] = [];
  sources?.forEach((id, i) => {
    const path = `${p}.source_of_fund_ids.${i}`;
    if (typeof id !== 'number' || !Number.isSafeInteger(id))
      c.add(path, 'Each source_of_fund_ids item must be an integer');
    else if (!individualSourceOfFundsExists(id))
      c.add(path, `Source of funds ${id} does not exist for INDIVIDUAL; see GET /v1/source-of-funds?type=INDIVIDUAL`);
    else if (sourceIds.includes(id)) c.add(path, `Source of funds ${id} is listed twice`);
    else sourceIds.push(id);
  });
  const description = readAsciiText(c, profile, p, 'source_of_funds_description', false);
  const volume = readInteger(c, profile, p, 'monthly_volume_usd', true);
  if (volume !== undefined && volume < 0)
    c.add(`${p}.monthly_volume_usd`, 'monthly_volume_usd must be 0 or more (whole US dollars)');

  if (
    !employment ||
    occupation === undefined ||
    purpose === undefined ||
    !sources ||
    sourceIds.length !== sources.length ||
    volume === undefined
  ) {
    return undefined;
  }
  return {
    employment_status: employment,
    occupation_id: occupation,
    purpose_id: purpose,
    ...(remarks !== undefined && { purpose_remarks: remarks }),
    source_of_fund_ids: sourceIds,
    ...(description !== undefined && { source_of_funds_description: description }),
    monthly_volume_usd: volume,
  };
}

export function checkMetaData(c: FieldChecker, body: JsonObject): Record<string, string> | null {
  const meta = readObject(c, body, '', 'meta_data', false);
  if (!meta) return null;
  const entries = Object.entries(meta);
  if (entries.length > 20) c.add('meta_data', 'meta_data may hold at most 20 keys');
  for (const [key, value] of entries) {
    if (typeof value !== 'string' || value.length > 500)
      c.add(`meta_data.${key}`, 'Each meta_data value must be a string of at most 500 characters');
  }
  return Object.fromEntries(entries.filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The create body, valid, or the 400 naming every bad field. */
export function validateCreateCustomer(body: JsonObject): CreateCustomerBody {
  const c = new FieldChecker();
  const verificationType = readEnum(c, body, '', 'verification_type', finVerificationTypes, true);
  const info = readObject(c, body, '', 'basic_info', true);
  const address = readObject(c, body, '', 'address', true);
  const profile = readObject(c, body, '', 'financial_profile', true);
  const basicInfo = info && checkBasicInfo(c, info);
  const checkedAddress = address && checkAddress(c, address, info?.country_of_residence);
  const financialProfile = profile && checkFinancialProfile(c, profile);
  const metaData = checkMetaData(c, body);
  c.throwIfAny();
  if (!verificationType || !basicInfo || !checkedAddress || !financialProfile) {
    throw new Error('create body passed validation but a part is missing'); // cannot happen
  }
  return {
    verification_type: verificationType,
    basic_info: basicInfo,
    address: checkedAddress,
    financial_profile: financialProfile,
    meta_data: metaData,
  };
}
