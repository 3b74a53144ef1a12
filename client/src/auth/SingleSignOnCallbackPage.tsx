import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useAuthProvider, useLocation, useNavigate } from 'react-admin';
import { PageLoading } from '../layout/lazyPage';
import { authApi } from './authApi';
import type { LoginParams } from './authProvider';
import { SignInFrame } from './SignInFrame';

/** Why the desk refused the sign-in, as the server says it (no role here, deactivated, did not check out). */
function refusalOf(error: unknown): string {
  const text = error instanceof Error ? error.message : 'The sign-in could not be completed';
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * Where the identity provider sends the browser back: the query string it brought (the code
 * and state, or the provider's error) goes to the desk, which checks it and starts the
 * session; then the desk opens. A refusal is shown with the way back to sign-in. The code is
 * good once, so it is sent once, however often the page renders.
 */
export const SingleSignOnCallbackPage = () => {
  const { search } = useLocation();
  const authProvider = useAuthProvider();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const sent = useRef(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    if (search === '') {
      setRefusal('The identity provider sent nothing back. Start the sign-in again from the sign-in page.');
      return;
    }
    authApi
      .completeSingleSignOn(search)
      .then(async (me) => {
        await authProvider?.login({ me } satisfies LoginParams);
        // This page was shown while nobody was signed in, and the desk's routes remember that:
        // they read who is signed in again before the desk opens.
        await queryClient.resetQueries({ queryKey: ['auth'] });
        navigate('/', { replace: true });
      })
      .catch((cause: unknown) => setRefusal(refusalOf(cause)));
  }, [search, authProvider, queryClient, navigate]);

  if (refusal === null) {
    return (
      <SignInFrame title="Signing you in…" testId="sso-callback-page">
        <PageLoading />
      </SignInFrame>
    );
  }
  return (
    <SignInFrame title="Single sign-on did not complete" testId="sso-callback-page">
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.75 }}>
        <Alert severity="error" role="alert" data-testid="sso-refused">
          {refusal}
        </Alert>
        <Typography variant="body2" color="text.secondary">
          If you think you should have access, ask your administrator to check your groups at the identity provider.
        </Typography>
        <Button href="#/login" variant="contained" data-testid="sso-back-to-sign-in">
          Back to sign-in
        </Button>
      </Box>
    </SignInFrame>
  );
};
