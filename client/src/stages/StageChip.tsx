import { type Stage, stageLabels } from '@desk/shared';
import Chip from '@mui/material/Chip';
import { stageTone } from './stageColors';

export interface StageChipProps {
  stage: Stage;
  size?: 'small' | 'medium';
}

/** The normalised review stage, in its stage colour (readable in light and dark). */
export const StageChip = ({ stage, size = 'small' }: StageChipProps) => (
  <Chip
    size={size}
    label={stageLabels[stage]}
    data-stage={stage}
    sx={(theme) => {
      const tone = stageTone(stage, theme);
      return {
        bgcolor: tone.background,
        color: tone.text,
        border: `1px solid ${tone.border}`,
        fontWeight: 600,
        height: size === 'small' ? 20 : 26,
        '& .MuiChip-label': { px: 0.75 },
      };
    }}
  />
);
