import { type ApplicationStats, closedCaseStages, openCaseStages, type Stage, stageLabels, stages } from '@desk/shared';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { alpha, type Theme, useTheme } from '@mui/material/styles';
import type { ReactNode } from 'react';
import { type StageTone, stageTone } from '../stages/stageColors';
import { readableOn } from '../theme';
import { isStageSet } from './applicationFilter';
import { useApplicationFilter } from './useApplicationFilter';

export interface StageFilterProps {
  stats: ApplicationStats | undefined;
}

/** A view chip's colours from a theme colour: text readable on the paper, a faint tint on hover. */
const viewTone = (color: string, theme: Theme): StageTone => {
  const text = readableOn(color, theme.palette.background.paper);
  return { text, background: alpha(text, 0.08), border: alpha(text, 0.45) };
};

/**
 * The views — open work (the default), closed, all — then one chip per stage with its count;
 * a click on a stage selects it alone, a second click goes back to open work.
 */
export const StageFilter = ({ stats }: StageFilterProps) => {
  const { filter, change } = useApplicationFilter();
  const theme = useTheme();
  const selected = filter.stage.length === 1 ? filter.stage[0] : undefined;
  const toggle = (stage: Stage) => change({ stage: selected === stage ? [...openCaseStages] : [stage] });
  const countOf = (set: readonly Stage[]) =>
    stats ? set.reduce((n, stage) => n + stats.byStage[stage], 0) : undefined;
  const views = [
    { id: 'open', label: 'Open work', set: openCaseStages, tone: viewTone(theme.palette.primary.main, theme) },
    { id: 'closed', label: 'Closed', set: closedCaseStages, tone: viewTone(theme.palette.text.secondary, theme) },
  ] as const;

  return (
    <Box role="toolbar" aria-label="Filter by stage" sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75 }}>
      {views.map((view) => (
        <StageChoice
          key={view.id}
          testId={`stage-filter-${view.id}`}
          label={view.label}
          count={countOf(view.set)}
          tone={view.tone}
          active={view.set.length > 1 && isStageSet(filter.stage, view.set)}
          onClick={() => change({ stage: [...view.set] })}
        />
      ))}
      <StageChoice
        testId="stage-filter-all"
        label="All"
        count={stats?.total}
        tone={viewTone(theme.palette.primary.main, theme)}
        active={filter.stage.length === 0}
        onClick={() => change({ stage: [] })}
      />
      {stages.map((stage) => (
        <StageChoice
          key={stage}
          testId={`stage-filter-${stage}`}
          label={stageLabels[stage]}
          count={stats?.byStage[stage]}
          tone={stageTone(stage, theme)}
          active={filter.stage.length === 1 && filter.stage.includes(stage)}
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
  tone: StageTone;
  active: boolean;
  onClick: () => void;
}

/**
 * Outlined in the tone's text colour when not chosen; chosen, the colours swap: the tone's text
 * colour fills the chip under the paper's colour (each reads at 4.5:1 or more on the other).
 */
const StageChoice = ({ testId, label, count, tone, active, onClick }: StageChoiceProps) => {
  const theme = useTheme();
  const paper = theme.palette.background.paper;
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
        borderColor: active ? tone.text : tone.border,
        color: active ? paper : tone.text,
        bgcolor: active ? tone.text : paper,
        '&&:hover': { bgcolor: active ? tone.text : tone.background },
        '&&.Mui-focusVisible': {
          bgcolor: active ? tone.text : tone.background,
          outline: '2px solid',
          outlineColor: tone.text,
          outlineOffset: 2,
        },
        '& .MuiChip-label': { px: 1.25 },
      }}
    />
  );
};
