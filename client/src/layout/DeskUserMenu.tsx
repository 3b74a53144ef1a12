import { utcTimeZone } from '@desk/shared';
import AccountCircleOutlined from '@mui/icons-material/AccountCircleOutlined';
import CheckBox from '@mui/icons-material/CheckBox';
import CheckBoxOutlineBlank from '@mui/icons-material/CheckBoxOutlineBlank';
import Logout from '@mui/icons-material/Logout';
import ManageAccountsOutlined from '@mui/icons-material/ManageAccountsOutlined';
import Schedule from '@mui/icons-material/Schedule';
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
import { useTimeZone } from '../common/timeZone';

/**
 * Who is signed in (name and role) in the app bar, with "Times in UTC" (one click from the
 * member's own zone and back), their account page and sign-out under it.
 */
export const DeskUserMenu = () => {
  const { identity } = useDeskIdentity();
  const timeZone = useTimeZone();
  const inUtc = timeZone.zone === utcTimeZone;
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
          role="menuitemcheckbox"
          aria-checked={inUtc}
          disabled={timeZone.saving}
          data-testid="user-menu-utc"
          // Back from UTC to the browser's zone; a zone chosen on the account page is one visit away.
          onClick={() => void timeZone.choose(inUtc ? null : utcTimeZone).catch(() => undefined)}
        >
          <ListItemIcon>
            <Schedule fontSize="small" />
          </ListItemIcon>
          <ListItemText secondary={inUtc ? undefined : `Now: ${timeZone.zone}`}>Times in UTC</ListItemText>
          {inUtc ? (
            <CheckBox fontSize="small" color="primary" sx={{ ml: 1 }} />
          ) : (
            <CheckBoxOutlineBlank fontSize="small" sx={{ ml: 1, color: 'text.secondary' }} />
          )}
        </MenuItem>
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
