/**
 * One colour per review stage, used by every chip, count and strip that shows a stage.
 * Ordered along the review flow: neutral at intake, blues while the provider works, warm
 * colours where the desk has to act, green and red for the two final stages.
 */
import type { Stage } from '@desk/shared';

export const stageColors: Record<Stage, string> = {
  intake: '#5f6b7a',
  provider_review: '#1f6fd1',
  needs_documents: '#c25e00',
  ready_to_reapply: '#00838f',
  manual_review: '#6a4bc4',
  rfi: '#b0306e',
  approved: '#2e7d32',
  rejected: '#b3261e',
};
