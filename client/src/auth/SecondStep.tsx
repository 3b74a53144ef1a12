import type { EnrolledSignIn, Me, TotpEnrolment } from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import { type FormEvent, useState } from 'react';
import { authApi, codeRefusal } from './authApi';
import { RecoveryCodesPanel } from './RecoveryCodesPanel';
import { SignInFrame } from './SignInFrame';
import { readTotpCode, TotpCodeField, TotpEnrolmentForm } from './TotpEnrolmentForm';

export interface SecondStepProps {
  step: { kind: 'second_factor' } | { kind: 'enrol'; enrolment: TotpEnrolment };
  onSignedIn: (me: Me) => void;
  /** Back to the password, saying why (null: the visitor chose to). */
  onRestart: (message: string | null) => void;
}

/** The sign-in's second step: a code (or a recovery code), or adding an authenticator first. */
export const SecondStep = ({ step, onSignedIn, onRestart }: SecondStepProps) =>
  step.kind === 'second_factor' ? (
    <CodeStep onSignedIn={onSignedIn} onRestart={onRestart} />
  ) : (
    <EnrolStep enrolment={step.enrolment} onSignedIn={onSignedIn} onRestart={onRestart} />
  );

const BackToPassword = ({ onRestart }: { onRestart: SecondStepProps['onRestart'] }) => (
  <Button color="inherit" onClick={() => onRestart(null)} data-testid="login-restart">
    Back
  </Button>
);

const CodeStep = ({ onSignedIn, onRestart }: Omit<SecondStepProps, 'step'>) => {
  const [recovery, setRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    let body: { code: string } | { recoveryCode: string };
    if (recovery) {
      if (value.trim() === '') {
        setError('Enter one of your recovery codes.');
        return;
      }
      body = { recoveryCode: value.trim() };
    } else {
      const read = readTotpCode(value);
      if ('problem' in read) {
        setError(read.problem);
        return;
      }
      body = read;
    }
    setBusy(true);
    setError(null);
    authApi
      .signInWithSecondFactor(body)
      .then(onSignedIn)
      .catch((cause: unknown) => {
        const refusal = codeRefusal(cause);
        if (refusal.restart) {
          onRestart(refusal.message);
          return;
        }
        setBusy(false);
        setValue('');
        setError(refusal.message);
      });
  };

  const switchMethod = () => {
    setRecovery(!recovery);
    setValue('');
    setError(null);
  };

  return (
    <SignInFrame
      title={recovery ? 'Enter a recovery code' : 'Enter your code'}
      intro={
        recovery
          ? 'Lost your authenticator? Enter one of the recovery codes you saved when you set it up. Each works once.'
          : 'Open your authenticator app and enter the 6-digit code it shows for Compliance Desk.'
      }
    >
      <form noValidate onSubmit={submit} aria-label="Second step of signing in">
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.75 }}>
          {error && (
            <Alert severity="error" role="alert" data-testid="login-error">
              {error}
            </Alert>
          )}
          {recovery ? (
            <TextField
              key="recovery"
              label="Recovery code"
              value={value}
              onChange={(event) => setValue(event.target.value)}
              autoComplete="off"
              autoFocus
              fullWidth
              slotProps={{ htmlInput: { 'data-testid': 'login-recovery-code', spellCheck: false, maxLength: 64 } }}
            />
          ) : (
            <TotpCodeField key="code" value={value} onChange={setValue} testId="login-code" autoFocus />
          )}
          <Button
            type="submit"
            variant="contained"
            size="medium"
            fullWidth
            loading={busy}
            data-testid="login-code-submit"
          >
            Verify and sign in
          </Button>
          <Box sx={{ display: 'flex', justifyContent: 'space-between' }}>
            <BackToPassword onRestart={onRestart} />
            <Button onClick={switchMethod} data-testid="login-switch-method">
              {recovery ? 'Use the authenticator app' : 'Use a recovery code instead'}
            </Button>
          </Box>
        </Box>
      </form>
    </SignInFrame>
  );
};

const EnrolStep = ({
  enrolment,
  onSignedIn,
  onRestart,
}: { enrolment: TotpEnrolment } & Omit<SecondStepProps, 'step'>) => {
  const [enrolled, setEnrolled] = useState<EnrolledSignIn | null>(null);

  if (enrolled) {
    return (
      <SignInFrame
        title="Save your recovery codes"
        intro="Your authenticator is set up and you are signed in."
        wide
        testId="sign-in-recovery-codes"
      >
        <RecoveryCodesPanel
          codes={enrolled.recoveryCodes}
          doneLabel="Open the desk"
          onDone={() => onSignedIn(enrolled.me)}
        />
      </SignInFrame>
    );
  }

  const confirm = async (code: string) => {
    try {
      setEnrolled(await authApi.confirmSignInEnrolment(code));
    } catch (cause) {
      const refusal = codeRefusal(cause);
      if (refusal.restart) onRestart(refusal.message);
      throw cause;
    }
  };

  return (
    <SignInFrame
      title="Set up a second factor"
      intro="Your role signs in with a code from an authenticator app as well as your password. Set one up now: it takes a minute."
      wide
      testId="sign-in-enrolment"
    >
      <TotpEnrolmentForm
        enrolment={enrolment}
        onConfirm={confirm}
        describeError={(cause) => codeRefusal(cause).message}
        submitLabel="Confirm and sign in"
        secondaryAction={<BackToPassword onRestart={onRestart} />}
      />
    </SignInFrame>
  );
};
