import { type ProviderAction, providerActionRetryRefusal } from '@desk/shared';
import Refresh from '@mui/icons-material/Refresh';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useId } from 'react';
import { Link, useCreatePath } from 'react-admin';
import { resources } from '../dataProvider';
import { useProviderAction } from './useProviderAction';

/**
 * Send again an action the worker gave up on. `label` is what the case page calls the action.
 * An RFI answer the provider refused would be refused again (`providerActionRetryRefusal`, as the
 * server decides): the button is disabled and the way forward is a link to the RFI.
 */
export const RetryActionButton = ({ action, label }: { action: ProviderAction; label: string }) => {
  const retry = useProviderAction(
    (dataProvider, id, actionId: string) => dataProvider.retryProviderAction(id, actionId),
    {
      successMessage: () => `${label} queued again.`,
    },
  );
  const reasonId = useId();
  const createPath = useCreatePath();
  const refused = providerActionRetryRefusal(action) === 'answer_refused';
  const button = (
    <Button
      size="small"
      color="error"
      variant="outlined"
      startIcon={<Refresh />}
      loading={retry.isPending}
      disabled={refused}
      aria-describedby={refused ? reasonId : undefined}
      onClick={() => retry.mutate(action.id)}
      data-testid="provider-action-retry"
      sx={{ py: 0, minHeight: 24 }}
    >
      Retry
    </Button>
  );
  if (!refused) return button;
  return (
    <Box sx={{ display: 'inline-flex', flexDirection: 'column', alignItems: 'flex-end', gap: 0.25 }}>
      {button}
      <Box
        component="span"
        id={reasonId}
        data-testid="provider-action-retry-reason"
        sx={{
          fontSize: 12,
          color: 'text.secondary',
          whiteSpace: 'normal',
          minWidth: 160,
          maxWidth: 220,
          textAlign: 'right',
        }}
      >
        The provider refused this answer; it would be refused again.{' '}
        {action.rfiId ? (
          <Link to={createPath({ resource: resources.rfis, id: action.rfiId, type: 'show' })}>
            Correct the answer on the RFI
          </Link>
        ) : (
          'Correct the answer on the RFI'
        )}
      </Box>
    </Box>
  );
};
