import BarChart from '@mui/icons-material/BarChart';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import { Menu } from 'react-admin';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';

/** Only what the signed-in role may open: each entry asks `canAccess` for its list. */
export const DeskMenu = () => (
  <Menu>
    <Allowed resource={accessResources.dashboard} action="list">
      <Menu.Item to="/dashboard" primaryText="Dashboard" leftIcon={<BarChart />} data-testid="menu-dashboard" />
    </Allowed>
    <Menu.ResourceItem name={accessResources.applications} data-testid="menu-applications" />
    <Menu.ResourceItem name={accessResources.rfis} data-testid="menu-rfis" />
    <Allowed resource={accessResources.audit} action="list">
      <Menu.Item to="/audit" primaryText="Audit" leftIcon={<FactCheckOutlined />} data-testid="menu-audit" />
    </Allowed>
    <Allowed resource={accessResources.exports} action="list">
      <Menu.Item to="/exports" primaryText="Exports" leftIcon={<FileDownloadOutlined />} data-testid="menu-exports" />
    </Allowed>
    <Menu.ResourceItem name={accessResources.staff} data-testid="menu-staff" />
  </Menu>
);
