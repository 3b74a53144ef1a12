import type { ReactNode } from 'react';
import { AppBar, Layout } from 'react-admin';
import { DeskMenu } from './DeskMenu';
import { DeskUserMenu } from './DeskUserMenu';

const DeskAppBar = () => <AppBar userMenu={<DeskUserMenu />} />;

/** react-admin's layout with the desk's menu and who is signed in. */
export const DeskLayout = ({ children }: { children: ReactNode }) => (
  <Layout appBar={DeskAppBar} menu={DeskMenu}>
    {children}
  </Layout>
);
