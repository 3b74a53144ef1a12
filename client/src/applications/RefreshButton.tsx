import { type ApplicationDetail, providerLabels } from '@desk/shared';
import Sync from '@mui/icons-material/Sync';
import Button from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import { useProviderAction } from './useProviderAction';

/** Read the provider's current view of the application (status, flags, documents) into the desk. */
export const RefreshButton = ({ application }: { application: ApplicationDetail }) => {
  const provider = providerLabels[application.provider];
  const refresh = useProviderAction((dataProvider, id, _: undefined) => dataProvider.refreshApplication(id), {
    successMessage: () => `Refresh queued: the desk will read the application from ${provider}.`,
  });

  return (
    <Tooltip title={`Read status, flags and documents from ${provider} again`}>
      <span>
        <Button
          variant="outlined"
          startIcon={<Sync />}
          disabled={refresh.isPending}
          onClick={() => refresh.mutate()}
          data-testid="refresh-button"
        >
          Refresh from provider
        </Button>
      </span>
    </Tooltip>
  );
};
