/**
 * The desk's look: a compact theme for people who read tables all day. Small controls, 13px
 * type, outlined cards instead of shadows, tight table cells. One theme built twice, light and
 * dark, from the tones of each mode; every text tone reads at 4.5:1 or more (WCAG AA) on the
 * paper and page backgrounds of its mode.
 */
import {
  darken,
  decomposeColor,
  getContrastRatio,
  lighten,
  type PaletteMode,
  recomposeColor,
} from '@mui/material/styles';
import type { RaThemeOptions } from 'react-admin';

type Tones = {
  ink: string;
  muted: string;
  /** Disabled and placeholder text: fainter than `muted`, still 4.5:1 on the page. */
  faint: string;
  line: string;
  page: string;
  paper: string;
  tableHead: string;
  primary: string;
  primaryText: string;
  /** A quiet accent (`color="secondary"`), readable as text on paper. */
  secondary: string;
  secondaryText: string;
  /** The app bar's background, under white text. */
  appBar: string;
  warning: string;
  error: string;
  success: string;
  info: string;
};

export const tones: Record<PaletteMode, Tones> = {
  light: {
    ink: '#1c2430',
    muted: '#4f5a69',
    faint: '#68717d',
    line: '#dde2e9',
    page: '#f3f5f8',
    paper: '#ffffff',
    tableHead: '#f6f7f9',
    primary: '#1f4e79',
    primaryText: '#ffffff',
    secondary: '#1b2b3c',
    secondaryText: '#ffffff',
    appBar: '#1b2b3c',
    warning: '#9a4a06',
    error: '#b3261e',
    success: '#24692a',
    info: '#1b5fae',
  },
  dark: {
    ink: '#e4e9f0',
    muted: '#a8b3c2',
    faint: '#8a94a3',
    line: '#2c3642',
    page: '#0f141a',
    paper: '#161c24',
    tableHead: '#1b222c',
    primary: '#8cb8e8',
    primaryText: '#0b1928',
    secondary: '#b4c3d6',
    secondaryText: '#0b1928',
    appBar: '#111a24',
    warning: '#f0a650',
    error: '#f2837b',
    success: '#7cc784',
    info: '#86b6f0',
  },
};

/** WCAG AA for normal-size text. */
const readableContrast = 4.5;

/**
 * `color`, darkened (on a light background) or lightened (on a dark one) just enough to read
 * at 4.5:1 on `background`: how a stage or chart colour becomes a text colour in either mode.
 */
export function readableOn(color: string, background: string): string {
  const onDark = getContrastRatio(background, '#000000') < getContrastRatio(background, '#ffffff');
  let candidate = color;
  for (let step = 1; step <= 20 && getContrastRatio(candidate, background) < readableContrast; step += 1) {
    candidate = onDark ? lighten(color, step * 0.05) : darken(color, step * 0.05);
  }
  return candidate;
}

/** `color` at `opacity` over the opaque `base`, as one opaque colour (what a tint looks like). */
export function mixOver(base: string, color: string, opacity: number): string {
  const under = decomposeColor(base).values;
  const over = decomposeColor(color).values;
  const mixed = under.map((channel, i) => Math.round(channel * (1 - opacity) + (over[i] ?? channel) * opacity));
  return recomposeColor({ type: 'rgb', values: [mixed[0] ?? 0, mixed[1] ?? 0, mixed[2] ?? 0] });
}

function deskThemeFor(mode: PaletteMode): RaThemeOptions {
  const t = tones[mode];
  return {
    palette: {
      mode,
      // Text MUI picks for a filled colour (a chip, a button) reads at AA, not its default 3:1.
      contrastThreshold: readableContrast,
      primary: { main: t.primary, contrastText: t.primaryText },
      secondary: { main: t.secondary, contrastText: t.secondaryText },
      warning: { main: t.warning },
      error: { main: t.error },
      success: { main: t.success },
      info: { main: t.info },
      background: { default: t.page, paper: t.paper },
      text: { primary: t.ink, secondary: t.muted, disabled: t.faint },
      divider: t.line,
    },
    shape: { borderRadius: 6 },
    spacing: 6,
    typography: {
      fontFamily: '"Inter", "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif',
      fontSize: 13,
      h5: { fontWeight: 600, fontSize: '1.25rem' },
      h6: { fontWeight: 600, fontSize: '1rem' },
      subtitle2: { fontWeight: 600 },
      button: { textTransform: 'none', fontWeight: 600 },
    },
    sidebar: { width: 200, closedWidth: 48 },
    components: {
      MuiAppBar: {
        defaultProps: { elevation: 0 },
        // react-admin's app bar takes the secondary colour: the app bar's own tone instead.
        styleOverrides: { colorSecondary: { backgroundColor: t.appBar, color: '#ffffff' } },
      },
      MuiButton: { defaultProps: { size: 'small', disableElevation: true } },
      MuiIconButton: { defaultProps: { size: 'small' } },
      MuiCard: { defaultProps: { variant: 'outlined' } },
      MuiCardHeader: {
        styleOverrides: {
          root: { padding: '8px 12px', borderBottom: `1px solid ${t.line}` },
          title: { fontSize: '0.875rem', fontWeight: 600 },
        },
      },
      MuiCardContent: {
        styleOverrides: { root: { padding: '10px 12px', '&:last-child': { paddingBottom: 10 } } },
      },
      MuiChip: { defaultProps: { size: 'small' } },
      MuiTextField: { defaultProps: { size: 'small', variant: 'outlined', margin: 'none' } },
      MuiFormControl: { defaultProps: { size: 'small', margin: 'none' } },
      MuiCheckbox: { defaultProps: { size: 'small' } },
      MuiTable: { defaultProps: { size: 'small' } },
      MuiTableCell: {
        styleOverrides: {
          root: { padding: '4px 8px', borderColor: t.line, lineHeight: 1.35 },
          head: { fontWeight: 600, fontSize: 12, color: t.muted, backgroundColor: t.tableHead, whiteSpace: 'nowrap' },
        },
      },
      MuiTooltip: { defaultProps: { arrow: true, enterDelay: 300 } },
      // A list never widens the page: a table wider than the screen scrolls in its own container.
      RaList: { styleOverrides: { root: { '& .RaList-main': { minWidth: 0 } } } },
    },
  };
}

export const deskTheme: RaThemeOptions = deskThemeFor('light');
export const deskDarkTheme: RaThemeOptions = deskThemeFor('dark');
