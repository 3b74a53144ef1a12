import { setPasswordPagePath, singleSignOnCallbackPagePath } from '@desk/shared';
import CssBaseline from '@mui/material/CssBaseline';
import { Suspense, useState } from 'react';
import {
  AdminContext,
  CoreAdminUI,
  CustomRoutes,
  localStorageStore,
  Resource,
  reactRouterProvider,
  useNotificationContext,
} from 'react-admin';
import applications from './applications';
import { Allowed } from './auth/Allowed';
import { accessResources } from './auth/access';
import { authProvider } from './auth/authProvider';
import { LoginPage } from './auth/LoginPage';
import { adoptLinkedPage } from './auth/linkedPages';
import { i18nProvider } from './i18nProvider';
import { lazyPage, PageLoading, PageSuspense } from './layout/lazyPage';
import { lazyDataProvider } from './lazyDataProvider';
import { resources } from './resources';
import staff from './staff';
import { deskDarkTheme, deskTheme } from './theme';

const { Route } = reactRouterProvider;

const stockPages = () => import('./layout/adminPages');
const AccessDenied = lazyPage(() => stockPages().then((m) => m.AccessDenied));
const AuthCallback = lazyPage(() => stockPages().then((m) => m.AuthCallback));
const AuthenticationError = lazyPage(() => stockPages().then((m) => m.AuthenticationError));
const ErrorPage = lazyPage(() => stockPages().then((m) => m.Error));
const NotFound = lazyPage(() => stockPages().then((m) => m.NotFound));
const Notification = lazyPage(() => stockPages().then((m) => m.Notification));

const DeskLayout = lazyPage(() => import('./layout/DeskLayout').then((m) => m.DeskLayout));
const HomePage = lazyPage(() => import('./dashboard/HomePage').then((m) => m.HomePage));
const DashboardPage = lazyPage(() => import('./dashboard/DashboardPage').then((m) => m.DashboardPage));
const CustomerPage = lazyPage(() => import('./customers/CustomerPage').then((m) => m.CustomerPage));
const AuditExplorer = lazyPage(() => import('./audit/AuditExplorer').then((m) => m.AuditExplorer));
const ExportsPage = lazyPage(() => import('./exports/ExportsPage').then((m) => m.ExportsPage));
const AccountPage = lazyPage(() => import('./account/AccountPage').then((m) => m.AccountPage));
const SetPasswordPage = lazyPage(() => import('./auth/SetPasswordPage').then((m) => m.SetPasswordPage));
const SingleSignOnCallbackPage = lazyPage(() =>
  import('./auth/SingleSignOnCallbackPage').then((m) => m.SingleSignOnCallbackPage),
);

// A set-password link or the identity provider's redirect arrives as a plain path: moved into
// the router's fragment before the router reads it.
adoptLinkedPage();

/**
 * The RFI pages, fetched when first opened. Defined here rather than in `rfis/index.ts`, whose
 * static imports would put both pages into the sign-in page's download.
 */
const rfis = {
  list: lazyPage(() => import('./rfis/RfiList').then((m) => m.RfiList)),
  show: lazyPage(() => import('./rfis/RfiShow').then((m) => m.RfiShow)),
  recordRepresentation: 'title',
};

/** The notification bar is fetched with the first notification and stays mounted after it. */
const Notifications = () => {
  const { notifications } = useNotificationContext();
  const [needed, setNeeded] = useState(false);
  if (!needed && notifications.length > 0) setNeeded(true);
  if (!needed && notifications.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <Notification />
    </Suspense>
  );
};

/** The data provider, fetched with the first page that reads data. */
const dataProvider = lazyDataProvider(() => import('./dataProvider').then((m) => m.dataProvider));

/** What `<Admin>` would give: list settings and the like kept in the browser. */
const store = localStorageStore();

/**
 * The back office, for signed-in staff only. Every page and menu entry asks the auth provider
 * whether the role may open it (auth/access.ts mirrors the shared permission matrix). The
 * applications resource comes first, so `/` opens the review queue, which every role may read;
 * RFIs (requests for information) follow; `staff` is the admin page and also feeds the
 * assignee filters. Audit and exports are pages of their own.
 *
 * react-admin's `<Admin>` is spelled out as its context and its UI (with the same English
 * messages, store and stock pages) so that the sign-in page loads only what it shows: the
 * layout, every page and react-admin's stock pages are fetched when first shown (`lazyPage`),
 * each in a chunk of its own, and the session check shows `PageLoading`.
 */
export const App = () => (
  <AdminContext
    dataProvider={dataProvider}
    authProvider={authProvider}
    i18nProvider={i18nProvider}
    store={store}
    theme={deskTheme}
    darkTheme={deskDarkTheme}
  >
    <CssBaseline enableColorScheme>
      <PageSuspense>
        <CoreAdminUI
          accessDenied={AccessDenied}
          authCallbackPage={AuthCallback}
          authenticationError={AuthenticationError}
          catchAll={NotFound}
          error={ErrorPage}
          layout={DeskLayout}
          loading={PageLoading}
          loginPage={LoginPage}
          requireAuth
          dashboard={HomePage}
          title="Compliance Desk"
          disableTelemetry
        >
          <Resource name={resources.applications} options={{ label: 'Review queue' }} {...applications} />
          <Resource name={resources.rfis} options={{ label: 'RFIs' }} {...rfis} />
          <Resource name={resources.staff} options={{ label: 'Staff' }} {...staff} />
          <CustomRoutes noLayout>
            <Route path={setPasswordPagePath} element={<SetPasswordPage />} />
            <Route path={singleSignOnCallbackPagePath} element={<SingleSignOnCallbackPage />} />
          </CustomRoutes>
          <CustomRoutes>
            <Route path="/account" element={<AccountPage />} />
            <Route
              path="/dashboard"
              element={
                <Allowed resource={accessResources.dashboard} action="list" otherwise={<AccessDenied />}>
                  <DashboardPage />
                </Allowed>
              }
            />
            <Route
              path="/customers/:id"
              element={
                <Allowed resource={accessResources.customers} action="show" otherwise={<AccessDenied />}>
                  <CustomerPage />
                </Allowed>
              }
            />
            <Route
              path="/audit"
              element={
                <Allowed resource={accessResources.audit} action="list" otherwise={<AccessDenied />}>
                  <AuditExplorer />
                </Allowed>
              }
            />
            <Route
              path="/exports"
              element={
                <Allowed resource={accessResources.exports} action="list" otherwise={<AccessDenied />}>
                  <ExportsPage />
                </Allowed>
              }
            />
          </CustomRoutes>
        </CoreAdminUI>
      </PageSuspense>
    </CssBaseline>
    <Notifications />
  </AdminContext>
);
