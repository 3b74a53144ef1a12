import { useCallback, useMemo } from 'react';
import { useListContext } from 'react-admin';
import { type ApplicationFilter, readApplicationFilter, toFilterValues } from './applicationFilter';

export interface ApplicationFilterControls {
  filter: ApplicationFilter;
  /** Replaces some criteria and goes back to page 1. */
  change: (patch: Partial<ApplicationFilter>) => void;
}

/** The queue's filter, typed, read from and written to react-admin's list state. */
export function useApplicationFilter(): ApplicationFilterControls {
  const { filterValues, setFilters } = useListContext();
  const filter = useMemo(() => readApplicationFilter(filterValues), [filterValues]);
  const change = useCallback(
    (patch: Partial<ApplicationFilter>) => setFilters(toFilterValues({ ...filter, ...patch })),
    [filter, setFilters],
  );
  return { filter, change };
}
