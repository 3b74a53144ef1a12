/** How exports and their runs are named on the page. */
import type { ExportFormat, ExportKind, ExportManifest } from '@desk/shared';

export const kindLabels: Record<ExportKind, string> = { status_history: 'Status history', consents: 'Consents' };
export const formatLabels: Record<ExportFormat, string> = { csv: 'CSV', ndjson: 'NDJSON (one JSON object per line)' };
export const thousands = (n: number) => n.toLocaleString();

/** The format as a run shows it: `CSV`, `CSV (spreadsheet-safe)` or `NDJSON`. */
export const formatText = (run: Pick<ExportManifest, 'format' | 'spreadsheetSafe'>) =>
  `${run.format.toUpperCase()}${run.spreadsheetSafe ? ' (spreadsheet-safe)' : ''}`;

export const filtersText = (filters: Record<string, unknown>) => {
  const entries = Object.entries(filters);
  return entries.length ? entries.map(([k, v]) => `${k}=${String(v)}`).join(', ') : 'none';
};
