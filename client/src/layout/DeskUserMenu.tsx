import AccountCircleOutlined from '@mui/icons-material/AccountCircleOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { lazy, Suspense, useState } from 'react';
import { useDeskIdentity } from '../auth/useDeskIdentity';

export const deskUserMenuId = 'desk-user-menu';

const DeskUserMenuList = lazy(() => import('./DeskUserMenuList').then((m) => ({ default: m.DeskUserMenuList })));

/**
 * Who is signed in (name and role) in the app bar, with "Times in UTC" (one click from the
 * member's own zone and back), their account page and sign-out under it. The menu is fetched
 * when the button is first used.
 */
export const DeskUserMenu = () => {
  const { identity } = useDeskIdentity();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [used, setUsed] = useState(false);
  if (!identity) return null;

  return (
    <>
      <Button
        color="inherit"
        onClick={(event) => {
          setAnchor(event.currentTarget);
          setUsed(true);
        }}
        startIcon={<AccountCircleOutlined />}
        aria-haspopup="menu"
        aria-controls={anchor ? deskUserMenuId : undefined}
        aria-expanded={anchor ? true : undefined}
        data-testid="user-menu"
        sx={{ ml: 0.5, py: 0.25, textAlign: 'left' }}
      >
        <Box component="span" sx={{ display: 'flex', flexDirection: 'column', lineHeight: 1.15 }}>
          <Box component="span" data-testid="signed-in-name" sx={{ fontWeight: 600, fontSize: 13 }}>
            {identity.fullName}
          </Box>
          <Box component="span" data-testid="signed-in-role" sx={{ fontWeight: 400, fontSize: 11, opacity: 0.85 }}>
            {identity.roleLabel}
          </Box>
        </Box>
      </Button>
      {used && (
        <Suspense fallback={null}>
          <DeskUserMenuList anchor={anchor} onClose={() => setAnchor(null)} email={identity.email} />
        </Suspense>
      )}
    </>
  );
};
