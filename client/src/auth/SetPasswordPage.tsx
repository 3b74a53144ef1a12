import { type InvitationAccepted, staffPasswordSchema } from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { HttpError, useLocation } from 'react-admin';
import { DateTime } from '../common/DateTime';
import { PageLoading } from '../layout/lazyPage';
import { authApi } from './authApi';
import { SignInFrame } from './SignInFrame';

/** The password rules as the server holds them, in words. */
const passwordRule = `At least ${staffPasswordSchema.minLength ?? 12} characters (up to ${staffPasswordSchema.maxLength ?? 1024}). A few unrelated words make a strong one.`;

/** What is wrong with a new password by the server's own rules, or null. */
function passwordProblem(password: string): string | null {
  const parsed = staffPasswordSchema.safeParse(password);
  return parsed.success ? null : `The password ${parsed.error.issues[0]?.message ?? 'does not follow the rules'}.`;
}

/** A link that cannot be used, in words: not one of this desk's (404), or used, replaced or expired (409). */
function linkRefusal(error: unknown): string {
  if (error instanceof HttpError && (error.status === 404 || error.status === 409)) {
    // "This set-password link has expired; ask an admin for a new link" — the server says which.
    const cut = error.message.indexOf(': ');
    return `${cut > 0 ? error.message.slice(0, cut) : error.message}.`;
  }
  return error instanceof Error ? error.message : 'The link could not be checked.';
}

const BackToSignIn = ({ primary = false }: { primary?: boolean }) => (
  <Button href="#/login" variant={primary ? 'contained' : 'outlined'} data-testid="set-password-sign-in">
    Go to sign-in
  </Button>
);

/**
 * Where a set-password link leads: whom it is for, the password rules, the new password
 * (typed twice), then on to sign-in. A link that is used, replaced or expired says so and
 * what to do.
 */
export const SetPasswordPage = () => {
  const token = new URLSearchParams(useLocation().search).get('token') ?? '';
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: ({ signal }) => authApi.inspectInvitation(token, signal),
    enabled: token !== '',
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [accepted, setAccepted] = useState<InvitationAccepted | null>(null);

  if (token === '' || invitation.isError) {
    return (
      <SignInFrame title="This link cannot be used" testId="set-password-page">
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.75 }}>
          <Alert severity="error" role="alert" data-testid="set-password-refused">
            {token === ''
              ? 'This address has no set-password token. Open the whole link you were given.'
              : linkRefusal(invitation.error)}
          </Alert>
          <Typography variant="body2" color="text.secondary">
            An admin can send you a new link from the Staff page; it replaces every earlier one.
          </Typography>
          <BackToSignIn />
        </Box>
      </SignInFrame>
    );
  }
  if (invitation.isPending) return <PageLoading />;

  if (accepted) {
    return (
      <SignInFrame title="Your password is set" testId="set-password-page">
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.75 }} data-testid="set-password-done">
          {accepted.awaitingApproval ? (
            <Alert severity="info">
              Your role still waits for a second admin’s approval. You can sign in as {accepted.email} once it is
              approved.
            </Alert>
          ) : (
            <Alert severity="success">Sign in as {accepted.email} with your new password.</Alert>
          )}
          <BackToSignIn primary />
        </Box>
      </SignInFrame>
    );
  }

  const { name, email, expiresAt } = invitation.data;
  return (
    <SignInFrame
      title="Set your password"
      testId="set-password-page"
      intro={
        <>
          For <b data-testid="set-password-name">{name}</b> ({email}). This link works once, until{' '}
          <DateTime value={expiresAt} />.
        </>
      }
    >
      <PasswordForm token={token} email={email} onAccepted={setAccepted} />
    </SignInFrame>
  );
};

interface PasswordFormProps {
  token: string;
  /** Whose password it is, for the browser's password manager. */
  email: string;
  onAccepted: (done: InvitationAccepted) => void;
}

const PasswordForm = ({ token, email, onAccepted }: PasswordFormProps) => {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<{ field: 'password' | 'repeat' | 'form'; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const wrong = passwordProblem(password);
    if (wrong) {
      setProblem({ field: 'password', message: wrong });
      return;
    }
    if (repeat !== password) {
      setProblem({ field: 'repeat', message: 'The two passwords differ. Type the same one twice.' });
      return;
    }
    setBusy(true);
    setProblem(null);
    authApi
      .acceptInvitation(token, password)
      .then(onAccepted)
      .catch((cause: unknown) => {
        setBusy(false);
        setProblem({ field: 'form', message: linkRefusal(cause) });
      });
  };

  return (
    <form noValidate onSubmit={submit} aria-label="Set your password">
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.75 }}>
        {problem && (
          <Alert severity="error" role="alert" data-testid="set-password-error">
            {problem.message}
          </Alert>
        )}
        <input type="hidden" autoComplete="username" value={email} readOnly />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          autoFocus
          fullWidth
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={problem?.field === 'password'}
          helperText={passwordRule}
          slotProps={{ htmlInput: { 'data-testid': 'set-password-new', name: 'password' } }}
        />
        <TextField
          label="The same password again"
          type="password"
          autoComplete="new-password"
          fullWidth
          value={repeat}
          onChange={(event) => setRepeat(event.target.value)}
          error={problem?.field === 'repeat'}
          slotProps={{ htmlInput: { 'data-testid': 'set-password-repeat', name: 'repeat' } }}
        />
        <Button
          type="submit"
          variant="contained"
          size="medium"
          fullWidth
          loading={busy}
          data-testid="set-password-submit"
        >
          Set password
        </Button>
      </Box>
    </form>
  );
};
