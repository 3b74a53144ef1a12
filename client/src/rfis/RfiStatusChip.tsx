import type { RfiStatus } from '@desk/shared';
import Chip from '@mui/material/Chip';
import { alpha } from '@mui/material/styles';
import { rfiStatusColors, rfiStatusLabels } from './rfiLabels';

export interface RfiStatusChipProps {
  status: RfiStatus;
  size?: 'small' | 'medium';
}

/** Open, answered or closed, in its colour. */
export const RfiStatusChip = ({ status, size = 'small' }: RfiStatusChipProps) => {
  const color = rfiStatusColors[status];
  return (
    <Chip
      size={size}
      label={rfiStatusLabels[status]}
      data-status={status}
      data-testid="rfi-status"
      sx={{
        bgcolor: alpha(color, 0.12),
        color,
        border: `1px solid ${alpha(color, 0.35)}`,
        fontWeight: 600,
        height: size === 'small' ? 20 : 26,
        '& .MuiChip-label': { px: 0.75 },
      }}
    />
  );
};
