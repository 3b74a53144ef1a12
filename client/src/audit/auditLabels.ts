/** Readable names for audit actions; an action not listed here is spelled out from its code. */
const actionLabels: Record<string, string> = {
  'auth.signed_in': 'Signed in',
  'auth.signed_out': 'Signed out',
  'auth.sign_in_failed': 'Sign-in failed',
  'staff.created': 'Staff member created',
  'staff.updated': 'Staff member updated',
  'customer.pii_revealed': 'Identification number revealed',
  'application.outcome_recorded': 'Review outcome recorded',
  'application.audit_report_viewed': 'Audit report viewed',
};

export function auditActionLabel(action: string): string {
  const known = actionLabels[action];
  if (known) return known;
  const words = action.replace(/[._]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : action;
}

/** `key: value · key: value`, cut to `max` characters, for a one-line cell. */
export function summarizeData(data: Record<string, unknown>, max = 100): string {
  const text = Object.entries(data)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
