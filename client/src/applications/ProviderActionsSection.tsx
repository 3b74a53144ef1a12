import {
  type ApplicationDetail,
  awaitsAutomaticRetry,
  canRetryProviderAction,
  documentTypeLabels,
  type ProviderAction,
} from '@desk/shared';
import SendOutlined from '@mui/icons-material/SendOutlined';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { Link, useCreatePath } from 'react-admin';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import { DateTime } from '../common/DateTime';
import { resources } from '../dataProvider';
import { Missing } from './Fields';
import { ProviderActionStateChip } from './ProviderActionStateChip';
import { actionKindLabel } from './providerActionLabels';
import { RetryActionButton } from './RetryActionButton';
import { Section } from './Section';

export interface ProviderActionsSectionProps {
  /** The case; its `providerActions` come newest first, as the server sends them. */
  application: ApplicationDetail;
  /** The page is following deliveries (re-reading the case every second). */
  live: boolean;
}

/** What the desk asked the provider to do for this case, and how each delivery went. */
export const ProviderActionsSection = ({ application, live }: ProviderActionsSectionProps) => (
  <Section
    title={`Provider actions (${application.providerActions.length})`}
    icon={<SendOutlined fontSize="small" />}
    testId="provider-actions"
    action={live ? <LiveIndicator /> : undefined}
    flush
  >
    {application.providerActions.length === 0 ? (
      <Box sx={{ p: 1.5, color: 'text.secondary' }}>Nothing has been sent to the provider from the desk yet.</Box>
    ) : (
      <TableContainer>
        <Table size="small" aria-label="Provider actions">
          <TableHead>
            <TableRow>
              <TableCell>Action</TableCell>
              <TableCell>Subject</TableCell>
              <TableCell>State</TableCell>
              <TableCell align="right">Attempts</TableCell>
              <TableCell>Requested by</TableCell>
              <TableCell>Created</TableCell>
              <TableCell>Completed</TableCell>
              <TableCell aria-label="Retry" />
            </TableRow>
          </TableHead>
          <TableBody>
            {application.providerActions.map((action) => (
              <ActionRow key={action.id} action={action} application={application} />
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    )}
  </Section>
);

const ActionRow = ({ action, application }: { action: ProviderAction; application: ApplicationDetail }) => (
  <TableRow
    data-testid="provider-action-row"
    data-id={action.id}
    data-state={action.state}
    data-kind={action.kind}
    data-gave-up={action.gaveUp}
  >
    <TableCell sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>{actionKindLabel(action.kind, application)}</TableCell>
    <TableCell sx={{ minWidth: 160 }}>
      <ActionSubject action={action} rfis={application.rfis} />
    </TableCell>
    <TableCell sx={{ minWidth: 120 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
        <ProviderActionStateChip state={action.state} />
        {awaitsAutomaticRetry(action) && (
          <Box component="span" sx={{ fontSize: 12, color: 'text.secondary', whiteSpace: 'nowrap' }}>
            will retry
          </Box>
        )}
      </Box>
      {action.state === 'failed' && action.lastError && (
        <Box
          data-testid="provider-action-error"
          sx={{ fontSize: 12, color: 'error.main', mt: 0.25, overflowWrap: 'anywhere' }}
        >
          {action.lastError}
        </Box>
      )}
    </TableCell>
    <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
      {action.attempts}
    </TableCell>
    <TableCell>{action.requestedBy ? action.requestedBy.name : <Missing>system</Missing>}</TableCell>
    <TableCell>
      <DateTime value={action.createdAt} compact />
    </TableCell>
    <TableCell>
      <DateTime value={action.completedAt} compact />
    </TableCell>
    <TableCell align="right" sx={{ width: '1%', whiteSpace: 'nowrap' }}>
      {canRetryProviderAction(action) && (
        <Allowed resource={accessResources.applications} action="work">
          <RetryActionButton action={action} label={actionKindLabel(action.kind, application)} />
        </Allowed>
      )}
    </TableCell>
  </TableRow>
);

/** What the action concerns: the document sent, or the RFI answered (a link to its page). */
const ActionSubject = ({ action, rfis }: { action: ProviderAction; rfis: ApplicationDetail['rfis'] }) => {
  const createPath = useCreatePath();
  if (action.document) return <>{documentTypeLabels[action.document.type]}</>;
  if (action.rfiId) {
    const title = rfis.find((rfi) => rfi.id === action.rfiId)?.title;
    return (
      <Link
        to={createPath({ resource: resources.rfis, id: action.rfiId, type: 'show' })}
        data-testid="provider-action-rfi-link"
        sx={{ overflowWrap: 'anywhere' }}
      >
        {title ? `RFI: ${title}` : 'The RFI answered'}
      </Link>
    );
  }
  return <Missing />;
};

const LiveIndicator = () => (
  <Box
    data-testid="provider-actions-live"
    sx={{ display: 'flex', alignItems: 'center', gap: 0.75, fontSize: 12, color: 'text.secondary', pr: 0.5, pt: 0.5 }}
  >
    <CircularProgress size={12} thickness={5} />
    Following delivery…
  </Box>
);
