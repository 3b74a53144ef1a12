import BadgeOutlined from '@mui/icons-material/BadgeOutlined';
import BarChart from '@mui/icons-material/BarChart';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import Inbox from '@mui/icons-material/Inbox';
import LiveHelpOutlined from '@mui/icons-material/LiveHelpOutlined';
import Box from '@mui/material/Box';
import type { Theme } from '@mui/material/styles';
import useMediaQuery from '@mui/material/useMediaQuery';
import type { ReactNode } from 'react';
import { LinkBase, useMatch, useResourceDefinitions, useSidebarState } from 'react-admin';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import { Hint } from '../common/Hint';

/** One entry: a link with its icon; the text alone names it, and shows as a hint when the menu is narrowed. */
const MenuLink = ({ to, label, icon, testId }: { to: string; label: string; icon: ReactNode; testId: string }) => {
  const [open, setOpen] = useSidebarState();
  const small = useMediaQuery<Theme>((theme) => theme.breakpoints.down('md'), { noSsr: true });
  const active = useMatch({ path: to, end: false }) !== null;
  const link = (
    <Box
      component={LinkBase}
      to={to}
      data-testid={testId}
      aria-current={active ? 'page' : undefined}
      // On a small screen the menu covers the page: it closes once an entry is chosen.
      onClick={() => {
        if (small) setOpen(false);
      }}
      sx={{
        display: 'flex',
        alignItems: 'center',
        minHeight: { xs: 48, sm: 'auto' },
        px: '16px',
        py: '6px',
        color: active ? 'text.primary' : 'text.secondary',
        textDecoration: 'none',
        fontSize: (theme) => theme.typography.body1.fontSize,
        lineHeight: 1.5,
        whiteSpace: 'nowrap',
        '&:hover': { bgcolor: 'action.hover' },
        '&:focus-visible': { bgcolor: 'action.focus', outline: 'none' },
      }}
    >
      <Box component="span" sx={{ display: 'inline-flex', flexShrink: 0, minWidth: 30, color: 'text.secondary' }}>
        {icon}
      </Box>
      <Box component="span" sx={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
        {label}
      </Box>
    </Box>
  );
  return open ? (
    link
  ) : (
    <Hint title={label} placement="right">
      {link}
    </Hint>
  );
};

/** A resource's list, under the label its `<Resource>` gives (`App.tsx`). */
const ResourceLink = ({ name, icon, testId }: { name: string; icon: ReactNode; testId: string }) => {
  const definition = useResourceDefinitions()[name];
  const label = typeof definition?.options?.label === 'string' ? definition.options.label : name;
  return (
    <Allowed resource={name} action="list">
      <MenuLink to={`/${name}`} label={label} icon={icon} testId={testId} />
    </Allowed>
  );
};

/**
 * Only what the signed-in role may open: each entry asks `canAccess` for its list. The
 * resources' icons are given here, not on the resources, so the sign-in page (which declares
 * the resources) does not download them.
 */
export const DeskMenu = () => (
  <Box component="nav" aria-label="Desk" sx={{ display: 'flex', flexDirection: 'column', py: 0.5 }}>
    <Allowed resource={accessResources.dashboard} action="list">
      <MenuLink to="/dashboard" label="Dashboard" icon={<BarChart />} testId="menu-dashboard" />
    </Allowed>
    <ResourceLink name={accessResources.applications} icon={<Inbox />} testId="menu-applications" />
    <ResourceLink name={accessResources.rfis} icon={<LiveHelpOutlined />} testId="menu-rfis" />
    <Allowed resource={accessResources.audit} action="list">
      <MenuLink to="/audit" label="Audit" icon={<FactCheckOutlined />} testId="menu-audit" />
    </Allowed>
    <Allowed resource={accessResources.exports} action="list">
      <MenuLink to="/exports" label="Exports" icon={<FileDownloadOutlined />} testId="menu-exports" />
    </Allowed>
    <ResourceLink name={accessResources.staff} icon={<BadgeOutlined />} testId="menu-staff" />
  </Box>
);
