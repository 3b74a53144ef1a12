import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from './csv.js';
import { RecordCounter } from './export-meter.js';

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
