/** Every action's label comes from the audit catalogue in `@desk/shared`. */
export { auditActionLabel } from '@desk/shared';

/** `key: value · key: value`, cut to `max` characters, for a one-line cell. */
export function summarizeData(data: Record<string, unknown>, max = 100): string {
  const text = Object.entries(data)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
