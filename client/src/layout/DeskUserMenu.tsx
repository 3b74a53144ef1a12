import AccountCircleOutlined from '@mui/icons-material/AccountCircleOutlined';
import Logout from '@mui/icons-material/Logout';
import ManageAccountsOutlined from '@mui/icons-material/ManageAccountsOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { useState } from 'react';
import { useLogout, useNavigate } from 'react-admin';
import { useDeskIdentity } from '../auth/useDeskIdentity';

/** Who is signed in (name and role) in the app bar, with their account page and sign-out under it. */
export const DeskUserMenu = () => {
  const { identity } = useDeskIdentity();
  const logout = useLogout();
  const navigate = useNavigate();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  if (!identity) return null;

  return (
    <>
      <Button
        color="inherit"
        onClick={(event) => setAnchor(event.currentTarget)}
        startIcon={<AccountCircleOutlined />}
        aria-haspopup="menu"
        aria-controls={anchor ? 'desk-user-menu' : undefined}
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
      <Menu
        id="desk-user-menu"
        anchorEl={anchor}
        open={anchor !== null}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        disableScrollLock
      >
        <Box sx={{ px: 2, py: 0.75, fontSize: 12.5, color: 'text.secondary' }}>
          Signed in as <b>{identity.email}</b>
        </Box>
        <Divider />
        <MenuItem
          data-testid="user-menu-account"
          onClick={() => {
            setAnchor(null);
            navigate('/account');
          }}
        >
          <ListItemIcon>
            <ManageAccountsOutlined fontSize="small" />
          </ListItemIcon>
          <ListItemText>Your account</ListItemText>
        </MenuItem>
        <MenuItem
          data-testid="sign-out"
          onClick={() => {
            setAnchor(null);
            void logout({}, undefined, false);
          }}
        >
          <ListItemIcon>
            <Logout fontSize="small" />
          </ListItemIcon>
          <ListItemText>Sign out</ListItemText>
        </MenuItem>
      </Menu>
    </>
  );
};
