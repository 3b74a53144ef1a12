import { type ApplicationDetail, isOpenCase } from '@desk/shared';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useEffect, useState } from 'react';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import { useDeskIdentity } from '../auth/useDeskIdentity';
import type { DeskDataProvider } from '../dataProvider';
import { typedInField } from './NextCaseButton';

/** Claim or release the case (keys `c` / `r`); 409s say who holds it. */
const Controls = ({ application }: { application: ApplicationDetail }) => {
  const { identity } = useDeskIdentity();
  const dataProvider = useDataProvider<DeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const closed = !isOpenCase(application.stage);
  const mine = identity !== undefined && application.assignee?.id === identity.id;
  const run = (action: 'claim' | 'release') => {
    if (busy) return;
    setBusy(true);
    (action === 'claim'
      ? dataProvider.claimApplication(application.id)
      : dataProvider.releaseApplication(application.id)
    )
      .then(() => {
        notify(action === 'claim' ? 'The case is yours' : 'Case released', { type: 'info' });
        refresh();
      })
      .catch((err: unknown) => notify(err instanceof Error ? err.message : `${action} failed`, { type: 'error' }))
      .finally(() => setBusy(false));
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || typedInField(event)) return;
      if (event.key === 'c' && !mine && !closed) run('claim');
      if (event.key === 'r' && application.assignee) run('release');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  return (
    <Stack direction="row" sx={{ gap: 1 }}>
      {!mine && !closed && (
        <Button
          size="small"
          variant="outlined"
          onClick={() => run('claim')}
          disabled={busy}
          data-testid="claim-case"
          title="Claim (c)"
        >
          {application.assignee ? `Claim (held by ${application.assignee.name})` : 'Claim'}
        </Button>
      )}
      {application.assignee && (
        <Button
          size="small"
          onClick={() => run('release')}
          disabled={busy}
          data-testid="release-case"
          title="Release (r)"
        >
          Release
        </Button>
      )}
    </Stack>
  );
};

export const ClaimControls = ({ application }: { application: ApplicationDetail }) => (
  <Allowed resource={accessResources.applications} action="work">
    <Controls application={application} />
  </Allowed>
);
