import SkipNext from '@mui/icons-material/SkipNext';
import Button from '@mui/material/Button';
import { useCallback, useEffect, useState } from 'react';
import { HttpError, useDataProvider, useNotify, useRedirect } from 'react-admin';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import type { DeskDataProvider } from '../dataProvider';

/** Claims the oldest unassigned case the desk has work on and opens it. */
export function useNextCase(): { take: () => void; busy: boolean } {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const notify = useNotify();
  const redirect = useRedirect();
  const [busy, setBusy] = useState(false);
  const take = useCallback(() => {
    if (busy) return;
    setBusy(true);
    dataProvider
      .claimNextCase()
      .then((detail) => {
        notify(`Claimed ${detail.applicant.name}`, { type: 'info' });
        redirect('show', 'applications', detail.id);
      })
      .catch((err: unknown) => {
        const queueClear = err instanceof HttpError && err.status === 404;
        notify(
          queueClear
            ? 'The queue is clear: no unassigned case is waiting'
            : err instanceof Error
              ? err.message
              : 'Next case failed',
          {
            type: queueClear ? 'info' : 'error',
          },
        );
      })
      .finally(() => setBusy(false));
  }, [busy, dataProvider, notify, redirect]);
  return { take, busy };
}

/** Whether a key press was typed into a field (shortcuts leave those alone). */
export function typedInField(event: KeyboardEvent): boolean {
  const target = event.target;
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

const NextCaseButtonInner = ({ variant }: { variant: 'contained' | 'outlined' }) => {
  const { take, busy } = useNextCase();
  return (
    <Button
      size="small"
      variant={variant}
      startIcon={<SkipNext />}
      onClick={take}
      disabled={busy}
      data-testid="next-case"
      title="Next case (n)"
    >
      Next case
    </Button>
  );
};

export const NextCaseButton = ({ variant = 'contained' }: { variant?: 'contained' | 'outlined' }) => (
  <Allowed resource={accessResources.applications} action="work">
    <NextCaseButtonInner variant={variant} />
  </Allowed>
);

const NextCaseKeyInner = () => {
  const { take } = useNextCase();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'n' || event.metaKey || event.ctrlKey || event.altKey || typedInField(event)) return;
      event.preventDefault();
      take();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [take]);
  return null;
};

/** `n` anywhere (outside a field) takes the next case, for roles that work cases. */
export const NextCaseShortcut = () => (
  <Allowed resource={accessResources.applications} action="work">
    <NextCaseKeyInner />
  </Allowed>
);
