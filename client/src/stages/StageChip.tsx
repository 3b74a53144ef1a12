import { type Stage, stageLabels } from '@desk/shared';
import Chip from '@mui/material/Chip';
import { alpha } from '@mui/material/styles';
import { stageColors } from './stageColors';

export interface StageChipProps {
  stage: Stage;
  size?: 'small' | 'medium';
}

/** The normalised review stage, in its stage colour. */
export const StageChip = ({ stage, size = 'small' }: StageChipProps) => {
  const color = stageColors[stage];
  return (
    <Chip
      size={size}
      label={stageLabels[stage]}
      data-stage={stage}
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
