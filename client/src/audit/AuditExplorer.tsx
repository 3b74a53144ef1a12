import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import { Title, useLocation, useNavigate } from 'react-admin';
import { AuditFilters } from './AuditFilters';
import { AuditGrid } from './AuditGrid';
import { type AuditFilter, auditFilterSearch, readAuditFilter } from './auditFilter';
import { VerifyChain } from './VerifyChain';

/**
 * The audit trail: every recorded event, newest first, filtered by actor, action (exact or a
 * prefix), entity and time, loaded page by page (keyset), with the chain's verification on
 * demand. The filter lives in the URL.
 */
export const AuditExplorer = () => {
  const location = useLocation();
  const navigate = useNavigate();
  const filter = useMemo(() => readAuditFilter(location.search), [location.search]);
  const setFilter = (next: AuditFilter) => navigate({ pathname: location.pathname, search: auditFilterSearch(next) });

  return (
    <Box sx={{ mt: 2 }}>
      <Title title="Audit trail" />
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        Audit trail
      </Typography>
      <Card>
        <AuditFilters filter={filter} onChange={setFilter} />
        <VerifyChain />
        <AuditGrid filter={filter} />
      </Card>
    </Box>
  );
};
