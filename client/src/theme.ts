/**
 * The desk's look: a light, compact theme for people who read tables all day. Small
 * controls, 13px type, outlined cards instead of shadows, tight table cells.
 */
import type { RaThemeOptions } from 'react-admin';

const ink = '#1c2430';
const muted = '#5b6675';
const line = '#e3e7ed';

export const deskTheme: RaThemeOptions = {
  palette: {
    mode: 'light',
    primary: { main: '#1f4e79', contrastText: '#ffffff' },
    secondary: { main: '#1b2b3c', contrastText: '#ffffff' },
    warning: { main: '#b45309' },
    background: { default: '#f3f5f8', paper: '#ffffff' },
    text: { primary: ink, secondary: muted },
    divider: line,
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
    MuiAppBar: { defaultProps: { elevation: 0 } },
    MuiButton: { defaultProps: { size: 'small', disableElevation: true } },
    MuiIconButton: { defaultProps: { size: 'small' } },
    MuiCard: { defaultProps: { variant: 'outlined' } },
    MuiCardHeader: {
      styleOverrides: {
        root: { padding: '8px 12px', borderBottom: `1px solid ${line}` },
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
        root: { padding: '4px 8px', borderColor: line, lineHeight: 1.35 },
        head: { fontWeight: 600, fontSize: 12, color: muted, backgroundColor: '#f8f9fb', whiteSpace: 'nowrap' },
      },
    },
    MuiTooltip: { defaultProps: { arrow: true, enterDelay: 300 } },
  },
};
