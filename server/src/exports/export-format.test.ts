import { consentExportQuerySchema, statusHistoryExportQuerySchema } from '@desk/shared';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from './csv.js';
import { RecordCounter } from './export-meter.js';
import { filtersOf, selectStatement, statusHistoryPlan } from './export-sql.js';

describe('CSV as COPY writes it', () => {
  it('quotes only what must be quoted, and tells NULL from the empty string', () => {
    expect(csvRecord(['plain', null, '', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', 'back\\slash', 'ünï 🚀'])).toBe(
      'plain,,"","a,b","say ""hi""","two\nlines","cr\r",back\\slash,ünï 🚀\n',
    );
  });

  it('quotes \\. alone only on a one-column line', () => {
    expect(csvField('\\.', true)).toBe('"\\."');
    expect(csvField('\\.', false)).toBe('\\.');
    expect(csvRecord(['\\.'])).toBe('"\\."\n');
  });
});

describe('Counting records in a byte stream', () => {
  const csv = Buffer.from('a,b\n1,"x\ny"\n2,"say ""hi""\n"\n3,\n', 'utf8');

  it('counts CSV rows without the header and without line breaks inside quotes, however the bytes are split', () => {
    for (let size = 1; size <= csv.length; size++) {
      const counter = new RecordCounter(true);
      for (let at = 0; at < csv.length; at += size) counter.push(csv.subarray(at, at + size));
      expect(counter.rows(), `chunks of ${size}`).toBe(3);
    }
  });

  it('counts NDJSON lines', () => {
    const counter = new RecordCounter(false);
    counter.push(Buffer.from('{"a" : "x\\ny"}\n{"a" : "\\"q\\""}\n'));
    expect(counter.rows()).toBe(2);
  });
});

describe('The spreadsheet-safe variant', () => {
  const safe = statusHistoryPlan(statusHistoryExportQuerySchema.parse({ spreadsheetSafe: 'true', provider: 'jiko' }));
  const plain = statusHistoryPlan(statusHistoryExportQuerySchema.parse({ provider: 'jiko' }));

  it('When the variant is asked for, then written text is guarded in SQL and the columns the desk formats itself are left as they are', () => {
    const select = selectStatement(safe);
    expect(select).toContain(
      `CASE WHEN left(sh.reason, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || sh.reason ELSE sh.reason END AS "reason"`,
    );
    expect(select).toContain('CASE WHEN left(s.email, 1)');
    expect(select).toContain('sh.application_id::text AS "application_id"');
    expect(select).not.toContain('left(sh.application_id');
    expect(select).not.toMatch(/[\r\n\t]/);
    expect(selectStatement(plain)).not.toContain('CASE');
  });

  it("When the variant is asked for, then the run's filters record it, and only then", () => {
    expect(filtersOf(statusHistoryExportQuerySchema.parse({ spreadsheetSafe: 'true', provider: 'jiko' }))).toEqual({
      provider: 'jiko',
      spreadsheetSafe: 'true',
    });
    expect(filtersOf(statusHistoryExportQuerySchema.parse({ spreadsheetSafe: 'false', provider: 'jiko' }))).toEqual({
      provider: 'jiko',
    });
    expect(filtersOf(consentExportQuerySchema.parse({}))).toEqual({});
  });

  it('When the variant is asked for NDJSON, then the query is refused', () => {
    expect(consentExportQuerySchema.safeParse({ format: 'ndjson', spreadsheetSafe: 'true' }).success).toBe(false);
    expect(consentExportQuerySchema.safeParse({ format: 'ndjson', spreadsheetSafe: 'false' }).success).toBe(true);
  });
});
