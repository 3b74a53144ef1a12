/**
 * What a manifest certifies, measured on the bytes as they leave: SHA-256, byte count and row
 * count. Rows are counted from the bytes themselves (line ends outside quotes in CSV, less the
 * header; lines in NDJSON), so both ways of reading the database are measured the same way.
 */
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { ExportFormat } from '@desk/shared';

export type ExportMeasure = { sha256: string; byteCount: number; rowCount: number };

const quote = 0x22;
const newline = 0x0a;

/** Counts record ends in a CSV or NDJSON byte stream, chunk by chunk. */
export class RecordCounter {
  private inQuotes = false;
  lines = 0;

  constructor(private readonly csv: boolean) {}

  push(chunk: Buffer): void {
    if (!this.csv) {
      for (let at = chunk.indexOf(newline); at !== -1; at = chunk.indexOf(newline, at + 1)) this.lines++;
      return;
    }
    let i = 0;
    while (i < chunk.length) {
      const nextQuote = chunk.indexOf(quote, i);
      if (this.inQuotes) {
        if (nextQuote === -1) return;
        this.inQuotes = false;
      } else {
        const end = nextQuote === -1 ? chunk.length : nextQuote;
        for (let at = chunk.indexOf(newline, i); at !== -1 && at < end; at = chunk.indexOf(newline, at + 1))
          this.lines++;
        if (nextQuote === -1) return;
        this.inQuotes = true;
      }
      i = nextQuote + 1;
    }
  }

  rows(): number {
    return this.csv ? Math.max(0, this.lines - 1) : this.lines;
  }
}

/**
 * A pass-through that measures. `onMeasured` runs once every byte has passed and before the
 * stream ends, so whatever it records (the run's completion) is settled before the reader sees
 * the end; if it fails, the stream fails instead of ending cleanly.
 */
export function exportMeter(format: ExportFormat, onMeasured: (measure: ExportMeasure) => Promise<void>): Transform {
  const hash = createHash('sha256');
  const counter = new RecordCounter(format === 'csv');
  let byteCount = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      hash.update(chunk);
      byteCount += chunk.length;
      counter.push(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      onMeasured({ sha256: hash.digest('hex'), byteCount, rowCount: counter.rows() }).then(
        () => callback(),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    },
  });
}
