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
