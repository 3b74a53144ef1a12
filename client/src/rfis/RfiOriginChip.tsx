import type { RfiOrigin } from '@desk/shared';
import Chip from '@mui/material/Chip';
import { rfiOriginLabels } from './rfiLabels';

/** Who asked: the provider, or someone at the desk. */
export const RfiOriginChip = ({ origin, size = 'small' }: { origin: RfiOrigin; size?: 'small' | 'medium' }) => (
  <Chip
    size={size}
    variant="outlined"
    label={rfiOriginLabels[origin]}
    data-origin={origin}
    color={origin === 'provider' ? 'info' : 'default'}
    sx={{
      height: size === 'small' ? 20 : 26,
      fontSize: size === 'small' ? 11.5 : 13,
      '& .MuiChip-label': { px: 0.75 },
    }}
  />
);
