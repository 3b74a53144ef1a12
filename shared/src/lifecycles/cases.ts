/**
 * What "open" means for a case, defined once. A case's stage follows its provider's status
 * (`stageOf`); the desk never moves it itself, so there are no transitions here, only the
 * line between cases the desk still works on and cases that are over. The server's SQL
 * filters and services and the web client read it from here.
 */
import { finalStages, type Stage, stages } from '../providers.js';

/** Open: the provider has not decided, so the case can still be worked, documented and asked about. */
export function isOpenCase(stage: Stage): boolean {
  return !finalStages.includes(stage);
}

/** The stages of open cases, in stage order (what the SQL filters use). */
export const openCaseStages: readonly Stage[] = stages.filter(isOpenCase);
/** The stages of cases that are over (approved or rejected). */
export const closedCaseStages: readonly Stage[] = stages.filter((stage) => !isOpenCase(stage));
