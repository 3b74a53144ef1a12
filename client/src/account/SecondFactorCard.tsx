import type { RecoveryCodes, SecondFactorStatus, TotpEnrolment } from '@desk/shared';
import PhonelinkLockOutlined from '@mui/icons-material/PhonelinkLockOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useDataProvider } from 'react-admin';
import { Section } from '../applications/Section';
import { RecoveryCodesPanel } from '../auth/RecoveryCodesPanel';
import { readTotpCode, TotpCodeField, TotpEnrolmentForm } from '../auth/TotpEnrolmentForm';
import { DateTime } from '../common/DateTime';
import type { DeskDataProvider } from '../dataProvider';

export const secondFactorQueryKey = ['account', 'second-factor'] as const;

/** A refused code or step as a sentence: the server's headline (the field detail repeats it). */
function refusalOf(error: unknown): string {
  if (!(error instanceof Error)) return 'That did not work; try again.';
  const cut = error.message.indexOf(': ');
  return cut > 0 ? error.message.slice(0, cut) : error.message;
}

/** Where adding an authenticator stands on this page. */
type Enrolment =
  | { kind: 'idle' }
  | { kind: 'scanning'; enrolment: TotpEnrolment }
  | { kind: 'saving'; codes: string[] };

/**
 * Your second factor: whether you have one and since when, how many recovery codes are left,
 * whether your role must have one; adding an authenticator (QR code, first code, recovery
 * codes shown once) and new recovery codes for a current code. Removing one is an admin's
 * job (a lost phone), so a stolen session cannot switch it off.
 */
export const SecondFactorCard = () => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: secondFactorQueryKey,
    queryFn: ({ signal }) => dataProvider.getOwnSecondFactor(signal),
  });
  const [enrolment, setEnrolment] = useState<Enrolment>({ kind: 'idle' });
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [renewing, setRenewing] = useState(false);
  const reload = () => void queryClient.invalidateQueries({ queryKey: secondFactorQueryKey });

  const start = () => {
    setStarting(true);
    setError(null);
    dataProvider
      .beginOwnEnrolment()
      .then((started) => setEnrolment({ kind: 'scanning', enrolment: started }))
      .catch((cause: unknown) => setError(refusalOf(cause)))
      .finally(() => setStarting(false));
  };

  const confirm = async (code: string) => {
    const { recoveryCodes } = await dataProvider.confirmOwnEnrolment(code);
    setEnrolment({ kind: 'saving', codes: recoveryCodes });
    reload();
  };

  return (
    <Section title="Second factor" icon={<PhonelinkLockOutlined fontSize="small" />} testId="account-second-factor">
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
        {error && (
          <Alert severity="error" role="alert" data-testid="account-second-factor-error">
            {error}
          </Alert>
        )}
        {enrolment.kind === 'scanning' ? (
          <TotpEnrolmentForm
            enrolment={enrolment.enrolment}
            onConfirm={confirm}
            describeError={refusalOf}
            submitLabel="Confirm"
            secondaryAction={
              <Button color="inherit" onClick={() => setEnrolment({ kind: 'idle' })}>
                Cancel
              </Button>
            }
          />
        ) : enrolment.kind === 'saving' ? (
          <RecoveryCodesPanel codes={enrolment.codes} doneLabel="Done" onDone={() => setEnrolment({ kind: 'idle' })} />
        ) : status.isPending ? (
          <Skeleton variant="text" width="60%" />
        ) : status.isError ? (
          <Alert severity="error">Your second factor could not be read: {refusalOf(status.error)}</Alert>
        ) : (
          <StatusLine status={status.data} starting={starting} onStart={start} onRenew={() => setRenewing(true)} />
        )}
      </Box>
      {renewing && <RenewDialog onClose={() => setRenewing(false)} onRenewed={reload} />}
    </Section>
  );
};

const StatusLine = ({
  status,
  starting,
  onStart,
  onRenew,
}: {
  status: SecondFactorStatus;
  starting: boolean;
  onStart: () => void;
  onRenew: () => void;
}) =>
  status.enrolled ? (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
      <Typography variant="body2" data-testid="account-second-factor-status" data-enrolled="true" sx={{ flex: 1 }}>
        An authenticator app since <DateTime value={status.confirmedAt} />.{' '}
        <Box component="span" sx={{ color: status.recoveryCodesLeft <= 2 ? 'warning.main' : 'inherit' }}>
          {status.recoveryCodesLeft === 1 ? '1 recovery code left' : `${status.recoveryCodesLeft} recovery codes left`}.
        </Box>
      </Typography>
      <Button variant="outlined" color="inherit" onClick={onRenew} data-testid="account-renew-codes">
        New recovery codes
      </Button>
    </Box>
  ) : (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
      <Typography variant="body2" data-testid="account-second-factor-status" data-enrolled="false" sx={{ flex: 1 }}>
        You sign in with your password alone.{' '}
        {status.required
          ? 'Your role must also use a code from an authenticator app: set one up now, or you will be asked to at your next sign-in.'
          : 'Add an authenticator app and every sign-in also asks for the code it shows.'}
      </Typography>
      <Button variant="contained" loading={starting} onClick={onStart} data-testid="account-enrol">
        Set up an authenticator
      </Button>
    </Box>
  );

/** New recovery codes: a current code proves the authenticator is at hand; the old codes stop working. */
const RenewDialog = ({ onClose, onRenewed }: { onClose: () => void; onRenewed: () => void }) => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [renewed, setRenewed] = useState<RecoveryCodes | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const read = readTotpCode(code);
    if ('problem' in read) {
      setError(read.problem);
      return;
    }
    setBusy(true);
    setError(null);
    dataProvider
      .renewOwnRecoveryCodes(read.code)
      .then((codes) => {
        setRenewed(codes);
        onRenewed();
      })
      .catch((cause: unknown) => {
        setCode('');
        setError(refusalOf(cause));
      })
      .finally(() => setBusy(false));
  };

  return (
    <Dialog open onClose={renewed ? undefined : onClose} maxWidth="sm" fullWidth aria-labelledby="renew-codes-title">
      <DialogTitle id="renew-codes-title">New recovery codes</DialogTitle>
      {renewed ? (
        <DialogContent>
          <RecoveryCodesPanel codes={renewed.recoveryCodes} doneLabel="Done" onDone={onClose} />
        </DialogContent>
      ) : (
        <form noValidate onSubmit={submit}>
          <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
            <DialogContentText>
              Your unused recovery codes stop working and new ones are shown, once. Enter the code your authenticator
              app shows now to confirm.
            </DialogContentText>
            {error && (
              <Alert severity="error" role="alert" data-testid="renew-codes-error">
                {error}
              </Alert>
            )}
            <TotpCodeField value={code} onChange={setCode} testId="renew-codes-code" autoFocus />
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="contained" loading={busy} data-testid="renew-codes-submit">
              Replace my recovery codes
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
};
