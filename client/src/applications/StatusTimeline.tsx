import { type ApplicationDetail, statusChangeSourceLabels } from '@desk/shared';
import History from '@mui/icons-material/History';
import Box from '@mui/material/Box';
import { Link, useCreatePath } from 'react-admin';
import { DateTime } from '../common/DateTime';
import { resources } from '../dataProvider';
import { ProviderStatusChip } from '../stages/ProviderStatusChip';
import { StageChip } from '../stages/StageChip';
import { stageColors } from '../stages/stageColors';
import { Missing } from './Fields';
import { Section } from './Section';

type StatusChange = ApplicationDetail['statusHistory'][number];
type CaseRfi = ApplicationDetail['rfis'][number];
type RfiStep = { id: string; at: string; rfi: CaseRfi; step: 'raised' | 'answered' | 'closed' };
type Entry = { kind: 'status'; at: string; change: StatusChange } | { kind: 'rfi'; at: string; event: RfiStep };

/** The RFI steps of the case: raised, last answered, closed. */
function rfiSteps(rfis: readonly CaseRfi[]): RfiStep[] {
  return rfis.flatMap((rfi) => {
    const steps: RfiStep[] = [{ id: `${rfi.id}:raised`, at: rfi.createdAt, rfi, step: 'raised' }];
    if (rfi.answeredAt) steps.push({ id: `${rfi.id}:answered`, at: rfi.answeredAt, rfi, step: 'answered' });
    if (rfi.closedAt) steps.push({ id: `${rfi.id}:closed`, at: rfi.closedAt, rfi, step: 'closed' });
    return steps;
  });
}

/**
 * Every status change and every RFI step, newest first: what changed, what caused it, who,
 * why and when.
 */
export const StatusTimeline = ({ history, rfis = [] }: { history: StatusChange[]; rfis?: readonly CaseRfi[] }) => {
  const entries: Entry[] = [
    ...history.map((change): Entry => ({ kind: 'status', at: change.at, change })),
    ...rfiSteps(rfis).map((event): Entry => ({ kind: 'rfi', at: event.at, event })),
  ];
  // An RFI step recorded with a status change (the provider moving on closes its RFI) is its
  // consequence: at the same instant it comes first.
  const newestFirst = entries.sort(
    (a, b) => b.at.localeCompare(a.at) || (a.kind === b.kind ? 0 : a.kind === 'rfi' ? -1 : 1),
  );
  return (
    <Section title={`Status history (${history.length})`} icon={<History fontSize="small" />} testId="status-timeline">
      {newestFirst.length === 0 ? (
        <Missing>No status changes recorded.</Missing>
      ) : (
        <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
          {newestFirst.map((entry, index) =>
            entry.kind === 'status' ? (
              <TimelineEntry key={entry.change.id} change={entry.change} last={index === newestFirst.length - 1} />
            ) : (
              <RfiEntry key={entry.event.id} event={entry.event} last={index === newestFirst.length - 1} />
            ),
          )}
        </Box>
      )}
    </Section>
  );
};

const rfiStepLabels: Record<RfiStep['step'], string> = {
  raised: 'RFI raised',
  answered: 'RFI answered',
  closed: 'RFI closed',
};

const RfiEntry = ({ event, last }: { event: RfiStep; last: boolean }) => {
  const createPath = useCreatePath();
  return (
    <Box component="li" data-testid="rfi-step" data-step={event.step} sx={{ display: 'flex', gap: 1.25 }}>
      <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', pt: 0.5 }}>
        <Box
          sx={{ width: 10, height: 10, borderRadius: '50%', border: 2, borderColor: 'secondary.main', flexShrink: 0 }}
        />
        {!last && <Box sx={{ width: 2, flex: 1, bgcolor: 'divider', my: 0.25 }} />}
      </Box>
      <Box sx={{ pb: last ? 0 : 1.5, minWidth: 0, flex: 1 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, flexWrap: 'wrap' }}>
          <Box component="span" sx={{ fontWeight: 600, fontSize: 13 }}>
            {rfiStepLabels[event.step]}
          </Box>
          <Box component="span" sx={{ color: 'text.secondary' }}>
            ·
          </Box>
          <Link to={createPath({ resource: resources.rfis, id: event.rfi.id, type: 'show' })} sx={{ fontSize: 13 }}>
            {event.rfi.title}
          </Link>
          <Box sx={{ flex: 1 }} />
          <DateTime value={event.at} sx={{ color: 'text.secondary', fontSize: 12 }} />
        </Box>
        <Box sx={{ fontSize: 12, color: 'text.secondary', mt: 0.25 }}>
          {event.rfi.origin === 'provider' ? 'Raised by the provider' : 'Internal RFI'}
        </Box>
      </Box>
    </Box>
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
        <Box component="span" role="img" aria-label="to" sx={{ color: 'text.secondary' }}>
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
