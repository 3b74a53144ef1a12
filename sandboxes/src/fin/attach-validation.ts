/**
 * `POST /v2/customers/{customer_id}/individual/attach`: the body rules of the guide, every
 * failure under its dotted path (`identifying_documents.1.files.0.side`). The customer's
 * status (403) and the in-flight guard (409) are checked before this, by the service.
 *
 *   identifying_documents  at least one entry; at most one non-SELFIE document; at most one
 *       SELFIE, exactly one with at least one file when the client requires a selfie
 *       (`requireSelfie`). Non-SELFIE documents need number, country (alpha-3) and a future
 *       expiry_date; issue_date is optional, not in the future and before expiry_date.
 *       PASSPORT: 1 file, side optional. NATIONAL_ID, DRIVERS_LICENSE, RESIDENCE_PERMIT:
 *       2 files, one FRONT and one BACK. SELFIE: 1 file. `state` (ISO 3166-2 of the
 *       document's country) is required on a DRIVERS_LICENSE from USA, optional on other
 *       driving licences, forbidden on every other type (SELFIE included: "N/A").
 *   address_documents  exactly one entry, of UTILITY_BILL, BANK_STATEMENT or
 *       GOVERNMENT_LETTER, 1 to 3 files, country = the customer's country_of_residence;
 *       an issue_date, if sent, within the last 90 days.
 *   files  every uri must have been uploaded for this customer; uris are unique across the
 *       request, SELFIE excluded (the guide's Pitfalls: a selfie may reuse a file).
 *   tos_policies_value  optional in V2; when sent it must be this customer's value.
 */
import { subdivisionProblem } from './countries.js';
import { readCountry } from './customer-validation.js';
import {
  FieldChecker,
  isObject,
  type JsonObject,
  readArray,
  readDate,
  readEnum,
  readString,
  todayUtc,
} from './fields.js';
import {
  addressDocumentTypes,
  type FinAddressDocument,
  type FinAttachDocuments,
  type FinFileRef,
  type FinIdentityDocument,
  fileSides,
  type IdentityDocumentType,
  identityDocumentTypes,
} from './wire.js';

export type AttachContext = {
  countryOfResidence: string;
  tosPoliciesValue: string;
  requireSelfie: boolean;
  /** The URIs among `uris` that were uploaded for this customer. */
  ownedUris: ReadonlySet<string>;
};

export const twoSided: readonly IdentityDocumentType[] = ['NATIONAL_ID', 'DRIVERS_LICENSE', 'RESIDENCE_PERMIT'];

/** Every uri string anywhere in the body: the service looks their owners up first. */
export function urisIn(body: JsonObject): string[] {
  const uris: string[] = [];
  // V1 sends one object each (proof_of_identity, proof_of_address) where V2 sends arrays.
  const single = [body.proof_of_identity, body.proof_of_address].filter(isObject);
  for (const list of [body.identifying_documents, body.address_documents, body.documents, single]) {
    if (!Array.isArray(list)) continue;
    for (const doc of list) {
      if (!isObject(doc) || !Array.isArray(doc.files)) continue;
      for (const file of doc.files) if (isObject(file) && typeof file.uri === 'string') uris.push(file.uri);
    }
  }
  return uris;
}

/** Reads `files`; checks count and sides; records uris for the uniqueness check. */
export function readFiles(
  c: FieldChecker,
  doc: JsonObject,
  p: string,
  count: { min: number; max: number },
  ownedUris: ReadonlySet<string>,
): FinFileRef[] | undefined {
  const list = readArray(c, doc, p, 'files', true);
  if (!list) return undefined;
  if (list.length < count.min || list.length > count.max) {
    c.add(
      `${p}.files`,
      count.min === count.max
        ? `Exactly ${count.min} file(s) required`
        : `Between ${count.min} and ${count.max} files required`,
    );
  }
  const files: FinFileRef[] = [];
  list.forEach((file, i) => {
    const fp = `${p}.files.${i}`;
    if (!isObject(file)) {
      c.add(fp, 'Each file must be an object with a uri');
      return;
    }
    const uri = readString(c, file, fp, 'uri', { required: true, max: 200 });
    const side = readEnum(c, file, fp, 'side', fileSides, false);
    if (uri !== undefined && !ownedUris.has(uri))
      c.add(`${fp}.uri`, 'File not found for this customer; upload it first with POST /v1/customers/upload');
    if (uri !== undefined) files.push({ uri, ...(side !== undefined && { side }) });
  });
  return files.length === list.length ? files : undefined;
}

export function readExpiry(c: FieldChecker, doc: JsonObject, p: string, required: boolean): string | undefined {
  const expiry = readDate(c, doc, p, 'expiry_date', required);
  if (expiry !== undefined && expiry <= todayUtc()) c.add(`${p}.expiry_date`, 'expiry_date must be in the future');
  return expiry;
}

function checkIdentityDocument(
  c: FieldChecker,
  doc: JsonObject,
  p: string,
  ctx: AttachContext,
): FinIdentityDocument | undefined {
  const type = readEnum(c, doc, p, 'type', identityDocumentTypes, true);
  if (type === undefined) return undefined;
  const selfie = type === 'SELFIE';
  const number = selfie ? undefined : readString(c, doc, p, 'number', { required: true, max: 50 });
  const country = selfie ? undefined : readCountry(c, doc, p, 'country', true);
  const state = readString(c, doc, p, 'state', { required: false, max: 6 });
  if (type === 'DRIVERS_LICENSE') {
    if (state === undefined && country === 'USA')
      c.add(`${p}.state`, 'state is required for a DRIVERS_LICENSE issued in USA');
    const problem = state !== undefined && country !== undefined ? subdivisionProblem(state, country) : null;
    if (problem) c.add(`${p}.state`, problem);
  } else if (state !== undefined) {
    c.add(`${p}.state`, `state is not allowed for ${type}`);
  }
  const issue = selfie ? undefined : readDate(c, doc, p, 'issue_date', false);
  const expiry = selfie ? undefined : readExpiry(c, doc, p, true);
  if (issue !== undefined && issue > todayUtc()) c.add(`${p}.issue_date`, 'issue_date cannot be in the future');
  if (issue !== undefined && expiry !== undefined && issue >= expiry)
    c.add(`${p}.issue_date`, 'issue_date must be before expiry_date');
  const sided = twoSided.includes(type);
  const files = readFiles(c, doc, p, sided ? { min: 2, max: 2 } : { min: 1, max: 1 }, ctx.ownedUris);
  const fileErrors = Object.keys(c.errors).some((k) => k.startsWith(`${p}.files.`));
  if (files && sided && !fileErrors) {
    const sides = files.map((f) => f.side);
    if (!sides.includes('FRONT') || !sides.includes('BACK'))
      c.add(`${p}.files`, `${type} requires one FRONT and one BACK file`);
  }
  if (!files) return undefined;
  return {
    type,
    ...(number !== undefined && { number }),
    ...(country !== undefined && { country }),
    ...(state !== undefined && { state }),
    ...(issue !== undefined && { issue_date: issue }),
    ...(expiry !== undefined && { expiry_date: expiry }),
    files,
  };
}

function checkAddressDocument(
  c: FieldChecker,
  doc: JsonObject,
  p: string,
  ctx: AttachContext,
): FinAddressDocument | undefined {
  const type = readEnum(c, doc, p, 'type', addressDocumentTypes, true);
  const country = readCountry(c, doc, p, 'country', true);
  if (country !== undefined && country !== ctx.countryOfResidence)
    c.add(`${p}.country`, 'Must match basic_info.country_of_residence');
  const issue = readDate(c, doc, p, 'issue_date', false);
  if (issue !== undefined) {
    const oldest = todayUtc(new Date(Date.now() - 90 * 24 * 3600 * 1000));
    if (issue > todayUtc() || issue < oldest)
      c.add(`${p}.issue_date`, 'The document must have been issued within the last 90 days');
  }
  const files = readFiles(c, doc, p, { min: 1, max: 3 }, ctx.ownedUris);
  if (!type || !country || !files) return undefined;
  return { type, country, ...(issue !== undefined && { issue_date: issue }), files };
}

/** Flags uris used twice; SELFIE files are left out of the check. */
function checkUniqueUris(c: FieldChecker, entries: { path: string; selfie: boolean; doc: JsonObject }[]): void {
  const seen = new Map<string, string>();
  for (const { path, selfie, doc } of entries) {
    if (selfie || !Array.isArray(doc.files)) continue;
    doc.files.forEach((file, i) => {
      if (!isObject(file) || typeof file.uri !== 'string') return;
      const first = seen.get(file.uri);
      if (first !== undefined) c.add(`${path}.files.${i}.uri`, `Duplicate file uri; already used at ${first}`);
      else seen.set(file.uri, `${path}.files.${i}`);
    });
  }
}

export function validateAttach(body: JsonObject, ctx: AttachContext): FinAttachDocuments {
  const c = new FieldChecker();
  const identity = readArray(c, body, '', 'identifying_documents', true) ?? [];
  const address = readArray(c, body, '', 'address_documents', true) ?? [];
  const entries: { path: string; selfie: boolean; doc: JsonObject }[] = [];
  const identifying: FinIdentityDocument[] = [];
  identity.forEach((doc, i) => {
    const p = `identifying_documents.${i}`;
    if (!isObject(doc)) {
      c.add(p, 'Each document must be an object');
      return;
    }
    entries.push({ path: p, selfie: doc.type === 'SELFIE', doc });
    const checked = checkIdentityDocument(c, doc, p, ctx);
    if (checked) identifying.push(checked);
  });
  const types = identity.map((d) => (isObject(d) ? d.type : undefined));
  if (types.filter((t) => t !== 'SELFIE' && t !== undefined).length > 1) {
    c.add('identifying_documents', 'At most one non-SELFIE identity document may be included per request');
  }
  const selfies = types.filter((t) => t === 'SELFIE').length;
  if (selfies > 1) c.add('identifying_documents', 'At most one SELFIE entry may be included');
  if (ctx.requireSelfie && selfies === 0 && identity.length > 0)
    c.add('identifying_documents', 'A SELFIE entry is required for your client');

  if (address.length > 1) c.add('address_documents', 'Exactly one address_documents entry is required');
  const addressDocuments: FinAddressDocument[] = [];
  address.forEach((doc, i) => {
    const p = `address_documents.${i}`;
    if (!isObject(doc)) {
      c.add(p, 'Each document must be an object');
      return;
    }
    entries.push({ path: p, selfie: false, doc });
    const checked = checkAddressDocument(c, doc, p, ctx);
    if (checked) addressDocuments.push(checked);
  });
  checkUniqueUris(c, entries);

  const tos = readString(c, body, '', 'tos_policies_value', { required: false, max: 100 });
  if (tos !== undefined && tos.toLowerCase() !== ctx.tosPoliciesValue) {
    c.add('tos_policies_value', "tos_policies_value does not match the value of this customer's tos_policies_url");
  }
  c.throwIfAny();
  return { identifying_documents: identifying, address_documents: addressDocuments };
}
