/**
 * Edge validation of the two bodies the API takes, reported as the guide's 400
 * `{ error: "BAD_REQUEST", message: "Validation failed: phoneNumber must be in E.164 format",
 * statusCode: 400 }`, with every bad field named in the message (joined by "; "). Field
 * names are as sent, relative to `kycData` (`address.country`, `documents[0].type`), as in
 * the guide's own message.
 *
 * Rules (the guide's, and where it is silent a careful API's):
 *   - phoneNumber E.164 (`^\+[1-9]\d{1,14}$`); dates YYYY-MM-DD and real calendar dates;
 *     dateOfBirth at least 18 years ago and not before 1900; nationality, address.country,
 *     nationalIdIssuingCountry and documents[].issuingCountry ISO 3166-1 alpha-2 (assigned
 *     codes, upper case); stateCode 2 letters; locale like "en-US"; the guide's enumerations.
 *   - Strings are non-blank, at most 200 characters; isIntermediary a boolean.
 *   - Unknown fields are refused (a misspelt field is a bug in the caller, not data to drop).
 *   - PATCH is a JSON merge patch of the stored data: fields sent replace stored ones, the
 *     address merges field by field, `documents` replaces the whole list, and null removes
 *     an optional field (legalMiddleName, address.addressLine2). Top-level fields may be
 *     left out (what is missing at review is requested); but an address, once given, must be
 *     complete after the merge, and every document complete: an ID needs number,
 *     issuingCountry, expirationDate (not past) and frontImageUrl; a proof of address needs
 *     issueDate (not future) and frontImageUrl. Image URLs are absolute http(s) URLs. At
 *     most 10 documents. `kycData` must hold at least one field.
 *   - Create takes `{ type: "INDIVIDUAL", email, firstName, lastName }`, all required
 *     (BUSINESS customers belong to the KYB guide and are not served by this sandbox).
 */
import { isAlpha2 } from '@desk/shared';
import { KycError } from './http.js';
import {
  accountPurposes,
  categoryOf,
  documentTypes,
  employmentStatuses,
  expectedMonthlyPayments,
  type KycAddress,
  type KycData,
  type KycDocument,
  nationalIdTypes,
  sourcesOfFunds,
} from './kyc-data.js';

const maxText = 200;
const maxDocuments = 10;
const e164 = /^\+[1-9]\d{1,14}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects every problem of a body before answering. */
class Problems {
  readonly list: string[] = [];

  add(field: string, rule: string): void {
    this.list.push(`${field} ${rule}`);
  }

  unknownFields(value: Fields, known: readonly string[], prefix: string): void {
    for (const key of Object.keys(value)) if (!known.includes(key)) this.add(`${prefix}${key}`, 'is not a known field');
  }

  text(field: string, value: unknown): string | undefined {
    if (typeof value !== 'string' || value.trim() === '') this.add(field, 'must be a non-empty string');
    else if (value.length > maxText) this.add(field, `must be at most ${maxText} characters`);
    else return value.trim();
    return undefined;
  }

  oneOf<T extends string>(field: string, value: unknown, values: readonly T[]): T | undefined {
    const found = values.find((v) => v === value);
    if (found === undefined) this.add(field, `must be one of ${values.join(', ')}`);
    return found;
  }

  country(field: string, value: unknown): string | undefined {
    if (typeof value === 'string' && isAlpha2(value)) return value;
    this.add(field, 'must be an ISO 3166-1 alpha-2 country code (e.g. "US")');
    return undefined;
  }

  date(field: string, value: unknown): string | undefined {
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      const date = new Date(`${value}T00:00:00Z`);
      if (!Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value) return value;
    }
    this.add(field, 'must be in YYYY-MM-DD format');
    return undefined;
  }

  url(field: string, value: unknown): string | undefined {
    if (typeof value === 'string' && value.length <= 2048 && URL.canParse(value)) {
      const protocol = new URL(value).protocol;
      if (protocol === 'https:' || protocol === 'http:') return value;
    }
    this.add(field, 'must be an absolute http(s) URL');
    return undefined;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw KycError.validation(this.list);
  }
}

/** Today as YYYY-MM-DD (UTC), and the same day `years` years ago. */
function today(yearsAgo = 0): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear() - yearsAgo, now.getUTCMonth(), now.getUTCDate()))
    .toISOString()
    .slice(0, 10);
}

export type CreateCustomerBody = { type: 'INDIVIDUAL'; email: string; firstName: string; lastName: string };

export function parseCreateCustomerBody(body: unknown): CreateCustomerBody {
  const problems = new Problems();
  if (!isObject(body)) throw KycError.validation(['body must be a JSON object']);
  problems.unknownFields(body, ['type', 'email', 'firstName', 'lastName'], '');
  if (body.type === undefined) problems.add('type', 'is required');
  else if (body.type !== 'INDIVIDUAL') problems.add('type', 'must be INDIVIDUAL');
  let email: string | undefined;
  if (body.email === undefined) problems.add('email', 'is required');
  else if (typeof body.email !== 'string' || body.email.length > 254 || !emailPattern.test(body.email.trim())) {
    problems.add('email', 'must be a valid email address');
  } else email = body.email.trim().toLowerCase();
  const names = (['firstName', 'lastName'] as const).map((field) => {
    if (body[field] !== undefined) return problems.text(field, body[field]);
    problems.add(field, 'is required');
    return undefined;
  });
  problems.throwIfAny();
  const [firstName, lastName] = names;
  if (email === undefined || firstName === undefined || lastName === undefined)
    throw new Error('unreachable: validated above');
  return { type: 'INDIVIDUAL', email, firstName, lastName };
}

const addressFields = [
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'stateCode',
  'postalCode',
  'country',
  'locale',
] as const;
const documentFields = [
  'type',
  'number',
  'issuingCountry',
  'expirationDate',
  'issueDate',
  'frontImageUrl',
  'backImageUrl',
] as const;
const kycFields = [
  'legalFirstName',
  'legalLastName',
  'legalMiddleName',
  'phoneNumber',
  'dateOfBirth',
  'nationality',
  'address',
  'nationalIdType',
  'nationalIdNumber',
  'nationalIdIssuingCountry',
  'employmentStatus',
  'mostRecentOccupation',
  'sourceOfFunds',
  'accountPurpose',
  'expectedMonthlyPaymentsUsd',
  'isIntermediary',
  'documents',
] as const;

function mergeAddress(problems: Problems, patch: unknown, stored: KycAddress | undefined): KycAddress | undefined {
  if (!isObject(patch)) {
    problems.add('address', 'must be an object');
    return undefined;
  }
  problems.unknownFields(patch, addressFields, 'address.');
  const merged: Fields = { ...stored };
  for (const field of addressFields) {
    const value = patch[field];
    if (value === undefined) continue;
    const path = `address.${field}`;
    if (value === null) {
      if (field === 'addressLine2') delete merged[field];
      else problems.add(path, 'is required');
      continue;
    }
    if (field === 'country') merged[field] = problems.country(path, value);
    else if (field === 'stateCode') {
      if (typeof value === 'string' && /^[A-Z]{2}$/.test(value)) merged[field] = value;
      else problems.add(path, 'must be a 2-letter state code (e.g. "CA")');
    } else if (field === 'locale') {
      if (typeof value === 'string' && /^[a-z]{2,3}-[A-Z]{2}$/.test(value)) merged[field] = value;
      else problems.add(path, 'must be a language and region such as "en-US"');
    } else merged[field] = problems.text(path, value);
  }
  for (const field of addressFields) {
    if (field !== 'addressLine2' && merged[field] === undefined && patch[field] === undefined)
      problems.add(`address.${field}`, 'is required');
  }
  return merged as KycAddress;
}

function parseDocument(problems: Problems, value: unknown, index: number): KycDocument | undefined {
  const prefix = `documents[${index}].`;
  if (!isObject(value)) {
    problems.add(`documents[${index}]`, 'must be an object');
    return undefined;
  }
  problems.unknownFields(value, documentFields, prefix);
  const type = problems.oneOf(`${prefix}type`, value.type, documentTypes);
  const document: Fields = { type };
  const isId = type !== undefined && categoryOf(type) === 'GOVERNMENT_ID';
  const required = isId
    ? ['number', 'issuingCountry', 'expirationDate', 'frontImageUrl']
    : ['frontImageUrl', ...(type ? ['issueDate'] : [])];
  for (const field of documentFields) {
    const given = value[field];
    const path = `${prefix}${field}`;
    if (field === 'type') continue;
    if (given === undefined || given === null) {
      if (required.includes(field)) problems.add(path, 'is required');
      continue;
    }
    if (field === 'issuingCountry') document[field] = problems.country(path, given);
    else if (field === 'frontImageUrl' || field === 'backImageUrl') document[field] = problems.url(path, given);
    else if (field === 'expirationDate') {
      const date = problems.date(path, given);
      if (date !== undefined && date < today()) problems.add(path, 'must not be in the past (the document is expired)');
      document[field] = date;
    } else if (field === 'issueDate') {
      const date = problems.date(path, given);
      if (date !== undefined && date > today()) problems.add(path, 'must not be in the future');
      document[field] = date;
    } else document[field] = problems.text(path, given);
  }
  return document as KycDocument;
}

function parseDocuments(problems: Problems, value: unknown): KycDocument[] | undefined {
  if (!Array.isArray(value)) {
    problems.add('documents', 'must be an array');
    return undefined;
  }
  if (value.length > maxDocuments) problems.add('documents', `must hold at most ${maxDocuments} documents`);
  return value.map((d: unknown, i) => parseDocument(problems, d, i)).filter((d) => d !== undefined);
}

function checkDateOfBirth(problems: Problems, value: unknown): string | undefined {
  const date = problems.date('dateOfBirth', value);
  if (date === undefined) return undefined;
  if (date < '1900-01-01') problems.add('dateOfBirth', 'must be on or after 1900-01-01');
  else if (date > today(18))
    problems.add('dateOfBirth', 'must be at least 18 years ago: customers must be at least 18 years old');
  return date;
}

/** One top-level field of kycData, checked; undefined when it is bad (a problem is recorded). */
function parseKycField(
  problems: Problems,
  field: (typeof kycFields)[number],
  value: unknown,
  stored: KycData,
): unknown {
  switch (field) {
    case 'phoneNumber':
      if (typeof value === 'string' && e164.test(value)) return value;
      problems.add(field, 'must be in E.164 format');
      return undefined;
    case 'dateOfBirth':
      return checkDateOfBirth(problems, value);
    case 'nationality':
    case 'nationalIdIssuingCountry':
      return problems.country(field, value);
    case 'nationalIdType':
      return problems.oneOf(field, value, nationalIdTypes);
    case 'employmentStatus':
      return problems.oneOf(field, value, employmentStatuses);
    case 'sourceOfFunds':
      return problems.oneOf(field, value, sourcesOfFunds);
    case 'accountPurpose':
      return problems.oneOf(field, value, accountPurposes);
    case 'expectedMonthlyPaymentsUsd':
      return problems.oneOf(field, value, expectedMonthlyPayments);
    case 'isIntermediary':
      if (typeof value === 'boolean') return value;
      problems.add(field, 'must be a boolean');
      return undefined;
    case 'address':
      return mergeAddress(problems, value, stored.address);
    case 'documents':
      return parseDocuments(problems, value);
    default:
      return problems.text(field, value);
  }
}

/**
 * Checks a PATCH body `{ kycData }` against the stored data and returns the merged data, or
 * throws the 400 naming every bad field.
 */
export function mergeKycPatch(body: unknown, stored: KycData): KycData {
  if (!isObject(body)) throw KycError.validation(['body must be a JSON object']);
  const problems = new Problems();
  problems.unknownFields(body, ['kycData'], '');
  const patch = body.kycData;
  if (patch === undefined) problems.add('kycData', 'is required');
  else if (!isObject(patch)) problems.add('kycData', 'must be an object');
  else if (Object.keys(patch).length === 0) problems.add('kycData', 'must contain at least one field');
  if (!isObject(patch)) throw KycError.validation(problems.list);
  problems.unknownFields(patch, kycFields, '');
  const merged: Record<string, unknown> = { ...stored };
  for (const field of kycFields) {
    const value = patch[field];
    if (value === undefined) continue;
    if (value === null) {
      if (field === 'legalMiddleName') delete merged[field];
      else problems.add(field, 'is required');
      continue;
    }
    merged[field] = parseKycField(problems, field, value, stored);
  }
  problems.throwIfAny();
  return merged as KycData;
}
