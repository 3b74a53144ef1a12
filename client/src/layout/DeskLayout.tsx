import Close from '@mui/icons-material/Close';
import Search from '@mui/icons-material/Search';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import type { Theme } from '@mui/material/styles';
import Tooltip from '@mui/material/Tooltip';
import useMediaQuery from '@mui/material/useMediaQuery';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { AppBar, Layout, LoadingIndicator, TitlePortal } from 'react-admin';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import { TimeZoneProvider } from '../common/timeZone';
import { CustomerSearch } from '../customers/CustomerSearch';
import { tones } from '../theme';
import { NextCaseShortcut, typedInField } from '../workflow/NextCaseButton';
import { DeskMenu } from './DeskMenu';
import { DeskUserMenu } from './DeskUserMenu';
import { KeyboardShortcuts } from './KeyboardShortcuts';
import { PageSuspense } from './lazyPage';
import { ThemeModeButton } from './ThemeModeButton';

/**
 * On a phone-sized screen the customer search waits behind a search button (or `/`) and,
 * opened, covers the app bar until it is closed or a customer is chosen.
 */
const NarrowSearch = () => {
  const [open, setOpen] = useState(false);
  const area = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '/' && !open && !typedInField(event)) {
        event.preventDefault();
        setOpen(true);
      }
      if (event.key === 'Escape' && open) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  useEffect(() => {
    if (open) area.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, [open]);

  if (!open) {
    return (
      <Tooltip title="Find a customer ( / )">
        <IconButton
          color="inherit"
          aria-label="Find a customer"
          onClick={() => setOpen(true)}
          data-testid="search-open"
        >
          <Search fontSize="small" />
        </IconButton>
      </Tooltip>
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
        '& .MuiAutocomplete-root': { flex: 1, width: 'auto', mx: 0.5 },
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
    <AppBar
      userMenu={<DeskUserMenu />}
      toolbar={
        <>
          <ThemeModeButton />
          <LoadingIndicator />
        </>
      }
      sx={{ '& .RaAppBar-toolbar': { position: 'relative', minWidth: 0 } }}
    >
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
    </AppBar>
  );
};

/**
 * react-admin's layout with the desk's menu and who is signed in, every time in the member's
 * zone (`TimeZoneProvider`). Pages are fetched when first
 * opened (`App.tsx`); meanwhile the app bar and menu stay and the page area shows `PageLoading`.
 * The layout never grows wider than the window: what is wider than the screen (a wide table)
 * scrolls inside its own container, not the page.
 */
export const DeskLayout = ({ children }: { children: ReactNode }) => (
  <TimeZoneProvider>
    <Layout
      appBar={DeskAppBar}
      menu={DeskMenu}
      sx={{ minWidth: 0, '& .RaLayout-content': { minWidth: 0 }, '& .RaLayout-contentWithSidebar': { minWidth: 0 } }}
    >
      <NextCaseShortcut />
      <PageSuspense>{children}</PageSuspense>
    </Layout>
  </TimeZoneProvider>
);
