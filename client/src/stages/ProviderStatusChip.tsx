import type { ProviderStatus } from '@desk/shared';
import Chip from '@mui/material/Chip';

export interface ProviderStatusChipProps {
  status: ProviderStatus;
  size?: 'small' | 'medium';
}

/** The provider's own status, verbatim, shown next to the stage it maps to. */
export const ProviderStatusChip = ({ status, size = 'small' }: ProviderStatusChipProps) => (
  <Chip
    size={size}
    variant="outlined"
    label={status}
    title="Provider status"
    sx={{
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: size === 'small' ? 10.5 : 12,
      letterSpacing: 0.2,
      height: size === 'small' ? 20 : 26,
      color: 'text.secondary',
      borderColor: 'divider',
      '& .MuiChip-label': { px: 0.75 },
    }}
  />
);
