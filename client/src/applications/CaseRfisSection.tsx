import { type ApplicationDetail, isAnswerableRfi, providerLabels, type Rfi, rfiStatuses } from '@desk/shared';
import LiveHelpOutlined from '@mui/icons-material/LiveHelpOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { Link, useCreatePath, useGetList } from 'react-admin';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import { useNow } from '../common/useNow';
import { resources } from '../dataProvider';
import { DueDate } from '../rfis/DueDate';
import { RfiOriginChip } from '../rfis/RfiOriginChip';
import { RfiStatusChip } from '../rfis/RfiStatusChip';
import { RaiseRfiButton } from './RaiseRfiButton';
import { Section } from './Section';

/**
 * The case's RFIs, every status, soonest due first (an answer the provider refused is marked
 * "Refused by <provider>"), and the button to raise a new one.
 */
export const CaseRfisSection = ({ application }: { application: ApplicationDetail }) => {
  const now = useNow();
  const createPath = useCreatePath();
  const { data, isPending, error, refetch } = useGetList<Rfi>(resources.rfis, {
    filter: { applicationId: application.id, status: [...rfiStatuses] },
    pagination: { page: 1, perPage: 200 },
    sort: { field: 'dueAt', order: 'ASC' },
  });
  const rfis = data ?? [];

  return (
    <Section
      title={isPending ? 'RFIs' : `RFIs (${rfis.length})`}
      icon={<LiveHelpOutlined fontSize="small" />}
      testId="case-rfis"
      action={
        <Allowed resource={accessResources.rfis} action="raise">
          <RaiseRfiButton application={application} onRaised={() => void refetch()} />
        </Allowed>
      }
      flush
    >
      {isPending && <LinearProgress sx={{ height: 2 }} />}
      {error && (
        <Alert severity="error" sx={{ m: 1.5 }}>
          The RFIs could not be loaded: {error.message}
        </Alert>
      )}
      {!isPending && !error && rfis.length === 0 && (
        <Box sx={{ p: 1.5, color: 'text.secondary' }}>No RFI has been raised on this case.</Box>
      )}
      {rfis.length > 0 && (
        <TableContainer>
          <Table size="small" aria-label="RFIs of this case">
            <TableHead>
              <TableRow>
                <TableCell>Request</TableCell>
                <TableCell>Origin</TableCell>
                <TableCell>Status</TableCell>
                <TableCell align="right">Items</TableCell>
                <TableCell>Due</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rfis.map((rfi) => (
                <TableRow
                  key={rfi.id}
                  data-testid="case-rfi"
                  data-id={rfi.id}
                  data-status={rfi.status}
                  data-overdue={rfi.overdue}
                >
                  <TableCell>
                    <Link
                      to={createPath({ resource: resources.rfis, id: rfi.id, type: 'show' })}
                      data-testid="case-rfi-link"
                    >
                      {rfi.title}
                    </Link>
                  </TableCell>
                  <TableCell>
                    <RfiOriginChip origin={rfi.origin} />
                  </TableCell>
                  <TableCell>
                    <RfiStatusChip status={rfi.status} providerName={providerLabels[application.provider]} />
                  </TableCell>
                  <TableCell align="right">{rfi.items.length}</TableCell>
                  <TableCell>
                    <DueDate dueAt={rfi.dueAt} overdue={rfi.overdue} now={now} settled={!isAnswerableRfi(rfi.status)} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Section>
  );
};
