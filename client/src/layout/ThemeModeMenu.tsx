import Check from '@mui/icons-material/Check';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { choiceLooks, type SchemeChoice, themeModeMenuId } from './ThemeModeButton';

const choices = (Object.keys(choiceLooks) as SchemeChoice[]).map((value) => ({ value, ...choiceLooks[value] }));

/** The colour scheme's menu under its app-bar button (`ThemeModeButton`), a chunk of its own. */
export const ThemeModeMenu = ({
  anchor,
  onClose,
  current,
  choose,
}: {
  anchor: HTMLElement | null;
  onClose: () => void;
  current: SchemeChoice;
  choose: (value: SchemeChoice) => void;
}) => (
  <Menu
    id={themeModeMenuId}
    anchorEl={anchor}
    open={anchor !== null}
    onClose={onClose}
    anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
    transformOrigin={{ vertical: 'top', horizontal: 'right' }}
    disableScrollLock
  >
    {choices.map(({ value, label: choiceLabel, Icon }) => (
      <MenuItem
        key={value}
        role="menuitemradio"
        aria-checked={value === current}
        selected={value === current}
        data-testid={`theme-mode-${value}`}
        onClick={() => {
          onClose();
          choose(value);
        }}
      >
        <ListItemIcon>
          <Icon fontSize="small" />
        </ListItemIcon>
        <ListItemText>{choiceLabel}</ListItemText>
        <Check fontSize="small" sx={{ ml: 2, visibility: value === current ? 'visible' : 'hidden' }} />
      </MenuItem>
    ))}
  </Menu>
);
