import { type CustomerDetail, providerLabels } from '@desk/shared';
import PersonOutline from '@mui/icons-material/Person';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link as RouterLink, Title, useDataProvider, useParams } from 'react-admin';
import { Section } from '../applications/Section';
import { DateTime } from '../common/DateTime';
import type { DeskDataProvider } from '../dataProvider';
import { ProviderStatusChip } from '../stages/ProviderStatusChip';
import { StageChip } from '../stages/StageChip';

const accountColors = { OPEN: 'success', PENDING: 'info', FROZEN: 'warning', CLOSED: 'default' } as const;

const Row = ({ label, children }: { label: string; children: ReactNode }) => (
  <Box sx={{ display: 'grid', gridTemplateColumns: '140px 1fr', gap: 1, py: 0.25 }}>
    <Typography variant="body2" color="text.secondary">
      {label}
    </Typography>
    <Typography variant="body2" component="div">
      {children}
    </Typography>
  </Box>
);

const casePath = (id: string) => `/applications/${id}/show`;

/**
 * A whole application row opens its case: the row's one link (in its first cell) stretches over
 * the row, so a click anywhere on it follows the link and the keyboard reaches it as any link.
 */
const caseRowSx = {
  position: 'relative',
  cursor: 'pointer',
  '& a::after': { content: '""', position: 'absolute', inset: 0 },
  '& a:focus-visible': { outline: 'none' },
  '& a:focus-visible::after': { outline: '2px solid', outlineColor: 'primary.main', outlineOffset: -2 },
} as const;

/** Everything support needs about one customer, on one page. */
export const CustomerPage = () => {
  const { id = '' } = useParams<{ id: string }>();
  const dataProvider = useDataProvider<DeskDataProvider>();
  const query = useQuery({
    queryKey: ['customers', id],
    queryFn: ({ signal }) => dataProvider.getCustomer(id, signal),
    enabled: id !== '',
  });
  if (query.error)
    return (
      <Alert severity="error" sx={{ mt: 2 }}>
        {query.error.message}
      </Alert>
    );
  if (!query.data) return <LinearProgress sx={{ mt: 2 }} />;
  const c: CustomerDetail = query.data;
  return (
    <Box data-testid="customer-page" data-id={c.id} sx={{ mt: 2, mb: 2 }}>
      <Title title={`${c.firstName} ${c.lastName}`} />
      <Typography variant="h5" component="h1" sx={{ mb: 1 }} data-testid="customer-name">
        {c.firstName} {c.lastName}
      </Typography>
      <Grid container spacing={1.5}>
        <Grid size={{ xs: 12, md: 5 }}>
          <Section title="Customer" icon={<PersonOutline fontSize="small" />}>
            <Row label="Email">{c.email}</Row>
            <Row label="Phone">{c.phone}</Row>
            <Row label="Date of birth">
              <DateTime value={c.dateOfBirth} dateOnly />
            </Row>
            <Row label="Address">
              {c.address.street}, {c.address.city}
              {c.address.state ? `, ${c.address.state}` : ''} {c.address.postalCode}, {c.address.country}
            </Row>
            <Row label="Identification no.">
              <Box component="span" sx={{ fontFamily: 'ui-monospace, Menlo, monospace' }}>
                {c.identificationNumberMasked}
              </Box>
            </Row>
            <Row label="Customer since">
              <DateTime value={c.customerSince} />
            </Row>
          </Section>
        </Grid>
        <Grid size={{ xs: 12, md: 7 }}>
          <Section title={`Applications (${c.applications.length})`} flush>
            {/* A narrow card scrolls the table sideways rather than cutting its last columns off. */}
            <TableContainer>
              <Table size="small">
                <TableHead>
                  <TableRow>
                    <TableCell>Provider</TableCell>
                    <TableCell>Stage · provider status</TableCell>
                    <TableCell>Account</TableCell>
                    <TableCell>Assignee</TableCell>
                    <TableCell>Created</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {c.applications.map((a) => (
                    <TableRow key={a.id} data-testid="customer-application" data-id={a.id} hover sx={caseRowSx}>
                      <TableCell>
                        <Link
                          component={RouterLink}
                          to={casePath(a.id)}
                          underline="hover"
                          data-testid="customer-application-link"
                          sx={{ fontWeight: 600 }}
                        >
                          {providerLabels[a.provider]}
                          <Typography
                            variant="caption"
                            component="span"
                            color="text.secondary"
                            sx={{
                              display: 'block',
                              fontFamily: 'ui-monospace, Menlo, monospace',
                              overflowWrap: 'anywhere',
                            }}
                          >
                            {a.providerApplicationId}
                          </Typography>
                        </Link>
                      </TableCell>
                      <TableCell>
                        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
                          <StageChip stage={a.stage} />
                          <ProviderStatusChip status={a.providerStatus} />
                        </Box>
                      </TableCell>
                      <TableCell>
                        {a.accountStatus ? (
                          <Chip
                            size="small"
                            label={a.accountStatus}
                            color={accountColors[a.accountStatus]}
                            sx={{ height: 20, fontSize: 11 }}
                          />
                        ) : (
                          <Typography variant="caption" color="text.disabled">
                            not known
                          </Typography>
                        )}
                      </TableCell>
                      <TableCell>{a.assignee?.name ?? '—'}</TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>
                        <DateTime value={a.createdAt} compact />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
          </Section>
        </Grid>
        <Grid size={{ xs: 12, md: 5 }}>
          <Section title={`Open RFIs (${c.openRfis.length})`}>
            {c.openRfis.length === 0 && (
              <Typography variant="body2" color="text.secondary">
                Nothing is waiting on this customer.
              </Typography>
            )}
            {c.openRfis.map((r) => (
              <Box key={r.id} sx={{ display: 'flex', justifyContent: 'space-between', gap: 1, py: 0.25 }}>
                <Link component={RouterLink} to={`/rfis/${r.id}/show`} variant="body2">
                  {r.title}
                </Link>
                <Typography
                  variant="caption"
                  sx={{ color: r.overdue ? 'error.main' : 'text.secondary', fontWeight: r.overdue ? 700 : 400 }}
                >
                  {r.status === 'answered' ? 'answered' : r.overdue ? 'overdue · ' : 'due '}
                  {r.status === 'open' && <DateTime value={r.dueAt} compact />}
                </Typography>
              </Box>
            ))}
          </Section>
        </Grid>
        <Grid size={{ xs: 12, md: 7 }}>
          <Section title="Latest status changes">
            {c.recentStatusChanges.map((h) => (
              <Box
                key={`${h.applicationId}-${h.at}-${h.toStatus}`}
                sx={{ display: 'flex', gap: 1, alignItems: 'center', py: 0.25, flexWrap: 'wrap' }}
              >
                <DateTime value={h.at} compact sx={{ color: 'text.secondary', fontSize: 12, minWidth: 120 }} />
                <Typography variant="caption">{providerLabels[h.provider]}</Typography>
                {h.fromStatus && <ProviderStatusChip status={h.fromStatus} />}→
                <ProviderStatusChip status={h.toStatus} />
                <StageChip stage={h.toStage} />
              </Box>
            ))}
          </Section>
        </Grid>
      </Grid>
    </Box>
  );
};
