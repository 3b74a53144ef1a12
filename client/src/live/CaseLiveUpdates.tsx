import { type CaseEvent, describeCaseEvent } from '@desk/shared';
import Alert from '@mui/material/Alert';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useGetIdentity, useNotify } from 'react-admin';
import { isChangeTo, isSomeoneElsesChange } from '../applications/caseLiveRefresh';
import { DateTime } from '../common/DateTime';
import { useCaseEvents } from './useCaseEvents';

/**
 * Keeps an open case page current: when the desk pushes a change to this case, every query about
 * it is read again in place (the case, its timeline, its notes), and a change someone else made
 * is announced ("Stage changed from Manual review to Rejected by Jiko") as a toast and in a
 * notice above the case that stays until dismissed or replaced.
 */
export const CaseLiveUpdates = ({ applicationId }: { applicationId: string }) => {
  const queryClient = useQueryClient();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  const [latest, setLatest] = useState<CaseEvent | null>(null);

  const reload = () =>
    queryClient.invalidateQueries({ predicate: (query) => JSON.stringify(query.queryKey).includes(applicationId) });

  useCaseEvents({
    onCase: (event) => {
      if (!isChangeTo(event, applicationId)) return;
      void reload();
      if (!isSomeoneElsesChange(event, identity ? String(identity.id) : null)) return;
      setLatest(event);
      notify(describeCaseEvent(event), { type: 'info' });
    },
    onReset: () => void reload(),
  });

  return (
    <div role="status" aria-live="polite" data-testid="case-live-status">
      {latest && (
        <Alert
          severity="info"
          onClose={() => setLatest(null)}
          data-testid="case-live-notice"
          data-action={latest.action}
          sx={{ mb: 1 }}
        >
          {describeCaseEvent(latest)} · <DateTime value={latest.at} compact />
        </Alert>
      )}
    </div>
  );
};
