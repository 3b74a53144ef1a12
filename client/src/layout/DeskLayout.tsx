import Box from '@mui/material/Box';
import type { ReactNode } from 'react';
import { AppBar, Layout, TitlePortal } from 'react-admin';
import { CustomerSearch } from '../customers/CustomerSearch';
import { NextCaseShortcut } from '../workflow/NextCaseButton';
import { DeskMenu } from './DeskMenu';
import { DeskUserMenu } from './DeskUserMenu';
import { KeyboardShortcuts } from './KeyboardShortcuts';
import { PageSuspense } from './lazyPage';

const DeskAppBar = () => (
  <AppBar userMenu={<DeskUserMenu />}>
    <TitlePortal />
    <CustomerSearch />
    <Box sx={{ flex: 1 }} />
    <KeyboardShortcuts />
  </AppBar>
);

/**
 * react-admin's layout with the desk's menu and who is signed in. Pages are fetched when first
 * opened (`App.tsx`); meanwhile the app bar and menu stay and the page area shows `PageLoading`.
 */
export const DeskLayout = ({ children }: { children: ReactNode }) => (
  <Layout appBar={DeskAppBar} menu={DeskMenu}>
    <NextCaseShortcut />
    <PageSuspense>{children}</PageSuspense>
  </Layout>
);
