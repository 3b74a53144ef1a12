import { useCallback, useMemo } from 'react';
import { useListContext } from 'react-admin';
import { type RfiFilter, readRfiFilter, toRfiFilterValues } from './rfiFilter';

export interface RfiFilterControls {
  filter: RfiFilter;
  /** Replaces some criteria and goes back to page 1. */
  change: (patch: Partial<RfiFilter>) => void;
}

/** The RFI queue's filter, typed, read from and written to react-admin's list state. */
export function useRfiFilter(): RfiFilterControls {
  const { filterValues, setFilters } = useListContext();
  const filter = useMemo(() => readRfiFilter(filterValues), [filterValues]);
  const change = useCallback(
    (patch: Partial<RfiFilter>) => setFilters(toRfiFilterValues({ ...filter, ...patch })),
    [filter, setFilters],
  );
  return { filter, change };
}
