import { describe, expect, it } from 'vitest';
import { finalStages, stages } from '../providers.js';
import { workableStages } from '../workflow.js';
import { closedCaseStages, isOpenCase, openCaseStages } from './cases.js';

describe('open cases', () => {
  it('When a case is approved or rejected, then it is closed; every other stage is open', () => {
    expect(isOpenCase('approved')).toBe(false);
    expect(isOpenCase('rejected')).toBe(false);
    expect(openCaseStages).toEqual([
      'intake',
      'provider_review',
      'needs_documents',
      'ready_to_reapply',
      'manual_review',
      'rfi',
    ]);
    expect(closedCaseStages).toEqual(finalStages);
  });

  it('When the stage lists are built, then they split the stages with nothing left out or repeated', () => {
    expect([...openCaseStages, ...closedCaseStages].sort()).toEqual([...stages].sort());
    expect(stages.filter(isOpenCase)).toEqual(openCaseStages);
  });

  it('When "next case" hands out work, then it only hands out open cases', () => {
    expect(workableStages.every(isOpenCase)).toBe(true);
  });
});
