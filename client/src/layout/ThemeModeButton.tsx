import DarkModeOutlined from '@mui/icons-material/DarkModeOutlined';
import LightModeOutlined from '@mui/icons-material/LightModeOutlined';
import SettingsBrightnessOutlined from '@mui/icons-material/SettingsBrightnessOutlined';
import IconButton from '@mui/material/IconButton';
import { useTheme } from '@mui/material/styles';
import { type ComponentType, lazy, Suspense, useState } from 'react';
import { type ThemeType, useStore } from 'react-admin';
import { Hint } from '../common/Hint';

export type SchemeChoice = ThemeType | 'system';

export const themeModeMenuId = 'theme-mode-menu';

const ThemeModeMenu = lazy(() => import('./ThemeModeMenu').then((m) => ({ default: m.ThemeModeMenu })));

export const choiceLooks: Record<SchemeChoice, { label: string; Icon: ComponentType<{ fontSize: 'small' }> }> = {
  light: { label: 'Light', Icon: LightModeOutlined },
  dark: { label: 'Dark', Icon: DarkModeOutlined },
  system: { label: 'System', Icon: SettingsBrightnessOutlined },
};

/**
 * The colour scheme: light, dark, or the system's (the default). A choice is kept in
 * react-admin's store under `theme` (the browser's local storage), which react-admin's theme
 * provider reads; "system" removes it, so the provider follows `prefers-color-scheme` again.
 * The menu is fetched when the button is first used.
 */
export const ThemeModeButton = () => {
  const [stored, store] = useStore<ThemeType | undefined>('theme');
  const shown = useTheme().palette.mode;
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const current: SchemeChoice = stored ?? 'system';
  const label = `Colour scheme: ${choiceLooks[current].label}${current === 'system' ? ` (${shown})` : ''}`;
  const CurrentIcon = choiceLooks[current].Icon;
  const [used, setUsed] = useState(false);
  const choose = (value: SchemeChoice) => store(value === 'system' ? undefined : value);

  return (
    <>
      <Hint title={label}>
        <IconButton
          color="inherit"
          onClick={(event) => {
            setAnchor(event.currentTarget);
            setUsed(true);
          }}
          aria-label={label}
          aria-haspopup="menu"
          aria-controls={anchor ? themeModeMenuId : undefined}
          aria-expanded={anchor ? true : undefined}
          data-testid="theme-mode-button"
        >
          <CurrentIcon fontSize="small" />
        </IconButton>
      </Hint>
      {used && (
        <Suspense fallback={null}>
          <ThemeModeMenu anchor={anchor} onClose={() => setAnchor(null)} current={current} choose={choose} />
        </Suspense>
      )}
    </>
  );
};
