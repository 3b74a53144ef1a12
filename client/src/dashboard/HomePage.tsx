import LinearProgress from '@mui/material/LinearProgress';
import { reactRouterProvider } from 'react-admin';
import { useDeskIdentity } from '../auth/useDeskIdentity';
import { DashboardPage } from './DashboardPage';

const { Navigate } = reactRouterProvider;

/** Where `/` lands: the dashboard for senior analysts, the review queue for everyone else. */
export const HomePage = () => {
  const { identity, isPending } = useDeskIdentity();
  if (isPending) return <LinearProgress sx={{ mt: 2 }} />;
  if (identity?.role === 'senior_analyst') return <DashboardPage />;
  return <Navigate to="/applications" replace />;
};
