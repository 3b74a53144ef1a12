import {
  agingBucketLabels,
  agingBuckets,
  providerLabels,
  providers,
  stageLabels,
  stages,
  type Dashboard,
  type Provider,
  type Stage,
} from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Title, useNavigate } from 'react-admin';
import { stageColors } from '../stages/stageColors';
import { getDashboard } from '../workflow/workflowApi';

const providerShades: Record<Provider, number> = { jiko: 1, fin: 0.7, kyc: 0.45 };
const slaColors = { breached: '#b3261e', dueSoon: '#ed8f03', onTrack: '#9aa5b1' } as const;

const Panel = ({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) => (
  <Card sx={{ p: 1.5, height: '100%' }} data-testid={testId}>
    <Typography variant="subtitle2" sx={{ mb: 1 }}>
      {title}
    </Typography>
    {children}
  </Card>
);

const BigNumber = ({ label, value, tone }: { label: string; value: number; tone?: string }) => (
  <Panel title={label}>
    <Typography variant="h3" sx={{ fontWeight: 700, color: tone ?? 'text.primary', fontVariantNumeric: 'tabular-nums' }}>
      {value.toLocaleString()}
    </Typography>
  </Panel>
);

/** Horizontal bars, one per row, split into coloured segments. */
const SegmentedBars = ({
  rows,
  onRowClick,
}: {
  rows: { label: string; segments: { value: number; color: string; opacity?: number; title: string }[]; key: string }[];
  onRowClick?: (key: string) => void;
}) => {
  const max = Math.max(1, ...rows.map((r) => r.segments.reduce((n, s) => n + s.value, 0)));
  return (
    <Box sx={{ display: 'grid', gap: 0.5 }}>
      {rows.map((row) => {
        const total = row.segments.reduce((n, s) => n + s.value, 0);
        return (
          <Box
            key={row.key}
            data-key={row.key}
            onClick={onRowClick ? () => onRowClick(row.key) : undefined}
            sx={{ display: 'grid', gridTemplateColumns: '120px 1fr 48px', alignItems: 'center', gap: 1, cursor: onRowClick ? 'pointer' : 'default' }}
          >
            <Typography variant="caption" noWrap>
              {row.label}
            </Typography>
            <svg width="100%" height="16" viewBox={`0 0 ${max} 16`} preserveAspectRatio="none" role="img" aria-label={`${row.label}: ${total}`}>
              {row.segments.reduce<{ x: number; parts: ReactNode[] }>(
                (acc, s, i) => {
                  acc.parts.push(
                    <rect key={i} x={acc.x} y={1} width={s.value} height={14} fill={s.color} opacity={s.opacity ?? 1}>
                      <title>{s.title}</title>
                    </rect>,
                  );
                  acc.x += s.value;
                  return acc;
                },
                { x: 0, parts: [] },
              ).parts}
            </svg>
            <Typography variant="caption" sx={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>
              {total.toLocaleString()}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
};

const Legend = ({ items }: { items: { label: string; color: string; opacity?: number }[] }) => (
  <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', mt: 1 }}>
    {items.map((i) => (
      <Box key={i.label} sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
        <Box sx={{ width: 10, height: 10, bgcolor: i.color, opacity: i.opacity ?? 1, borderRadius: 0.5 }} />
        <Typography variant="caption">{i.label}</Typography>
      </Box>
    ))}
  </Box>
);

/** Created / approved / rejected per day, as grouped columns. */
const Throughput = ({ days }: { days: Dashboard['throughput'] }) => {
  const max = Math.max(1, ...days.flatMap((d) => [d.created, d.approved, d.rejected]));
  const height = 120;
  const series = [
    { key: 'created', color: '#1f6fd1' },
    { key: 'approved', color: stageColors.approved },
    { key: 'rejected', color: stageColors.rejected },
  ] as const;
  return (
    <Box>
      <svg width="100%" height={height + 18} viewBox={`0 0 ${days.length * 40} ${height + 18}`} preserveAspectRatio="none" role="img" aria-label="Throughput per day">
        {days.map((d, i) =>
          series.map((s, j) => {
            const h = (d[s.key] / max) * height;
            return (
              <rect key={`${d.day}-${s.key}`} x={i * 40 + 6 + j * 10} y={height - h} width={9} height={h} fill={s.color}>
                <title>{`${d.day}: ${d[s.key]} ${s.key}`}</title>
              </rect>
            );
          }),
        )}
        {days.map((d, i) =>
          i % 2 === 0 ? (
            <text key={d.day} x={i * 40 + 20} y={height + 14} fontSize={10} textAnchor="middle" fill="#6b7280">
              {d.day.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
      <Legend items={series.map((s) => ({ label: s.key, color: s.color }))} />
    </Box>
  );
};

/** Queue health for senior analysts: where cases are, how old, which are late, what is coming. */
export const DashboardPage = () => {
  const navigate = useNavigate();
  const query = useQuery({ queryKey: ['dashboard'], queryFn: ({ signal }) => getDashboard(signal), refetchInterval: 60_000 });
  if (query.error) return <Alert severity="error" sx={{ mt: 2 }}>{query.error.message}</Alert>;
  if (!query.data) return <LinearProgress sx={{ mt: 2 }} />;
  const d = query.data;
  const count = (stage: Stage, provider: Provider) => d.byStageProvider.find((r) => r.stage === stage && r.provider === provider)?.count ?? 0;
  const breached = d.sla.reduce((n, s) => n + s.breached, 0);
  const openToQueue = (params: string) => navigate(`/applications?filter=${encodeURIComponent(params)}`);

  return (
    <Box data-testid="dashboard" sx={{ mt: 2, mb: 2 }}>
      <Title title="Dashboard" />
      <Grid container spacing={1.5}>
        <Grid size={{ xs: 6, md: 3 }}>
          <BigNumber label="SLA breaches" value={breached} tone={breached > 0 ? 'error.main' : undefined} />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <BigNumber label="Unassigned cases waiting" value={d.unassignedWorkable} />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <BigNumber label="Open escalations (four-eyes)" value={d.openEscalations} tone={d.openEscalations > 0 ? 'warning.main' : undefined} />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <BigNumber label="Overdue RFIs" value={d.rfisByDue.overdue} tone={d.rfisByDue.overdue > 0 ? 'error.main' : undefined} />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Panel title="Cases per stage, by provider">
            <SegmentedBars
              rows={stages.map((stage) => ({
                key: stage,
                label: stageLabels[stage],
                segments: providers.map((p) => ({
                  value: count(stage, p),
                  color: stageColors[stage],
                  opacity: providerShades[p],
                  title: `${stageLabels[stage]} · ${providerLabels[p]}: ${count(stage, p)}`,
                })),
              }))}
              onRowClick={(stage) => openToQueue(JSON.stringify({ stage: [stage] }))}
            />
            <Legend items={providers.map((p) => ({ label: providerLabels[p], color: '#5f6b7a', opacity: providerShades[p] }))} />
          </Panel>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Panel title="Service levels of open cases (click a stage for its breaches)" testId="dashboard-sla">
            <SegmentedBars
              rows={d.sla.map((s) => ({
                key: s.stage,
                label: stageLabels[s.stage],
                segments: [
                  { value: s.breached, color: slaColors.breached, title: `${s.breached} breached` },
                  { value: s.dueSoon, color: slaColors.dueSoon, title: `${s.dueSoon} due soon` },
                  { value: s.onTrack, color: slaColors.onTrack, title: `${s.onTrack} on track` },
                ],
              }))}
              onRowClick={(stage) => openToQueue(JSON.stringify({ stage: [stage], sla: 'breached' }))}
            />
            <Legend
              items={[
                { label: 'breached', color: slaColors.breached },
                { label: 'due soon', color: slaColors.dueSoon },
                { label: 'on track', color: slaColors.onTrack },
              ]}
            />
          </Panel>
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <Panel title="Open cases by age">
            <SegmentedBars
              rows={agingBuckets.map((b) => ({
                key: b,
                label: agingBucketLabels[b],
                segments: [{ value: d.aging[b], color: '#6a4bc4', title: `${agingBucketLabels[b]}: ${d.aging[b]}` }],
              }))}
            />
          </Panel>
        </Grid>
        <Grid size={{ xs: 12, md: 3 }}>
          <Panel title="Open RFIs by due date">
            <SegmentedBars
              rows={(
                [
                  ['overdue', 'Overdue', '#b3261e'],
                  ['today', 'Due today', '#ed8f03'],
                  ['next7Days', 'Next 7 days', '#1f6fd1'],
                  ['later', 'Later', '#9aa5b1'],
                  ['answered', 'Answered', '#2e7d32'],
                ] as const
              ).map(([key, label, color]) => ({ key, label, segments: [{ value: d.rfisByDue[key], color, title: `${label}: ${d.rfisByDue[key]}` }] }))}
            />
          </Panel>
        </Grid>
        <Grid size={{ xs: 12, md: 5 }}>
          <Panel title="Throughput, last 14 days" testId="dashboard-throughput">
            <Throughput days={d.throughput} />
          </Panel>
        </Grid>
      </Grid>
    </Box>
  );
};
