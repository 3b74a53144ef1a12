import type { RfiItemKind, RfiItemReason, RfiOrigin, RfiStatus } from '@desk/shared';
import type { Theme } from '@mui/material/styles';

export const rfiStatusLabels: Record<RfiStatus, string> = {
  open: 'Open',
  answered: 'Answered',
  refused: 'Refused',
  closed: 'Closed',
};

/** "Refused by Fin.com" where the provider is known; the status's label otherwise. */
export function rfiStatusLabel(status: RfiStatus, providerName?: string): string {
  return status === 'refused' && providerName ? `Refused by ${providerName}` : rfiStatusLabels[status];
}

/** Each status's colour, from the theme's palette (light or dark). */
export function rfiStatusColor(theme: Theme, status: RfiStatus): string {
  switch (status) {
    case 'open':
      return theme.palette.primary.main;
    case 'answered':
      return theme.palette.secondary.main;
    case 'refused':
      return theme.palette.error.main;
    case 'closed':
      return theme.palette.text.secondary;
  }
}

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
