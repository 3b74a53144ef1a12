/**
 * One colour per review stage, used by every chip, count and strip that shows a stage.
 * Ordered along the review flow: neutral at intake, blues while the provider works, warm
 * colours where the desk has to act, green and red for the two final stages. A chip's text
 * goes through `stageTone`, which makes it readable on the current theme's paper, light or dark.
 */
import type { Stage } from '@desk/shared';
import { alpha, type Theme } from '@mui/material/styles';
import { mixOver, readableOn, tones } from '../theme';

/** How much of the stage colour tints a chip's background. */
const tint = 0.12;

/** A hue deepened where needed to read at 4.5:1 as text on its own tint over the light page. */
const deepened = (hue: string) => readableOn(hue, mixOver(tones.light.page, hue, tint + 0.04));

/** Each stage's colour: usable as is for marks, and for text on the light theme. */
export const stageColors: Record<Stage, string> = {
  intake: deepened('#5f6b7a'),
  provider_review: deepened('#1f6fd1'),
  needs_documents: deepened('#c25e00'),
  ready_to_reapply: deepened('#00838f'),
  manual_review: deepened('#6a4bc4'),
  rfi: deepened('#b0306e'),
  approved: deepened('#2e7d32'),
  rejected: deepened('#b3261e'),
};

export type StageTone = { text: string; background: string; border: string };

/** A stage's chip colours on `theme`: a light tint of the hue, and text in the hue at 4.5:1 or more on it. */
export function stageTone(stage: Stage, theme: Theme): StageTone {
  const hue = stageColors[stage];
  const paper = theme.palette.background.paper;
  const background = alpha(hue, tint);
  return {
    text: readableOn(hue, mixOver(paper, hue, tint)),
    background,
    border: alpha(readableOn(hue, paper), 0.45),
  };
}
