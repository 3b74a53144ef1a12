import type { RfiStatus } from '@desk/shared';
import ErrorOutline from '@mui/icons-material/ErrorOutlineOutlined';
import Chip from '@mui/material/Chip';
import { alpha, useTheme } from '@mui/material/styles';
import { rfiStatusColor, rfiStatusLabel } from './rfiLabels';

export interface RfiStatusChipProps {
  status: RfiStatus;
  /** The provider's name: a refused answer reads "Refused by <provider>". */
  providerName?: string;
  size?: 'small' | 'medium';
}

/** Open, answered, refused (by the provider, with a mark) or closed, in its colour. */
export const RfiStatusChip = ({ status, providerName, size = 'small' }: RfiStatusChipProps) => {
  const theme = useTheme();
  const color = rfiStatusColor(theme, status);
  return (
    <Chip
      size={size}
      label={rfiStatusLabel(status, providerName)}
      icon={status === 'refused' ? <ErrorOutline /> : undefined}
      data-status={status}
      data-testid="rfi-status"
      sx={{
        bgcolor: alpha(color, 0.12),
        color,
        border: `1px solid ${alpha(color, 0.35)}`,
        fontWeight: 600,
        height: size === 'small' ? 20 : 26,
        '& .MuiChip-label': { px: 0.75 },
        '& .MuiChip-icon': { color, fontSize: size === 'small' ? 14 : 18, ml: 0.5, mr: -0.25 },
      }}
    />
  );
};
