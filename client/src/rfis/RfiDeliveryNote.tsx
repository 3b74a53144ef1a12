import {
  type ApplicationDetail,
  awaitsAutomaticRetry,
  canRetryProviderAction,
  isInFlightProviderAction,
  type ProviderAction,
  providerLabels,
  type Rfi,
} from '@desk/shared';
import Alert, { type AlertColor } from '@mui/material/Alert';
import { type ReactNode, useEffect } from 'react';
import { Link, useCreatePath, useGetOne, useShowContext } from 'react-admin';
import { awaitingRetryIntervalMs, liveIntervalMs } from '../applications/caseLiveRefresh';
import { resources } from '../dataProvider';

/** While delivered and waiting for the provider to move on, check the case now and then. */
const waitingIntervalMs = 10_000;

/** The newest answer_rfi action for this RFI (the case lists actions newest first). */
function deliveryOf(application: ApplicationDetail | undefined, rfiId: string): ProviderAction | undefined {
  return application?.providerActions.find((action) => action.kind === 'answer_rfi' && action.rfiId === rfiId);
}

/**
 * Under an answered provider RFI: the desk delivers the answer to the provider (an answer_rfi
 * action on the case), and the RFI closes when the provider moves on. Follows that delivery by
 * re-reading the case, and re-reads the RFI once the case says it changed.
 */
export const RfiDeliveryNote = ({ rfi }: { rfi: Rfi }) => {
  const provider = providerLabels[rfi.provider];
  const createPath = useCreatePath();
  const { refetch } = useShowContext<Rfi>();
  const { data: application } = useGetOne<ApplicationDetail>(
    resources.applications,
    // The case page's `meta`: a full ApplicationDetail, never a queue row from the list's cache.
    { id: rfi.applicationId, meta: { view: 'case' } },
    {
      refetchInterval: (query) => {
        const action = deliveryOf(query.state.data, rfi.id);
        if (!action || isInFlightProviderAction(action)) return liveIntervalMs;
        if (awaitsAutomaticRetry(action)) return awaitingRetryIntervalMs;
        return waitingIntervalMs;
      },
    },
  );
  const delivery = deliveryOf(application, rfi.id);
  const statusOnCase = application?.rfis.find((summary) => summary.id === rfi.id)?.status;

  useEffect(() => {
    if (statusOnCase !== undefined && statusOnCase !== rfi.status) void refetch();
  }, [statusOnCase, rfi.status, refetch]);

  const caseLink = (
    <Link to={createPath({ resource: resources.applications, id: rfi.applicationId, type: 'show' })}>
      the case’s provider actions
    </Link>
  );
  let severity: AlertColor = 'info';
  let message: ReactNode = `Being delivered to ${provider} by the desk; the RFI closes when ${provider} moves on.`;
  if (delivery?.state === 'done') {
    severity = 'success';
    message = `Delivered to ${provider} by the desk; the RFI closes when ${provider} moves on.`;
  } else if (delivery && awaitsAutomaticRetry(delivery)) {
    severity = 'warning';
    message = `Delivery to ${provider} failed${delivery.lastError ? ` (${delivery.lastError})` : ''}; the desk will try again.`;
  } else if (delivery && canRetryProviderAction(delivery)) {
    severity = 'error';
    message = (
      <>
        Delivery to {provider} failed{delivery.lastError ? `: ${delivery.lastError}` : ''}. Retry it from {caseLink}.
      </>
    );
  }

  return (
    <Alert severity={severity} data-testid="rfi-delivery-note" data-state={delivery?.state ?? 'unknown'}>
      {message}
    </Alert>
  );
};
