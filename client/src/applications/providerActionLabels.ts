import { type ApplicationDetail, type ProviderActionKind, providerActionKindLabels } from '@desk/shared';

/**
 * What an action is called on the case page. A re-apply goes by the provider's own name for
 * its resubmission (`actions.reapply.label`, the re-apply button's text); the other kinds by
 * the desk's labels.
 */
export function actionKindLabel(kind: ProviderActionKind, application: Pick<ApplicationDetail, 'actions'>): string {
  return kind === 'reapply' ? application.actions.reapply.label : providerActionKindLabels[kind];
}
