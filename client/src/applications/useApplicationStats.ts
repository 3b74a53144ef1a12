import { useQuery } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import type { DeskDataProvider } from '../dataProvider';
import type { ApplicationFilter } from './applicationFilter';

/**
 * Queue counts for the current filter. The stage criterion is left out of the request and
 * of the cache key, so switching stage chips does not refetch the counts.
 */
export function useApplicationStats(filter: ApplicationFilter) {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const scope: ApplicationFilter = { ...filter, stage: [] };
  return useQuery({
    queryKey: ['applications', 'stats', scope],
    queryFn: ({ signal }) => dataProvider.getApplicationStats(scope, signal),
    staleTime: 15_000,
    refetchInterval: 60_000,
    placeholderData: (previous) => previous,
  });
}
