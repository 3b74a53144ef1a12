/** An answer to an RFI, as the answer form gives it and `POST /api/rfis/:id/answers` takes it. */
export interface RfiAnswerInput {
  /** The answer in words (for `text` items) or a note. */
  text?: string | undefined;
  /** Values for `field` items, by item key. */
  fields: Record<string, string>;
  /** One file per `document` item, by item key. */
  files: Record<string, File>;
}

/**
 * The multipart body: `text`, `fields` as a JSON object of item key → value, and one file part
 * per document item, the part named after the item's key.
 */
export function answerFormData({ text, fields, files }: RfiAnswerInput): FormData {
  const body = new FormData();
  if (text !== undefined && text.trim() !== '') body.append('text', text);
  if (Object.keys(fields).length > 0) body.append('fields', JSON.stringify(fields));
  for (const [key, file] of Object.entries(files)) body.append(key, file, file.name);
  return body;
}

/** The last part of an item key: `identifying_documents.PASSPORT.expiry_date` → `expiry_date`. */
const lastSegment = (key: string): string => key.split('.').at(-1) ?? key;

/**
 * A `field` item whose value is a calendar date, by its key: an expiry, issue or birth date
 * (`….expiry_date`, `….expirationDate`, `….issueDate`, `basic_info.dob`, `dateOfBirth`). Its
 * input is a date picker, whose value is YYYY-MM-DD, the form providers ask for.
 */
export function isDateItemKey(key: string): boolean {
  const last = lastSegment(key);
  return /(_date|Date)$/.test(last) || /^(dob|date_of_birth|dateOfBirth)$/i.test(last);
}

/** A date item that must lie in the future (a document's expiry date). */
export function isExpiryItemKey(key: string): boolean {
  return isDateItemKey(key) && /^expir/i.test(lastSegment(key));
}

/** "basic_info" → "Basic info", the way a provider's section key is shown. */
export function sectionLabel(section: string): string {
  const words = section
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
