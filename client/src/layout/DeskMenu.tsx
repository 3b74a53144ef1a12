import BadgeOutlined from '@mui/icons-material/BadgeOutlined';
import BarChart from '@mui/icons-material/BarChart';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import Inbox from '@mui/icons-material/Inbox';
import LiveHelpOutlined from '@mui/icons-material/LiveHelpOutlined';
import { Menu } from 'react-admin';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';

/**
 * Only what the signed-in role may open: each entry asks `canAccess` for its list. The
 * resources' icons are given here, not on the resources, so the sign-in page (which declares
 * the resources) does not download them.
 */
export const DeskMenu = () => (
  <Menu>
    <Allowed resource={accessResources.dashboard} action="list">
      <Menu.Item to="/dashboard" primaryText="Dashboard" leftIcon={<BarChart />} data-testid="menu-dashboard" />
    </Allowed>
    <Menu.ResourceItem name={accessResources.applications} leftIcon={<Inbox />} data-testid="menu-applications" />
    <Menu.ResourceItem name={accessResources.rfis} leftIcon={<LiveHelpOutlined />} data-testid="menu-rfis" />
    <Allowed resource={accessResources.audit} action="list">
      <Menu.Item to="/audit" primaryText="Audit" leftIcon={<FactCheckOutlined />} data-testid="menu-audit" />
    </Allowed>
    <Allowed resource={accessResources.exports} action="list">
      <Menu.Item to="/exports" primaryText="Exports" leftIcon={<FileDownloadOutlined />} data-testid="menu-exports" />
    </Allowed>
    <Menu.ResourceItem name={accessResources.staff} leftIcon={<BadgeOutlined />} data-testid="menu-staff" />
  </Menu>
);
