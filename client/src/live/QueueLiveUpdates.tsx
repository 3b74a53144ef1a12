import { type ApplicationSummary, describeCaseEvent } from '@desk/shared';
import Alert from '@mui/material/Alert';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useListContext } from 'react-admin';
import { useCaseEvents } from './useCaseEvents';

/** Changes arriving close together are read in one go. */
const batchMs = 300;

type Notice = { applicant: string; text: string };

/**
 * Keeps the queue's rows current: when the desk pushes a change to a case on the page, the page
 * is read again with the same filters, sort and cursor (so the analyst stays where they are), with
 * the counts above it, and the change is announced above the grid. Changes to cases not on the
 * page leave it alone.
 */
export const QueueLiveUpdates = () => {
  const { data, refetch, resource } = useListContext<ApplicationSummary>();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<Notice | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const refetchSoon = () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void refetch();
      // The counts above the grid (stages, flags, ages) move with the rows.
      void queryClient.invalidateQueries({ queryKey: [resource, 'stats'] });
    }, batchMs);
  };

  useCaseEvents({
    onCase: (event) => {
      const row = data?.find((r) => r.id === event.applicationId);
      if (!row) return;
      refetchSoon();
      setNotice({ applicant: row.applicant.name, text: describeCaseEvent(event) });
    },
    onReset: refetchSoon,
  });

  return (
    <div role="status" aria-live="polite" data-testid="queue-live-status">
      {notice && (
        <Alert severity="info" onClose={() => setNotice(null)} data-testid="queue-live-notice" sx={{ mb: 1 }}>
          {notice.applicant}: {notice.text}
        </Alert>
      )}
    </div>
  );
};
