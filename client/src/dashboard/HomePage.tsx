import LinearProgress from '@mui/material/LinearProgress';
import { reactRouterProvider } from 'react-admin';
import { useDeskIdentity } from '../auth/useDeskIdentity';

const { Navigate } = reactRouterProvider;

/** Where `/` (and so sign-in) lands: the dashboard for senior analysts, the review queue for everyone else. */
export const HomePage = () => {
  const { identity, isPending } = useDeskIdentity();
  if (isPending) return <LinearProgress sx={{ mt: 2 }} />;
  return <Navigate to={identity?.role === 'senior_analyst' ? '/dashboard' : '/applications'} replace />;
};
