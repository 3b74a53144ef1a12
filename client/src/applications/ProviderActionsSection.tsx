import { documentTypeLabels, providerActionKindLabels, type ProviderAction } from '@desk/shared';
import SendOutlined from '@mui/icons-material/SendOutlined';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { DateTime } from '../common/DateTime';
import { Missing } from './Fields';
import { ProviderActionStateChip } from './ProviderActionStateChip';
import { RetryActionButton } from './RetryActionButton';
import { Section } from './Section';

export interface ProviderActionsSectionProps {
  /** Newest first, as the server sends them. */
  actions: ProviderAction[];
  /** The page is following deliveries (re-reading the case every second). */
  live: boolean;
}

/** What the desk asked the provider to do for this case, and how each delivery went. */
export const ProviderActionsSection = ({ actions, live }: ProviderActionsSectionProps) => (
  <Section
    title={`Provider actions (${actions.length})`}
    icon={<SendOutlined fontSize="small" />}
    testId="provider-actions"
    action={live ? <LiveIndicator /> : undefined}
    flush
  >
    {actions.length === 0 ? (
      <Box sx={{ p: 1.5, color: 'text.secondary' }}>Nothing has been sent to the provider from the desk yet.</Box>
    ) : (
      <TableContainer>
        <Table size="small" aria-label="Provider actions">
          <TableHead>
            <TableRow>
              <TableCell>Action</TableCell>
              <TableCell>Document</TableCell>
              <TableCell>State</TableCell>
              <TableCell align="right">Attempts</TableCell>
              <TableCell>Requested by</TableCell>
              <TableCell>Created</TableCell>
              <TableCell>Completed</TableCell>
              <TableCell aria-label="Retry" />
            </TableRow>
          </TableHead>
          <TableBody>
            {actions.map((action) => (
              <ActionRow key={action.id} action={action} />
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    )}
  </Section>
);

const ActionRow = ({ action }: { action: ProviderAction }) => (
  <TableRow
    data-testid="provider-action-row"
    data-id={action.id}
    data-state={action.state}
    data-kind={action.kind}
    data-gave-up={action.gaveUp}
  >
    <TableCell sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>{providerActionKindLabels[action.kind]}</TableCell>
    <TableCell>{action.document ? documentTypeLabels[action.document.type] : <Missing />}</TableCell>
    <TableCell sx={{ minWidth: 120 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
        <ProviderActionStateChip state={action.state} />
        {action.state === 'failed' && !action.gaveUp && (
          <Box component="span" sx={{ fontSize: 12, color: 'text.secondary', whiteSpace: 'nowrap' }}>
            will retry
          </Box>
        )}
      </Box>
      {action.state === 'failed' && action.lastError && (
        <Box data-testid="provider-action-error" sx={{ fontSize: 12, color: 'error.main', mt: 0.25, overflowWrap: 'anywhere' }}>
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
    <TableCell align="right" sx={{ width: 1, whiteSpace: 'nowrap' }}>
      {action.state === 'failed' && action.gaveUp && <RetryActionButton action={action} />}
    </TableCell>
  </TableRow>
);

const LiveIndicator = () => (
  <Box
    data-testid="provider-actions-live"
    sx={{ display: 'flex', alignItems: 'center', gap: 0.75, fontSize: 12, color: 'text.secondary', pr: 0.5, pt: 0.5 }}
  >
    <CircularProgress size={12} thickness={5} />
    Following delivery…
  </Box>
);
