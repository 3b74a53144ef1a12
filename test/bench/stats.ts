/** Latency summaries and Markdown formatting for the benchmark. */

export type Summary = { count: number; p50: number; p95: number; p99: number; max: number };

/** Nearest-rank percentile of ascending-sorted samples. */
function percentile(sorted: readonly number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  const value = sorted[Math.min(sorted.length, rank) - 1];
  if (value === undefined) throw new Error('percentile of no samples');
  return value;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: percentile(sorted, 1),
  };
}

export const ms = (value: number): string => value.toFixed(1);
export const thousands = (value: number): string => value.toLocaleString('en-US');

export type Column = { title: string; align?: 'left' | 'right' };

export function markdownTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = columns.map((c) => (c.align === 'right' ? '---:' : '---'));
  return [line(columns.map((c) => c.title)), line(rule), ...rows.map(line)].join('\n');
}
