/** Reading exported files in tests: CSV (with Postgres's NULL) and NDJSON, as rows by column. */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';

export type Row = Record<string, string | null>;
export type JsonRow = Record<string, string | boolean | null>;

/** RFC 4180 with Postgres's NULL: an unquoted empty field is null, `""` is the empty string. */
function parseCsv(text: string): (string | null)[][] {
  const records: (string | null)[][] = [];
  let record: (string | null)[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  const endField = () => {
    record.push(quoted || field !== '' ? field : null);
    field = '';
    quoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        inQuotes = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      inQuotes = true;
      quoted = true;
    } else if (c === ',') {
      endField();
    } else if (c === '\n') {
      endField();
      records.push(record);
      record = [];
    } else {
      field += c;
    }
  }
  if (field !== '' || quoted || record.length > 0) {
    endField();
    records.push(record);
  }
  return records;
}

export function csvRows(text: string): { header: string[]; rows: Row[] } {
  const [header, ...records] = parseCsv(text);
  const names = (header ?? []).map((h) => h ?? '');
  return { header: names, rows: records.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? null]))) };
}

export function ndjsonRows(text: string): JsonRow[] {
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JsonRow);
}

/** NDJSON booleans as the CSV writes them, to compare the two formats. */
export const asText = (rows: JsonRow[]): Row[] =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : v])));

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
