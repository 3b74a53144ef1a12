import type { CaseEvent } from '@desk/shared';
import { useEffect, useRef } from 'react';
import { subscribeToCaseEvents } from './caseEventStream';

/**
 * Calls `onCase` for each case change the desk pushes, and `onReset` when what is shown may have
 * missed some, for as long as the calling view is mounted (the tab's one stream is shared).
 */
export function useCaseEvents(handlers: { onCase(event: CaseEvent): void; onReset(): void }): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(
    () =>
      subscribeToCaseEvents({
        onCase: (event) => latest.current.onCase(event),
        onReset: () => latest.current.onReset(),
      }),
    [],
  );
}
