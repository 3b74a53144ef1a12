import { AccessDenied, Admin, CustomRoutes, Resource, reactRouterProvider } from 'react-admin';
import applications from './applications';
import { AuditExplorer } from './audit/AuditExplorer';
import { Allowed } from './auth/Allowed';
import { accessResources } from './auth/access';
import { authProvider } from './auth/authProvider';
import { LoginPage } from './auth/LoginPage';
import { CustomerPage } from './customers/CustomerPage';
import { DashboardPage } from './dashboard/DashboardPage';
import { HomePage } from './dashboard/HomePage';
import { dataProvider, resources } from './dataProvider';
import { ExportsPage } from './exports/ExportsPage';
import { DeskLayout } from './layout/DeskLayout';
import rfis from './rfis';
import staff from './staff';
import { deskTheme } from './theme';

const { Route } = reactRouterProvider;

/**
 * The back office, for signed-in staff only. Every page and menu entry asks the auth provider
 * whether the role may open it (auth/access.ts mirrors the shared permission matrix). The
 * applications resource comes first, so `/` opens the review queue, which every role may read;
 * RFIs (requests for information) follow; `staff` is the admin page and also feeds the
 * assignee filters. Audit and exports are pages of their own.
 */
export const App = () => (
  <Admin
    dataProvider={dataProvider}
    authProvider={authProvider}
    loginPage={LoginPage}
    layout={DeskLayout}
    requireAuth
    dashboard={HomePage}
    title="Compliance Desk"
    theme={deskTheme}
    darkTheme={null}
    disableTelemetry
  >
    <Resource name={resources.applications} options={{ label: 'Review queue' }} {...applications} />
    <Resource name={resources.rfis} options={{ label: 'RFIs' }} {...rfis} />
    <Resource name={resources.staff} options={{ label: 'Staff' }} {...staff} />
    <CustomRoutes>
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
  </Admin>
);
