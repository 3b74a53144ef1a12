import type { ProviderAction } from '@desk/shared';
import Refresh from '@mui/icons-material/Refresh';
import Button from '@mui/material/Button';
import { useProviderAction } from './useProviderAction';

/** Send again an action the worker gave up on. `label` is what the case page calls the action. */
export const RetryActionButton = ({ action, label }: { action: ProviderAction; label: string }) => {
  const retry = useProviderAction(
    (dataProvider, id, actionId: string) => dataProvider.retryProviderAction(id, actionId),
    {
      successMessage: () => `${label} queued again.`,
    },
  );
  return (
    <Button
      size="small"
      color="error"
      variant="outlined"
      startIcon={<Refresh />}
      loading={retry.isPending}
      onClick={() => retry.mutate(action.id)}
      data-testid="provider-action-retry"
      sx={{ py: 0, minHeight: 24 }}
    >
      Retry
    </Button>
  );
};
