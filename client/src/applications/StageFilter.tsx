import { type ApplicationStats, type Stage, stageLabels, stages } from '@desk/shared';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { alpha } from '@mui/material/styles';
import type { ReactNode } from 'react';
import { stageColors } from '../stages/stageColors';
import { useApplicationFilter } from './useApplicationFilter';

export interface StageFilterProps {
  stats: ApplicationStats | undefined;
}

/** One chip per stage with its count; a click selects the stage, a second click clears it. */
export const StageFilter = ({ stats }: StageFilterProps) => {
  const { filter, change } = useApplicationFilter();
  const selected = filter.stage.length === 1 ? filter.stage[0] : undefined;
  const toggle = (stage: Stage) => change({ stage: selected === stage ? [] : [stage] });

  return (
    <Box role="toolbar" aria-label="Filter by stage" sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75 }}>
      <StageChoice
        testId="stage-filter-all"
        label="All"
        count={stats?.total}
        color="#1f4e79"
        active={filter.stage.length === 0}
        onClick={() => change({ stage: [] })}
      />
      {stages.map((stage) => (
        <StageChoice
          key={stage}
          testId={`stage-filter-${stage}`}
          label={stageLabels[stage]}
          count={stats?.byStage[stage]}
          color={stageColors[stage]}
          active={filter.stage.includes(stage)}
          onClick={() => toggle(stage)}
        />
      ))}
    </Box>
  );
};

interface StageChoiceProps {
  testId: string;
  label: string;
  count: number | undefined;
  color: string;
  active: boolean;
  onClick: () => void;
}

const StageChoice = ({ testId, label, count, color, active, onClick }: StageChoiceProps) => {
  const content: ReactNode = (
    <>
      {label}{' '}
      <Box
        component="span"
        sx={{ fontWeight: 700, fontVariantNumeric: 'tabular-nums', opacity: count === undefined ? 0.4 : 1 }}
      >
        {count === undefined ? '…' : count.toLocaleString()}
      </Box>
    </>
  );
  return (
    <Chip
      data-testid={testId}
      aria-pressed={active}
      label={content}
      onClick={onClick}
      variant={active ? 'filled' : 'outlined'}
      sx={{
        height: 26,
        fontSize: 12.5,
        borderColor: alpha(color, active ? 1 : 0.4),
        color: active ? '#fff' : color,
        bgcolor: active ? color : 'background.paper',
        '&&:hover': { bgcolor: active ? color : alpha(color, 0.08) },
        '& .MuiChip-label': { px: 1.25 },
      }}
    />
  );
};
