/**
 * The dashboard's chart colours: one per provider, service-level state and RFI due bucket, and
 * the age buckets from young to old. Marks only: every figure is also written out in text
 * (labels, counts, legends) in the theme's text colours.
 */
import type { Provider } from '@desk/shared';

export const providerColors: Record<Provider, string> = { jiko: '#1f4e79', fin: '#00897b', kyc: '#9c6ade' };
export const slaColors = { breached: '#b3261e', dueSoon: '#ed8f03', onTrack: '#a9b4c0' } as const;
export const rfiColors = {
  overdue: '#b3261e',
  today: '#ed8f03',
  next7Days: '#1f6fd1',
  later: '#a9b4c0',
  answered: '#2e7d32',
} as const;
export const agingTones = ['#7cb342', '#c0ca33', '#f9a825', '#ef6c00', '#c62828'] as const;
