import type { RfiItemKind, RfiItemReason, RfiOrigin, RfiStatus } from '@desk/shared';

export const rfiStatusLabels: Record<RfiStatus, string> = { open: 'Open', answered: 'Answered', closed: 'Closed' };
export const rfiStatusColors: Record<RfiStatus, string> = { open: '#1565c0', answered: '#6a1b9a', closed: '#616161' };

export const rfiOriginLabels: Record<RfiOrigin, string> = { provider: 'Provider', internal: 'Internal' };

export const rfiItemKindLabels: Record<RfiItemKind, string> = {
  field: 'Field',
  document: 'Document',
  text: 'Question',
};

export const rfiReasonColors: Record<RfiItemReason, 'warning' | 'error' | 'secondary'> = {
  MISSING: 'warning',
  INVALID: 'error',
  EXPIRED: 'secondary',
};
