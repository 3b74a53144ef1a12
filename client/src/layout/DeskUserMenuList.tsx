import { utcTimeZone } from '@desk/shared';
import CheckBox from '@mui/icons-material/CheckBox';
import CheckBoxOutlineBlank from '@mui/icons-material/CheckBoxOutlineBlank';
import Logout from '@mui/icons-material/Logout';
import ManageAccountsOutlined from '@mui/icons-material/ManageAccountsOutlined';
import Schedule from '@mui/icons-material/Schedule';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { useLogout, useNavigate } from 'react-admin';
import { useTimeZone } from '../common/timeZone';
import { deskUserMenuId } from './DeskUserMenu';

/** The account menu under the app bar's name and role (`DeskUserMenu`), a chunk of its own. */
export const DeskUserMenuList = ({
  anchor,
  onClose,
  email,
}: {
  anchor: HTMLElement | null;
  onClose: () => void;
  email: string;
}) => {
  const timeZone = useTimeZone();
  const inUtc = timeZone.zone === utcTimeZone;
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <Menu
      id={deskUserMenuId}
      anchorEl={anchor}
      open={anchor !== null}
      onClose={onClose}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
      transformOrigin={{ vertical: 'top', horizontal: 'right' }}
      disableScrollLock
    >
      <Box sx={{ px: 2, py: 0.75, fontSize: 12.5, color: 'text.secondary' }}>
        Signed in as <b>{email}</b>
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
          onClose();
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
          onClose();
          void logout({}, undefined, false);
        }}
      >
        <ListItemIcon>
          <Logout fontSize="small" />
        </ListItemIcon>
        <ListItemText>Sign out</ListItemText>
      </MenuItem>
    </Menu>
  );
};
