import Close from '@mui/icons-material/Close';
import MenuIcon from '@mui/icons-material/Menu';
import Refresh from '@mui/icons-material/Refresh';
import Search from '@mui/icons-material/Search';
import MuiAppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import type { Theme } from '@mui/material/styles';
import Toolbar from '@mui/material/Toolbar';
import useMediaQuery from '@mui/material/useMediaQuery';
import {
  Component,
  type ComponentProps,
  type ErrorInfo,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { TitlePortal, useLoading, useRefresh, useSidebarState, useTranslate } from 'react-admin';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import { Hint } from '../common/Hint';
import { TimeZoneProvider } from '../common/timeZone';
import { CustomerSearch, loadSearchBox, searchFieldClass } from '../customers/CustomerSearch';
import { tones } from '../theme';
import { NextCaseShortcut, typedInField } from '../workflow/NextCaseButton';
import type { Error as StockErrorPage } from './adminPages';
import { DeskMenu } from './DeskMenu';
import { DeskUserMenu } from './DeskUserMenu';
import { KeyboardShortcuts } from './KeyboardShortcuts';
import { lazyPage, PageSuspense } from './lazyPage';
import { ThemeModeButton } from './ThemeModeButton';

/** The menu's width open and narrowed to its icons (the theme's `sidebar`, as react-admin reads it). */
const menuWidth = { open: 200, closed: 48 };
/** The app bar's height: 36 px below the `md` breakpoint, 48 px from it. */
const barHeight = { xs: 36, md: 48 };

/**
 * On a phone-sized screen the customer search waits behind a search button (or `/`) and,
 * opened, covers the app bar until it is closed or a customer is chosen. The search is fetched
 * before it opens (if it cannot be, the plain field opens and fetches it on focus).
 */
const NarrowSearch = () => {
  const [open, setOpen] = useState(false);
  const area = useRef<HTMLDivElement | null>(null);
  const openSearch = useCallback(() => {
    void loadSearchBox()
      .catch(() => undefined)
      .then(() => setOpen(true));
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '/' && !open && !typedInField(event)) {
        event.preventDefault();
        openSearch();
      }
      if (event.key === 'Escape' && open) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, openSearch]);

  // In the same commit as the field, so nothing sees it unfocused.
  useLayoutEffect(() => {
    if (open) area.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, [open]);

  if (!open) {
    return (
      <Hint title="Find a customer ( / )">
        <IconButton color="inherit" aria-label="Find a customer" onClick={openSearch} data-testid="search-open">
          <Search fontSize="small" />
        </IconButton>
      </Hint>
    );
  }
  return (
    <Box
      ref={area}
      // A chosen customer navigates away: the search closes with the page it leaves.
      onClick={(event) => {
        if (event.target instanceof Element && event.target.closest('[data-testid="search-result"]')) setOpen(false);
      }}
      sx={{
        position: 'absolute',
        inset: 0,
        zIndex: 1,
        display: 'flex',
        alignItems: 'center',
        bgcolor: (theme) => tones[theme.palette.mode].appBar,
        pl: 0.5,
        [`& .MuiAutocomplete-root, & .${searchFieldClass}`]: { flex: 1, width: 'auto', mx: 0.5 },
      }}
    >
      <CustomerSearch />
      <IconButton
        color="inherit"
        aria-label="Close the search"
        onClick={() => setOpen(false)}
        data-testid="search-close"
      >
        <Close fontSize="small" />
      </IconButton>
    </Box>
  );
};

const DeskAppBar = () => {
  const narrow = useMediaQuery<Theme>((theme) => theme.breakpoints.down('sm'), { noSsr: true });
  return (
    <MuiAppBar position="sticky" color="secondary" sx={{ top: 0, zIndex: (theme) => theme.zIndex.appBar }}>
      <Toolbar disableGutters variant="dense" sx={{ position: 'relative', minWidth: 0, minHeight: barHeight, px: 1 }}>
        <MenuToggle />
        <TitlePortal sx={{ minWidth: 0 }} />
        {narrow ? (
          <Allowed resource={accessResources.customers} action="list">
            <NarrowSearch />
          </Allowed>
        ) : (
          <>
            <CustomerSearch />
            <Box sx={{ flex: { sm: 0, md: 1 } }} />
          </>
        )}
        {narrow ? null : <KeyboardShortcuts />}
        <ThemeModeButton />
        <LoadingIndicator />
        <DeskUserMenu />
      </Toolbar>
    </MuiAppBar>
  );
};

/** Opens and closes the menu (narrows it to its icons on a wide screen). */
const MenuToggle = () => {
  const [open, setOpen] = useSidebarState();
  const translate = useTranslate();
  const label = translate(open ? 'ra.action.close_menu' : 'ra.action.open_menu');
  return (
    <Hint title={label}>
      <IconButton
        color="inherit"
        onClick={() => setOpen(!open)}
        aria-label={label}
        aria-expanded={open}
        aria-controls="desk-menu"
        sx={{ mr: '0.2em' }}
      >
        <MenuIcon />
      </IconButton>
    </Hint>
  );
};

/** Refreshes the page's data; a spinner over it while something loads. */
const LoadingIndicator = () => {
  const loading = useLoading();
  const refresh = useRefresh();
  const translate = useTranslate();
  const label = translate('ra.action.refresh');
  return (
    <Box sx={{ position: 'relative' }}>
      <Hint title={label}>
        <IconButton color="inherit" aria-label={label} onClick={() => refresh()} sx={{ opacity: loading ? 0 : 1 }}>
          <Refresh />
        </IconButton>
      </Hint>
      {loading && (
        <CircularProgress
          color="inherit"
          size={12}
          thickness={6}
          aria-label="Loading"
          sx={{ position: 'absolute', top: '30%', left: '30%' }}
        />
      )}
    </Box>
  );
};

/**
 * The menu beside the page; on a phone-sized screen it covers the page while open, and closes
 * with Escape, a click beside it or a chosen entry.
 */
const Sidebar = () => {
  const [open, setOpen] = useSidebarState();
  const phone = useMediaQuery<Theme>((theme) => theme.breakpoints.down('sm'), { noSsr: true });
  const panel = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    if (!phone || !open) return;
    panel.current?.querySelector<HTMLElement>('a')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [phone, open, setOpen]);

  if (phone) {
    if (!open) return null;
    return (
      <>
        <Box
          aria-hidden
          onClick={() => setOpen(false)}
          sx={{ position: 'fixed', inset: 0, zIndex: (theme) => theme.zIndex.drawer, bgcolor: 'rgba(0, 0, 0, 0.5)' }}
        />
        <Box
          id="desk-menu"
          ref={panel}
          sx={{
            position: 'fixed',
            top: 0,
            left: 0,
            bottom: 0,
            width: menuWidth.open,
            overflowY: 'auto',
            zIndex: (theme) => theme.zIndex.drawer + 1,
            bgcolor: 'background.default',
            boxShadow: 16,
          }}
        >
          <DeskMenu />
        </Box>
      </>
    );
  }
  return (
    <Box
      id="desk-menu"
      sx={{
        flexShrink: 0,
        width: open ? menuWidth.open : menuWidth.closed,
        transition: (theme) =>
          theme.transitions.create('width', {
            easing: theme.transitions.easing.sharp,
            duration: theme.transitions.duration.leavingScreen,
          }),
      }}
    >
      <Box
        sx={{
          position: 'sticky',
          top: barHeight,
          maxHeight: { xs: `calc(100vh - ${barHeight.xs}px)`, md: `calc(100vh - ${barHeight.md}px)` },
          overflowX: 'hidden',
          overflowY: 'auto',
          scrollbarWidth: 'none',
        }}
      >
        <DeskMenu />
      </Box>
    </Box>
  );
};

/** Moves the keyboard past the app bar and the menu, to the page. */
const SkipToContent = () => {
  const translate = useTranslate();
  return (
    <Box
      component="a"
      href="#main-content"
      onClick={(event) => {
        event.preventDefault();
        const content = document.getElementById('main-content');
        if (!content) return;
        content.setAttribute('tabindex', '-1');
        content.focus();
        content.blur();
        content.removeAttribute('tabindex');
      }}
      sx={{
        position: 'fixed',
        left: 12,
        top: -60,
        zIndex: 5000,
        p: 1,
        borderRadius: 1,
        bgcolor: 'primary.main',
        color: 'primary.contrastText',
        fontWeight: 600,
        textDecoration: 'none',
        '&:focus': { top: 12 },
      }}
    >
      {translate('ra.navigation.skip_nav')}
    </Box>
  );
};

const ErrorPage = lazyPage(() => import('./adminPages').then((m) => m.Error));

/** A page that throws shows react-admin's error page (which clears itself when the page changes). */
class PageErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null; info: ErrorInfo | null }> {
  override state: { error: Error | null; info: ErrorInfo | null } = { error: null, info: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(_error: Error, info: ErrorInfo) {
    this.setState({ info });
  }

  override render() {
    const { error, info } = this.state;
    if (!error) return this.props.children;
    const props: ComponentProps<typeof StockErrorPage> = {
      error,
      errorInfo: info ?? undefined,
      resetErrorBoundary: () => this.setState({ error: null, info: null }),
    };
    return (
      <PageSuspense>
        <ErrorPage {...props} />
      </PageSuspense>
    );
  }
}

/**
 * The desk's frame: the app bar (menu button, page title, customer search, shortcuts, colour
 * scheme, refresh, who is signed in), the menu, and the page, every time in the member's zone
 * (`TimeZoneProvider`). Pages are fetched when first opened (`App.tsx`); meanwhile the app bar
 * and menu stay and the page area shows `PageLoading`. The layout never grows wider than the
 * window: what is wider than the screen (a wide table) scrolls inside its own container, not
 * the page.
 */
export const DeskLayout = ({ children }: { children: ReactNode }) => (
  <TimeZoneProvider>
    <Box
      sx={{
        display: 'flex',
        flexDirection: 'column',
        minHeight: '100vh',
        minWidth: 0,
        width: '100%',
        bgcolor: 'background.default',
      }}
    >
      <SkipToContent />
      <DeskAppBar />
      <Box component="main" sx={{ display: 'flex', flexGrow: 1, minWidth: 0 }}>
        <Sidebar />
        <Box
          id="main-content"
          sx={{ display: 'flex', flexDirection: 'column', flexGrow: 1, flexBasis: 0, minWidth: 0, px: 1 }}
        >
          <NextCaseShortcut />
          <PageErrorBoundary>
            <PageSuspense>{children}</PageSuspense>
          </PageErrorBoundary>
        </Box>
      </Box>
    </Box>
  </TimeZoneProvider>
);
