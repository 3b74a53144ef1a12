/** The senior analysts' dashboard figures, a typed data-provider method. */
import type { Dashboard } from '@desk/shared';
import { callApi } from '../api/callApi';

export const dashboardApi = {
  /** Queue health: stages, aging, service levels, RFIs, throughput. */
  getDashboard: (signal?: AbortSignal): Promise<Dashboard> => callApi('getDashboard', { signal }),
};

export type DashboardApi = typeof dashboardApi;
