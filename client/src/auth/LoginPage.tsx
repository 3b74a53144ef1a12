import VerifiedUserOutlined from '@mui/icons-material/VerifiedUserOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type FormEvent, useEffect, useState } from 'react';
import { useCheckAuth, useLogin, useNavigate } from 'react-admin';
import type { LoginParams } from './authProvider';

/** The sign-in page: email and password, and what went wrong in plain words. */
export const LoginPage = () => {
  const login = useLogin();
  const checkAuth = useCheckAuth();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  // Already signed in (another tab): straight to the desk.
  useEffect(() => {
    checkAuth({}, false)
      .then(() => navigate('/'))
      .catch(() => undefined);
  }, [checkAuth, navigate]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (email.trim() === '' || password === '') {
      setError('Enter your email address and your password.');
      return;
    }
    setSubmitting(true);
    setError(null);
    const params: LoginParams = { email: email.trim(), password };
    login(params).catch((cause: unknown) => {
      setSubmitting(false);
      setPassword('');
      setError(cause instanceof Error ? cause.message : 'Signing in failed.');
    });
  };

  return (
    <Box
      component="main"
      sx={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'flex-start',
        justifyContent: 'center',
        bgcolor: 'background.default',
        backgroundImage: 'linear-gradient(180deg, #1f4e79 0, #1f4e79 260px, transparent 260px)',
        px: 2,
      }}
    >
      <Box sx={{ width: '100%', maxWidth: 380, mt: { xs: 6, sm: 12 } }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, color: 'primary.contrastText', mb: 2.5 }}>
          <VerifiedUserOutlined sx={{ fontSize: 32 }} />
          <Box>
            <Typography component="h1" sx={{ fontSize: 20, fontWeight: 700, lineHeight: 1.2 }}>
              Compliance Desk
            </Typography>
            <Typography sx={{ fontSize: 12.5, opacity: 0.85 }}>KYC review back office</Typography>
          </Box>
        </Box>
        <Card sx={{ p: 3, boxShadow: '0 8px 24px rgba(16, 32, 56, 0.12)' }}>
          <Typography component="h2" variant="h6" sx={{ mb: 0.5 }}>
            Sign in
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            Use your staff email address and password.
          </Typography>
          <form noValidate onSubmit={submit} aria-label="Sign in">
            <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.75 }}>
              {error && (
                <Alert severity="error" data-testid="login-error" role="alert">
                  {error}
                </Alert>
              )}
              <TextField
                label="Email"
                type="email"
                autoComplete="username"
                autoFocus
                fullWidth
                value={email}
                onChange={(event) => setEmail(event.target.value)}
                slotProps={{ htmlInput: { 'data-testid': 'login-email', name: 'email' } }}
              />
              <TextField
                label="Password"
                type="password"
                autoComplete="current-password"
                fullWidth
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                slotProps={{ htmlInput: { 'data-testid': 'login-password', name: 'password' } }}
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
        </Card>
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1.5, textAlign: 'center' }}>
          Every sign-in is recorded on the audit trail.
        </Typography>
      </Box>
    </Box>
  );
};
