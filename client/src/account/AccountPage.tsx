import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { Title } from 'react-admin';
import { useDeskIdentity } from '../auth/useDeskIdentity';
import { OwnSessionsCard } from './OwnSessionsCard';
import { SecondFactorCard } from './SecondFactorCard';
import { TimeZoneCard } from './TimeZoneCard';

/**
 * Your account, whatever your role: who you are signed in as, the time zone you read times in,
 * your second factor and where you are signed in. Opened from the user menu in the app bar.
 */
export const AccountPage = () => {
  const { identity } = useDeskIdentity();
  return (
    <Box
      sx={{
        maxWidth: 960,
        py: 2,
        display: 'grid',
        gridTemplateColumns: 'minmax(0, 1fr)',
        gap: 2,
        alignContent: 'start',
      }}
      data-testid="account-page"
    >
      <Title title="Your account" />
      <Box>
        <Typography variant="h5" component="h1">
          Your account
        </Typography>
        {identity && (
          <Typography variant="body2" color="text.secondary" data-testid="account-identity">
            {identity.fullName} · {identity.email} · {identity.roleLabel}
          </Typography>
        )}
      </Box>
      <TimeZoneCard />
      <SecondFactorCard />
      <OwnSessionsCard />
    </Box>
  );
};
