import { type ApplicationDetail, providerLabels } from '@desk/shared';
import Replay from '@mui/icons-material/Replay';
import Button from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import { useProviderAction } from './useProviderAction';

/**
 * Ask the provider to look at the application again, under the provider's own name for its
 * resubmission (`actions.reapply.label`). Offered only when the provider's status allows it;
 * otherwise the button stays visible, disabled, and says why.
 */
export const ReapplyButton = ({ application }: { application: ApplicationDetail }) => {
  const { allowed, reason, label } = application.actions.reapply;
  const provider = providerLabels[application.provider];
  const reapply = useProviderAction((dataProvider, id, _: undefined) => dataProvider.reapplyApplication(id), {
    successMessage: () => `${label} queued: ${provider} will be asked to review the application again.`,
  });
  const refusal = allowed ? null : (reason ?? `${provider} does not allow “${label}” now.`);

  return (
    <Tooltip title={refusal ?? `${label}: ask ${provider} to review the application again`}>
      {/* A disabled button fires no events; the span keeps the tooltip working. */}
      <span>
        <Button
          variant="outlined"
          startIcon={<Replay />}
          disabled={!allowed || reapply.isPending}
          onClick={() => reapply.mutate()}
          data-testid="reapply-button"
          data-allowed={allowed}
          aria-description={refusal ?? undefined}
        >
          {label}
        </Button>
      </span>
    </Tooltip>
  );
};
