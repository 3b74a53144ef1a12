import type { ApplicationDetail } from '@desk/shared';
import { useMemo, useRef } from 'react';
import type { UseGetOneOptions } from 'react-admin';
import { isCaseBusy, refetchDelay, settleMs } from './caseLiveRefresh';

/**
 * The case page's getOne options. It carries its own `meta`, so react-admin never shows a
 * queue row (an ApplicationSummary it cached from the list) in place of the full
 * ApplicationDetail; and it re-reads that one case while a provider action is under way
 * (see caseLiveRefresh.ts), leaving every other query alone.
 */
export function useCaseQueryOptions(): UseGetOneOptions<ApplicationDetail> {
  const settleUntil = useRef(0);
  return useMemo(
    () => ({
      meta: { view: 'case' },
      // Stay on the page and say what went wrong instead of bouncing back to the queue.
      onError: () => undefined,
      // Evaluated by react-query after every read of the case.
      refetchInterval: (query) => {
        const detail = query.state.data;
        if (!detail) return false;
        const now = Date.now();
        if (isCaseBusy(detail)) settleUntil.current = now + settleMs;
        return refetchDelay(detail, now, settleUntil.current);
      },
    }),
    [],
  );
}
