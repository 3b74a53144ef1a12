import type { Me, TotpEnrolment } from '@desk/shared';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import OutlinedInput from '@mui/material/OutlinedInput';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, lazy, Suspense, useEffect, useState } from 'react';
import { useCheckAuth, useLogin, useNavigate } from 'react-admin';
import { lazyPage, PageLoading } from '../layout/lazyPage';
import { authApi, isSignInStep, passwordStepError } from './authApi';
import type { LoginParams } from './authProvider';
import { SignInFrame } from './SignInFrame';

/** The second step's screens are fetched only when a password asks for one. */
const SecondStep = lazyPage(() => import('./SecondStep').then((m) => m.SecondStep));

/**
 * What went wrong is shown in an `Alert`, fetched when the visitor first types or submits (so
 * it is in by the time an answer comes back) rather than with the page: most sign-ins never
 * show one.
 */
const loadAlert = () => import('@mui/material/Alert');
const Alert = lazy(loadAlert);

/** Where a sign-in stands: the password (or single sign-on), then a code or enrolling an authenticator. */
type Step = { kind: 'password' } | { kind: 'second_factor' } | { kind: 'enrol'; enrolment: TotpEnrolment };

/**
 * The sign-in page: email and password, "Sign in with <name>" when single sign-on is
 * configured (the password form is left out when password sign-in is off), then the second
 * step when the password asks for one; what went wrong in plain words.
 */
export const LoginPage = () => {
  const login = useLogin();
  const checkAuth = useCheckAuth();
  const navigate = useNavigate();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [notice, setNotice] = useState<string | null>(null);

  // Already signed in (another tab): straight to the desk.
  useEffect(() => {
    checkAuth({}, false)
      .then(() => navigate('/'))
      .catch(() => undefined);
  }, [checkAuth, navigate]);

  /** The sign-in completed: the auth provider keeps who it is, and the desk opens. */
  const signedIn = (me: Me) => login({ me } satisfies LoginParams);
  const restart = (message: string | null) => {
    setNotice(message);
    setStep({ kind: 'password' });
  };

  if (step.kind !== 'password') {
    return (
      <Suspense fallback={<PageLoading />}>
        <SecondStep step={step} onSignedIn={signedIn} onRestart={restart} />
      </Suspense>
    );
  }
  return (
    <PasswordStep
      notice={notice}
      onSignedIn={signedIn}
      onSecondFactor={() => setStep({ kind: 'second_factor' })}
      onEnrol={(enrolment) => setStep({ kind: 'enrol', enrolment })}
    />
  );
};

interface PasswordStepProps {
  /** Why the visitor is back here (a second step that expired). */
  notice: string | null;
  onSignedIn: (me: Me) => Promise<unknown>;
  onSecondFactor: () => void;
  onEnrol: (enrolment: TotpEnrolment) => void;
}

const PasswordStep = ({ notice, onSignedIn, onSecondFactor, onEnrol }: PasswordStepProps) => {
  const options = useQuery({
    queryKey: ['sign-in-options'],
    queryFn: ({ signal }) => authApi.signInOptions(signal),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(notice);
  const [submitting, setSubmitting] = useState(false);
  const [leaving, setLeaving] = useState(false);

  // Until the options are read the form waits: a desk with password sign-in off never shows it.
  const passwordSignIn = options.isPending ? null : (options.data?.passwordSignIn ?? true);
  const singleSignOn = options.data?.singleSignOn ?? null;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void loadAlert();
    if (email.trim() === '' || password === '') {
      setError('Enter your email address and your password.');
      return;
    }
    setSubmitting(true);
    setError(null);
    authApi
      .signIn({ email: email.trim(), password })
      .then(async (answer) => {
        if (!isSignInStep(answer)) return onSignedIn(answer);
        if (answer.next === 'second_factor') return onSecondFactor();
        // Enrolment is owed: its secret is made now, shown on the next screen.
        onEnrol(await authApi.beginSignInEnrolment());
      })
      .catch((cause: unknown) => {
        setSubmitting(false);
        setPassword('');
        setError(passwordStepError(cause));
      });
  };

  const goToProvider = () => {
    setLeaving(true);
    setError(null);
    authApi
      .startSingleSignOn()
      .then(({ authorizationUrl }) => window.location.assign(authorizationUrl))
      .catch((cause: unknown) => {
        setLeaving(false);
        setError(cause instanceof Error ? cause.message : 'Single sign-on could not start.');
      });
  };

  const intro =
    passwordSignIn === false
      ? `Sign in with your ${singleSignOn?.name ?? 'company'} account.`
      : singleSignOn
        ? `Use your staff email address and password, or your ${singleSignOn.name} account.`
        : 'Use your staff email address and password.';

  return (
    <SignInFrame title="Sign in" intro={intro}>
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.75 }}>
        {error && (
          <Suspense
            fallback={
              <Box data-testid="login-error" role="alert" sx={{ color: 'error.main', py: 0.75 }}>
                {error}
              </Box>
            }
          >
            <Alert severity="error" data-testid="login-error" role="alert">
              {error}
            </Alert>
          </Suspense>
        )}
        {singleSignOn && (
          <Button
            variant={passwordSignIn === false ? 'contained' : 'outlined'}
            size="medium"
            fullWidth
            loading={leaving}
            onClick={goToProvider}
            data-testid="login-sso"
          >
            Sign in with {singleSignOn.name}
          </Button>
        )}
        {singleSignOn && passwordSignIn && (
          <Typography variant="caption" color="text.secondary" sx={{ textAlign: 'center' }}>
            or with your password
          </Typography>
        )}
        {passwordSignIn && (
          <form noValidate onSubmit={submit} onKeyDown={() => void loadAlert()} aria-label="Sign in with a password">
            <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.75 }}>
              <SignInField
                label="Email"
                type="email"
                autoComplete="username"
                autoFocus
                value={email}
                onChange={setEmail}
                testId="login-email"
                name="email"
              />
              <SignInField
                label="Password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={setPassword}
                testId="login-password"
                name="password"
              />
              <Button
                type="submit"
                variant="contained"
                size="medium"
                fullWidth
                disabled={submitting}
                data-testid="login-submit"
              >
                {submitting ? 'Signing in…' : 'Sign in'}
              </Button>
            </Box>
          </form>
        )}
      </Box>
    </SignInFrame>
  );
};

interface SignInFieldProps {
  label: string;
  type: 'email' | 'password';
  autoComplete: string;
  autoFocus?: boolean;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  name: string;
}

/**
 * One field of the form: what a small outlined `TextField` renders (label, outlined input),
 * built from its parts so the sign-in page does not download the select and menu a
 * `TextField` brings along.
 */
const SignInField = ({ label, type, autoComplete, autoFocus, value, onChange, testId, name }: SignInFieldProps) => {
  const id = `login-${name}`;
  return (
    <FormControl fullWidth size="small" variant="outlined">
      <InputLabel htmlFor={id}>{label}</InputLabel>
      <OutlinedInput
        id={id}
        label={label}
        type={type}
        autoComplete={autoComplete}
        autoFocus={autoFocus}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        inputProps={{ 'data-testid': testId, name }}
      />
    </FormControl>
  );
};
