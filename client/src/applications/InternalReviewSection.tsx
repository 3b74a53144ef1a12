import {
  type ApplicationDetail,
  type Outcome,
  type ReviewOutcome,
  reasonCodeLabels,
  reviewOutcomeLabels,
  roleLabels,
} from '@desk/shared';
import GavelOutlined from '@mui/icons-material/GavelOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import { DateTime } from '../common/DateTime';
import { OutcomeForm } from './OutcomeForm';
import { Section } from './Section';

const outcomeColors: Record<ReviewOutcome, 'success' | 'warning' | 'error'> = {
  cleared: 'success',
  escalated: 'warning',
  recommend_reject: 'error',
};

export const OutcomeChip = ({ outcome }: { outcome: ReviewOutcome }) => (
  <Chip label={reviewOutcomeLabels[outcome]} color={outcomeColors[outcome]} variant="outlined" />
);

/** The escalation that is waiting for a second senior analyst, if the latest outcome is one. */
export function openEscalation(outcomes: readonly Outcome[]): Outcome | null {
  const latest = outcomes[0];
  return latest?.outcome === 'escalated' ? latest : null;
}

/**
 * The desk's own judgement on the case, next to the provider's status: every outcome recorded
 * (newest first) and, for roles that record them, the form for the next one. An escalated case
 * is resolved by a senior analyst other than the one who escalated it.
 */
export const InternalReviewSection = ({ application }: { application: ApplicationDetail }) => {
  const { outcomes } = application;
  const escalation = openEscalation(outcomes);

  return (
    <Section title="Internal review" icon={<GavelOutlined fontSize="small" />} testId="outcome-section" flush>
      <Box sx={{ p: 1.5, display: 'flex', flexDirection: 'column', gap: 1.5 }}>
        {escalation && (
          <Alert severity="warning" data-testid="four-eyes-note">
            Escalated by {escalation.actor.name} — a different senior analyst resolves it.
          </Alert>
        )}
        {outcomes.length === 0 ? (
          <Box sx={{ color: 'text.secondary' }}>No outcome has been recorded on this case.</Box>
        ) : (
          <OutcomeHistory outcomes={outcomes} />
        )}
        <Allowed resource={accessResources.outcomes} action="create">
          <OutcomeForm application={application} escalation={escalation} />
        </Allowed>
      </Box>
    </Section>
  );
};

const OutcomeHistory = ({ outcomes }: { outcomes: readonly Outcome[] }) => (
  <TableContainer sx={{ border: 1, borderColor: 'divider', borderRadius: 1 }}>
    <Table size="small" aria-label="Outcomes recorded on this case">
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>Who</TableCell>
          <TableCell>Outcome</TableCell>
          <TableCell>Reason</TableCell>
          <TableCell>Note</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {outcomes.map((outcome) => (
          <TableRow
            key={outcome.id}
            data-testid="outcome-row"
            data-outcome={outcome.outcome}
            data-actor={outcome.actor.email}
          >
            <TableCell sx={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>
              <DateTime value={outcome.createdAt} compact />
            </TableCell>
            <TableCell sx={{ verticalAlign: 'top' }}>
              <div>{outcome.actor.name}</div>
              <Box sx={{ color: 'text.secondary', fontSize: 12 }}>{roleLabels[outcome.actor.role]}</Box>
            </TableCell>
            <TableCell sx={{ verticalAlign: 'top' }}>
              <OutcomeChip outcome={outcome.outcome} />
            </TableCell>
            <TableCell sx={{ verticalAlign: 'top' }}>
              {reasonCodeLabels[outcome.reasonCode] ?? outcome.reasonCode}
            </TableCell>
            <TableCell sx={{ verticalAlign: 'top', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {outcome.note}
              {outcome.overrideReason !== null && (
                <Box data-testid="outcome-override" sx={{ mt: 0.5, color: 'warning.main' }}>
                  Recorded with items open: {outcome.overrideReason}
                </Box>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </TableContainer>
);
