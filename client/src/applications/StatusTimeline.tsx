import { statusChangeSourceLabels, type ApplicationDetail } from '@desk/shared';
import History from '@mui/icons-material/History';
import Box from '@mui/material/Box';
import { DateTime } from '../common/DateTime';
import { ProviderStatusChip } from '../stages/ProviderStatusChip';
import { stageColors } from '../stages/stageColors';
import { StageChip } from '../stages/StageChip';
import { Missing } from './Fields';
import { Section } from './Section';

type StatusChange = ApplicationDetail['statusHistory'][number];

/** Every status change, newest first: what changed, what caused it, who, why and when. */
export const StatusTimeline = ({ history }: { history: StatusChange[] }) => {
  const newestFirst = [...history].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <Section title={`Status history (${history.length})`} icon={<History fontSize="small" />} testId="status-timeline">
      {newestFirst.length === 0 ? (
        <Missing>No status changes recorded.</Missing>
      ) : (
        <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
          {newestFirst.map((change, index) => (
            <TimelineEntry key={change.id} change={change} last={index === newestFirst.length - 1} />
          ))}
        </Box>
      )}
    </Section>
  );
};

const TimelineEntry = ({ change, last }: { change: StatusChange; last: boolean }) => (
  <Box component="li" data-testid="status-change" sx={{ display: 'flex', gap: 1.25 }}>
    <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', pt: 0.5 }}>
      <Box sx={{ width: 10, height: 10, borderRadius: '50%', bgcolor: stageColors[change.toStage], flexShrink: 0 }} />
      {!last && <Box sx={{ width: 2, flex: 1, bgcolor: 'divider', my: 0.25 }} />}
    </Box>
    <Box sx={{ pb: last ? 0 : 1.5, minWidth: 0, flex: 1 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, flexWrap: 'wrap' }}>
        {change.fromStatus ? <ProviderStatusChip status={change.fromStatus} /> : <Missing>new</Missing>}
        <Box component="span" aria-label="to" sx={{ color: 'text.secondary' }}>
          →
        </Box>
        <ProviderStatusChip status={change.toStatus} />
        {change.fromStage !== change.toStage && (
          <>
            <Box component="span" sx={{ color: 'text.secondary', mx: 0.5 }}>
              ·
            </Box>
            <StageChip stage={change.toStage} />
          </>
        )}
        <Box sx={{ flex: 1 }} />
        <DateTime value={change.at} sx={{ color: 'text.secondary', fontSize: 12 }} />
      </Box>
      <Box sx={{ fontSize: 12, color: 'text.secondary', mt: 0.25 }}>
        {statusChangeSourceLabels[change.source]}
        {' · '}
        {change.actor ? change.actor.name : 'system'}
      </Box>
      {change.reason && <Box sx={{ fontSize: 12.5, mt: 0.25 }}>{change.reason}</Box>}
    </Box>
  </Box>
);
