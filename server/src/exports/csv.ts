/**
 * CSV exactly as Postgres's `COPY ... WITH (FORMAT csv)` writes it (default quote `"`, delimiter
 * `,`, NULL as an empty unquoted field, `\n` line ends): a value is quoted when it holds the
 * delimiter, a quote, CR or LF, when it is the empty string (to tell it from NULL), or when it
 * is `\.` alone on a one-column line; quotes inside are doubled.
 */
const needsQuote = /[",\n\r]/;

export function csvField(value: string | null, singleColumn: boolean): string {
  if (value === null) return '';
  const quote = value === '' || needsQuote.test(value) || (singleColumn && value === '\\.');
  return quote ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRecord(values: readonly (string | null)[]): string {
  const single = values.length === 1;
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ',';
    line += csvField(values[i] ?? null, single);
  }
  return `${line}\n`;
}
