import type { RfiItemReason } from '@desk/shared';
import Chip from '@mui/material/Chip';
import { rfiReasonColors } from './rfiLabels';

/** Why the provider asks for an item: MISSING, INVALID or EXPIRED. */
export const RfiReasonChip = ({ reason }: { reason: RfiItemReason }) => (
  <Chip
    size="small"
    label={reason}
    color={rfiReasonColors[reason]}
    data-reason={reason}
    sx={{ height: 20, fontSize: 10.5, fontWeight: 700, letterSpacing: 0.3, '& .MuiChip-label': { px: 0.75 } }}
  />
);
