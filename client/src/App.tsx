import { Admin, Resource } from 'react-admin';
import applications from './applications';
import { dataProvider, resources } from './dataProvider';
import rfis from './rfis';
import { deskTheme } from './theme';

/**
 * The back office. The applications resource comes first, so `/` opens the review queue;
 * RFIs (requests for information) follow;
 * `staff` has no pages of its own and only feeds the assignee filter.
 */
export const App = () => (
  <Admin dataProvider={dataProvider} title="Compliance Desk" theme={deskTheme} darkTheme={null} disableTelemetry>
    <Resource name={resources.applications} options={{ label: 'Review queue' }} {...applications} />
    <Resource name={resources.rfis} options={{ label: 'RFIs' }} {...rfis} />
    <Resource name={resources.staff} recordRepresentation="name" />
  </Admin>
);
