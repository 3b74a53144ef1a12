import Check from '@mui/icons-material/Check';
import DarkModeOutlined from '@mui/icons-material/DarkModeOutlined';
import LightModeOutlined from '@mui/icons-material/LightModeOutlined';
import SettingsBrightnessOutlined from '@mui/icons-material/SettingsBrightnessOutlined';
import IconButton from '@mui/material/IconButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { useTheme } from '@mui/material/styles';
import Tooltip from '@mui/material/Tooltip';
import { type ComponentType, useState } from 'react';
import { type ThemeType, useStore } from 'react-admin';

type SchemeChoice = ThemeType | 'system';

const choiceLooks: Record<SchemeChoice, { label: string; Icon: ComponentType<{ fontSize: 'small' }> }> = {
  light: { label: 'Light', Icon: LightModeOutlined },
  dark: { label: 'Dark', Icon: DarkModeOutlined },
  system: { label: 'System', Icon: SettingsBrightnessOutlined },
};
const choices = (Object.keys(choiceLooks) as SchemeChoice[]).map((value) => ({ value, ...choiceLooks[value] }));

/**
 * The colour scheme: light, dark, or the system's (the default). A choice is kept in
 * react-admin's store under `theme` (the browser's local storage), which react-admin's theme
 * provider reads; "system" removes it, so the provider follows `prefers-color-scheme` again.
 */
export const ThemeModeButton = () => {
  const [stored, store] = useStore<ThemeType | undefined>('theme');
  const shown = useTheme().palette.mode;
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const current: SchemeChoice = stored ?? 'system';
  const label = `Colour scheme: ${choiceLooks[current].label}${current === 'system' ? ` (${shown})` : ''}`;
  const CurrentIcon = choiceLooks[current].Icon;

  return (
    <>
      <Tooltip title={label}>
        <IconButton
          color="inherit"
          onClick={(event) => setAnchor(event.currentTarget)}
          aria-label={label}
          aria-haspopup="menu"
          aria-controls={anchor ? 'theme-mode-menu' : undefined}
          aria-expanded={anchor ? true : undefined}
          data-testid="theme-mode-button"
        >
          <CurrentIcon fontSize="small" />
        </IconButton>
      </Tooltip>
      <Menu
        id="theme-mode-menu"
        anchorEl={anchor}
        open={anchor !== null}
        onClose={() => setAnchor(null)}
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
              setAnchor(null);
              store(value === 'system' ? undefined : value);
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
    </>
  );
};
