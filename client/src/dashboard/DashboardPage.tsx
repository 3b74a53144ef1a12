import {
  type Provider,
  providerLabels,
  providers,
  type Stage,
  stageLabels,
  stages,
  workableStages,
} from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { Title, useDataProvider, useNavigate } from 'react-admin';
import { DateTime } from '../common/DateTime';
import type { DeskDataProvider } from '../dataProvider';
import { AgingHistogram } from './AgingHistogram';
import { BigNumber } from './BigNumber';
import { providerColors, rfiColors, slaColors } from './dashboardColors';
import { Legend } from './Legend';
import { Panel } from './Panel';
import { SegmentedBars } from './SegmentedBars';
import { Throughput } from './Throughput';

/** Queue health for senior analysts: where cases are, how old, which are late, what is coming. */
export const DashboardPage = () => {
  const navigate = useNavigate();
  const dataProvider = useDataProvider<DeskDataProvider>();
  const query = useQuery({
    queryKey: ['dashboard'],
    queryFn: ({ signal }) => dataProvider.getDashboard(signal),
    refetchInterval: 60_000,
  });
  if (query.error)
    return (
      <Alert severity="error" sx={{ mt: 2 }}>
        {query.error.message}
      </Alert>
    );
  if (!query.data) return <LinearProgress sx={{ mt: 2 }} />;
  const d = query.data;
  const count = (stage: Stage, provider: Provider) =>
    d.byStageProvider.find((r) => r.stage === stage && r.provider === provider)?.count ?? 0;
  const breached = d.sla.reduce((n, s) => n + s.breached, 0);
  const dueSoon = d.sla.reduce((n, s) => n + s.dueSoon, 0);
  const openQueue = (filter: Record<string, unknown>) =>
    navigate(`/applications?filter=${encodeURIComponent(JSON.stringify(filter))}`);
  // Only providers the desk has cases for get a legend entry and a colour in the bars.
  const present = providers.filter((p) => d.byStageProvider.some((r) => r.provider === p && r.count > 0));
  const shown = present.length > 0 ? present : providers;

  return (
    <Box data-testid="dashboard" sx={{ mt: 2, mb: 2 }}>
      <Title title="Dashboard" />
      <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1, mb: 1 }}>
        <Typography variant="h6" component="h1">
          Queue health
        </Typography>
        <Typography variant="caption" color="text.secondary" data-testid="dashboard-generated-at">
          as of <DateTime value={d.generatedAt} /> · refreshes every minute
        </Typography>
      </Box>
      <Grid container spacing={1.5}>
        <Grid size={{ xs: 6, md: 3 }}>
          <BigNumber
            testId="dashboard-breaches"
            label="SLA breaches"
            value={breached}
            tone={breached > 0 ? 'error' : undefined}
            caption={`and ${dueSoon} due soon · click to see them`}
            onClick={() => openQueue({ sla: 'breached' })}
          />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <BigNumber
            testId="dashboard-unassigned"
            label="Unassigned cases waiting"
            value={d.unassignedWorkable}
            tone={d.unassignedWorkable > 0 ? 'primary' : undefined}
            caption="in stages the desk works · click to see them"
            onClick={() => openQueue({ stage: workableStages, assignee: 'none' })}
          />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <BigNumber
            testId="dashboard-escalations"
            label="Open escalations"
            value={d.openEscalations}
            tone={d.openEscalations > 0 ? 'warning' : undefined}
            caption="waiting for a second senior analyst"
          />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <BigNumber
            testId="dashboard-overdue-rfis"
            label="Overdue RFIs"
            value={d.rfisByDue.overdue}
            tone={d.rfisByDue.overdue > 0 ? 'error' : undefined}
            caption={`and ${d.rfisByDue.today} due today`}
            onClick={() => navigate('/rfis')}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Panel title="Service levels of open cases" hint="click a stage for its breaches" testId="dashboard-sla">
            <SegmentedBars
              rowHint="Click to open its breached cases."
              rows={d.sla.map((s) => ({
                key: s.stage,
                label: stageLabels[s.stage],
                segments: [
                  { value: s.breached, color: slaColors.breached, title: `${s.breached} breached` },
                  { value: s.dueSoon, color: slaColors.dueSoon, title: `${s.dueSoon} due soon` },
                  { value: s.onTrack, color: slaColors.onTrack, title: `${s.onTrack} on track` },
                ],
              }))}
              onRowClick={(stage) => openQueue({ stage: [stage], sla: 'breached' })}
            />
            <Legend
              items={[
                { label: `breached (${breached})`, color: slaColors.breached },
                { label: `due soon (${dueSoon})`, color: slaColors.dueSoon },
                { label: `on track (${d.sla.reduce((n, s) => n + s.onTrack, 0)})`, color: slaColors.onTrack },
              ]}
            />
          </Panel>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Panel title="Cases per stage, by provider" hint="click a stage to open it" testId="dashboard-stages">
            <SegmentedBars
              rowHint="Click to open the stage in the queue."
              rows={stages.map((stage) => ({
                key: stage,
                label: stageLabels[stage],
                segments: shown.map((p) => ({
                  value: count(stage, p),
                  color: providerColors[p],
                  title: `${providerLabels[p]} ${count(stage, p)}`,
                })),
              }))}
              onRowClick={(stage) => openQueue({ stage: [stage] })}
            />
            <Legend items={shown.map((p) => ({ label: providerLabels[p], color: providerColors[p] }))} />
          </Panel>
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <Panel title="Open cases by age" hint="since the application came in" testId="dashboard-aging">
            <AgingHistogram aging={d.aging} />
          </Panel>
        </Grid>
        <Grid size={{ xs: 12, md: 3 }}>
          <Panel title="Open RFIs by due date" testId="dashboard-rfis">
            <SegmentedBars
              rows={(
                [
                  ['overdue', 'Overdue'],
                  ['today', 'Due today'],
                  ['next7Days', 'Next 7 days'],
                  ['later', 'Later'],
                  ['answered', 'Answered, to check'],
                ] as const
              ).map(([key, label]) => ({
                key,
                label,
                segments: [{ value: d.rfisByDue[key], color: rfiColors[key], title: `${label}: ${d.rfisByDue[key]}` }],
              }))}
            />
          </Panel>
        </Grid>
        <Grid size={{ xs: 12, md: 5 }}>
          <Panel title="Throughput, last 14 days" hint="per UTC day" testId="dashboard-throughput">
            <Throughput days={d.throughput} />
          </Panel>
        </Grid>
      </Grid>
    </Box>
  );
};
