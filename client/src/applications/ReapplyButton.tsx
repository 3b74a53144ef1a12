import { type ApplicationDetail, providerLabels } from '@desk/shared';
import Replay from '@mui/icons-material/Replay';
import { ActionEffects, ConfirmedActionButton } from '../account/ConfirmedActionButton';
import { useProviderAction } from './useProviderAction';

/**
 * Ask the provider to look at the application again, under the provider's own name for its
 * resubmission (`actions.reapply.label`). Offered only when the provider's status allows it;
 * otherwise the button stays visible, disabled, and says why. A resubmission cannot be
 * recalled, so the button first says what will happen and acts once confirmed.
 */
export const ReapplyButton = ({ application }: { application: ApplicationDetail }) => {
  const { allowed, reason, label } = application.actions.reapply;
  const provider = providerLabels[application.provider];
  const reapply = useProviderAction((dataProvider, id, _: undefined) => dataProvider.reapplyApplication(id), {
    successMessage: () => `${label} queued: ${provider} will be asked to review the application again.`,
    // The confirmation says a refusal itself.
    notifyErrors: false,
  });
  const refusal = allowed ? null : (reason ?? `${provider} does not allow “${label}” now.`);

  return (
    <ConfirmedActionButton
      label={label}
      testId="reapply-button"
      startIcon={<Replay />}
      color="primary"
      hint={`${label}: ask ${provider} to review the application again`}
      disabledReason={refusal}
      title={`${label} at ${provider}?`}
      content={
        <ActionEffects
          effects={[
            {
              where: `At ${provider}`,
              what: `${provider} is asked to review application ${application.providerApplicationId} again and decides on what it holds now. Once sent, the request cannot be recalled.`,
            },
            {
              where: 'On the case',
              what: `The request is queued under Provider actions and delivered once. The case stays where it is until ${provider} answers; its status then follows ${provider}’s decision.`,
            },
          ]}
        />
      }
      confirmLabel={`${label} at ${provider}`}
      confirmColor="primary"
      action={() => reapply.mutateAsync(undefined)}
    />
  );
};
