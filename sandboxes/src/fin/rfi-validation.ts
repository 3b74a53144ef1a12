/**
 * The answer to an RFI: `{ fields: { "<section>.<field>": "value" }, documents: [{ type,
 * expiry_date?, files: [{ uri, side? }] }] }`. It must answer every requested item and
 * nothing else: an item that was not requested (a field key, a document type or any other
 * top-level key) is a 400 naming it ("... was not requested"); a requested one left out is
 * "... is required". Field values are non-blank ASCII strings of at most 255 characters,
 * `basic_info.phone` in E.164 and `basic_info.email` a lowercase address. Documents carry
 * 1 or 2 files uploaded for this customer, unique within the answer; an identity document
 * other than a SELFIE needs a future expiry_date. A field the RFI marks INVALID (the value on
 * file could not be verified) answered with that same value is refused: "... could not be
 * verified; send a different one".
 */

import { readFiles } from './attach-validation.js';
import { e164Pattern, emailPattern } from './customer-validation.js';
import { FieldChecker, isAscii, isObject, type JsonObject, readDate, readString, todayUtc } from './fields.js';
import { type FinRfiAnswer, type FinRfiDocumentAnswer, type FinRfiSection, identityDocumentTypes } from './wire.js';

function checkFieldValue(c: FieldChecker, key: string, value: unknown): string | undefined {
  const path = `fields.${key}`;
  if (typeof value !== 'string' || value.trim() === '') {
    c.add(path, `${key} must be a non-empty string`);
    return undefined;
  }
  const v = value.trim();
  if (v.length > 255 || !isAscii(v)) c.add(path, `${key} must be at most 255 English (Latin) characters`);
  else if (key === 'basic_info.phone' && !e164Pattern.test(v))
    c.add(path, 'phone must be in E.164 format, e.g. +14155552671');
  else if (key === 'basic_info.email' && (!emailPattern.test(v) || v !== v.toLowerCase()))
    c.add(path, 'Email must be a valid, all lowercase address');
  return v;
}

export function validateRfiAnswer(
  body: JsonObject,
  sections: FinRfiSection[],
  ownedUris: ReadonlySet<string>,
  /** The customer's values on file, by `<section>.<field>`. */
  onFile: (key: string) => unknown = () => undefined,
): FinRfiAnswer {
  const c = new FieldChecker();
  const requestedFields = sections.flatMap((s) => s.fields.map((f) => `${s.section}.${f.field}`));
  const invalidFields = sections.flatMap((s) =>
    s.fields.filter((f) => f.status === 'INVALID').map((f) => `${s.section}.${f.field}`),
  );
  const requestedDocuments = sections.flatMap((s) => s.documents.map((d) => d.document_type));

  for (const key of Object.keys(body)) {
    if (key !== 'fields' && key !== 'documents') c.add(key, `${key} was not requested`);
  }

  const fields: Record<string, string> = {};
  const givenFields = body.fields;
  if (givenFields !== undefined && !isObject(givenFields)) c.add('fields', 'fields must be an object');
  const fieldObject = isObject(givenFields) ? givenFields : {};
  for (const [key, value] of Object.entries(fieldObject)) {
    if (!requestedFields.includes(key)) c.add(`fields.${key}`, `${key} was not requested`);
    else {
      const checked = checkFieldValue(c, key, value);
      if (checked !== undefined && invalidFields.includes(key) && checked === onFile(key)) {
        c.add(`fields.${key}`, `${key.split('.').at(-1)} ${checked} could not be verified; send a different one`);
      } else if (checked !== undefined) fields[key] = checked;
    }
  }
  for (const key of requestedFields) if (!(key in fieldObject)) c.add(`fields.${key}`, `${key} is required`);

  const documents: FinRfiDocumentAnswer[] = [];
  const givenDocuments = body.documents;
  if (givenDocuments !== undefined && !Array.isArray(givenDocuments)) c.add('documents', 'documents must be an array');
  const documentList: unknown[] = Array.isArray(givenDocuments) ? givenDocuments : [];
  const answeredTypes = new Set<string>();
  const seenUris = new Set<string>();
  documentList.forEach((doc, i) => {
    const p = `documents.${i}`;
    if (!isObject(doc)) {
      c.add(p, 'Each document must be an object');
      return;
    }
    const type = readString(c, doc, p, 'type', { required: true, max: 30 });
    const requested = requestedDocuments.find((t) => t === type);
    if (type !== undefined && !requested) {
      c.add(`${p}.type`, `${type} was not requested`);
      return;
    }
    if (!requested) return;
    if (answeredTypes.has(requested)) {
      c.add(`${p}.type`, `${requested} is answered twice`);
      return;
    }
    answeredTypes.add(requested);
    const identity = identityDocumentTypes.some((t) => t === requested) && requested !== 'SELFIE';
    const expiry = identity ? readDate(c, doc, p, 'expiry_date', true) : undefined;
    if (expiry !== undefined && expiry <= todayUtc()) c.add(`${p}.expiry_date`, 'expiry_date must be in the future');
    const files = readFiles(c, doc, p, { min: 1, max: 2 }, ownedUris);
    files?.forEach((f, j) => {
      if (seenUris.has(f.uri)) c.add(`${p}.files.${j}.uri`, 'Duplicate file uri');
      seenUris.add(f.uri);
    });
    if (files) documents.push({ type: requested, ...(expiry !== undefined && { expiry_date: expiry }), files });
  });
  for (const type of requestedDocuments) {
    if (!answeredTypes.has(type)) c.add('documents', `${type} is required`);
  }
  c.throwIfAny();
  return { fields, documents };
}
