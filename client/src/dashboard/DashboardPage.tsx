import {
  agingBucketLabels,
  agingBuckets,
  type Dashboard,
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
import Card from '@mui/material/Card';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Title, useNavigate } from 'react-admin';
import { stageColors } from '../stages/stageColors';
import { getDashboard } from '../workflow/workflowApi';

const providerColors: Record<Provider, string> = { jiko: '#1f4e79', fin: '#00897b', kyc: '#9c6ade' };
const slaColors = { breached: '#b3261e', dueSoon: '#ed8f03', onTrack: '#a9b4c0' } as const;
const rfiColors = {
  overdue: '#b3261e',
  today: '#ed8f03',
  next7Days: '#1f6fd1',
  later: '#a9b4c0',
  answered: '#2e7d32',
} as const;
const axis = '#8a94a3';
const grid = '#e9edf2';

const Panel = ({
  title,
  hint,
  children,
  testId,
}: {
  title: string;
  hint?: string;
  children: ReactNode;
  testId?: string;
}) => (
  <Card sx={{ p: 1.5, height: '100%' }} data-testid={testId}>
    <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1, mb: 1 }}>
      <Typography variant="subtitle2">{title}</Typography>
      {hint && (
        <Typography variant="caption" color="text.secondary">
          {hint}
        </Typography>
      )}
    </Box>
    {children}
  </Card>
);

const BigNumber = ({
  label,
  value,
  tone,
  caption,
  onClick,
  testId,
}: {
  label: string;
  value: number;
  tone?: string | undefined;
  caption: string;
  onClick?: () => void;
  testId: string;
}) => (
  <Card
    data-testid={testId}
    data-value={value}
    onClick={onClick}
    sx={{
      p: 1.5,
      height: '100%',
      cursor: onClick ? 'pointer' : 'default',
      borderLeft: 4,
      borderLeftColor: tone ?? 'divider',
      '&:hover': onClick ? { bgcolor: 'action.hover' } : undefined,
    }}
  >
    <Typography variant="caption" sx={{ fontWeight: 600, color: 'text.secondary' }}>
      {label}
    </Typography>
    <Typography
      sx={{
        fontSize: 34,
        lineHeight: 1.15,
        fontWeight: 700,
        color: tone ?? 'text.primary',
        fontVariantNumeric: 'tabular-nums',
      }}
    >
      {value.toLocaleString()}
    </Typography>
    <Typography variant="caption" color="text.secondary">
      {caption}
    </Typography>
  </Card>
);

interface Segment {
  value: number;
  color: string;
  title: string;
}

/** Horizontal bars, one per row, each split into coloured segments; rows may be clickable. */
const SegmentedBars = ({
  rows,
  onRowClick,
  rowHint,
}: {
  rows: { key: string; label: string; segments: Segment[] }[];
  onRowClick?: (key: string) => void;
  rowHint?: string;
}) => {
  const max = Math.max(1, ...rows.map((r) => r.segments.reduce((n, s) => n + s.value, 0)));
  return (
    <Box sx={{ display: 'grid', gap: 0.25 }}>
      {rows.map((row) => {
        const total = row.segments.reduce((n, s) => n + s.value, 0);
        let x = 0;
        return (
          <Box
            key={row.key}
            data-key={row.key}
            role={onRowClick ? 'button' : undefined}
            tabIndex={onRowClick ? 0 : undefined}
            title={rowHint ? `${row.label}: ${row.segments.map((s) => s.title).join(', ')}. ${rowHint}` : undefined}
            onClick={onRowClick ? () => onRowClick(row.key) : undefined}
            onKeyDown={onRowClick ? (event) => event.key === 'Enter' && onRowClick(row.key) : undefined}
            sx={{
              display: 'grid',
              gridTemplateColumns: '112px 1fr 40px',
              alignItems: 'center',
              gap: 1,
              px: 0.5,
              py: 0.2,
              borderRadius: 0.75,
              cursor: onRowClick ? 'pointer' : 'default',
              '&:hover': onRowClick ? { bgcolor: 'action.hover' } : undefined,
            }}
          >
            <Typography variant="caption" noWrap sx={{ color: total === 0 ? 'text.disabled' : 'text.primary' }}>
              {row.label}
            </Typography>
            <svg
              width="100%"
              height="14"
              viewBox={`0 0 ${max} 14`}
              preserveAspectRatio="none"
              role="img"
              aria-label={`${row.label}: ${total}`}
            >
              <rect x={0} y={0} width={max} height={14} fill="#f3f5f8" />
              {row.segments.map((s) => {
                const rect = (
                  <rect key={s.title} x={x} y={0} width={s.value} height={14} fill={s.color}>
                    <title>{s.title}</title>
                  </rect>
                );
                x += s.value;
                return rect;
              })}
            </svg>
            <Typography
              variant="caption"
              sx={{
                textAlign: 'right',
                fontWeight: 600,
                fontVariantNumeric: 'tabular-nums',
                color: total === 0 ? 'text.disabled' : 'text.primary',
              }}
            >
              {total.toLocaleString()}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
};

const Legend = ({ items }: { items: { label: string; color: string }[] }) => (
  <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', mt: 1 }}>
    {items.map((i) => (
      <Box key={i.label} sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
        <Box sx={{ width: 10, height: 10, bgcolor: i.color, borderRadius: 0.5 }} />
        <Typography variant="caption">{i.label}</Typography>
      </Box>
    ))}
  </Box>
);

/** A rounded-up axis maximum (1, 2, 5, 10, 20, 50, …) so gridlines land on round numbers. */
function niceMax(value: number): number {
  if (value <= 4) return Math.max(1, value);
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

/** Open cases by age since creation: one column per bucket, older buckets warmer. */
const AgingHistogram = ({ aging }: { aging: Dashboard['aging'] }) => {
  const width = 360;
  const height = 130;
  const base = height - 20;
  const max = niceMax(Math.max(...agingBuckets.map((b) => aging[b])));
  const slot = width / agingBuckets.length;
  const tones = ['#9ccc65', '#c0ca33', '#f9a825', '#ef6c00', '#c62828'];
  return (
    <svg
      width="100%"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Open cases by age"
      style={{ display: 'block' }}
    >
      <line x1={0} x2={width} y1={base} y2={base} stroke={axis} strokeWidth={1} />
      {agingBuckets.map((b, i) => {
        const h = (aging[b] / max) * (base - 16);
        return (
          <g key={b}>
            <rect x={i * slot + 8} y={base - h} width={slot - 16} height={h} fill={tones[i] ?? axis} rx={2}>
              <title>{`${agingBucketLabels[b]}: ${aging[b]}`}</title>
            </rect>
            <text
              x={i * slot + slot / 2}
              y={base - h - 4}
              fontSize={11}
              fontWeight={600}
              textAnchor="middle"
              fill="#1c2430"
            >
              {aging[b]}
            </text>
            <text x={i * slot + slot / 2} y={height - 5} fontSize={10.5} textAnchor="middle" fill="#5b6675">
              {agingBucketLabels[b]}
            </text>
          </g>
        );
      })}
    </svg>
  );
};

const dayLabel = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** Created / approved / rejected per day, as grouped columns over a gridded axis. */
const Throughput = ({ days }: { days: Dashboard['throughput'] }) => {
  const series = [
    { key: 'created', label: 'created', color: '#1f6fd1' },
    { key: 'approved', label: 'approved', color: stageColors.approved },
    { key: 'rejected', label: 'rejected', color: stageColors.rejected },
  ] as const;
  const peak = Math.max(0, ...days.flatMap((d) => [d.created, d.approved, d.rejected]));
  const max = niceMax(peak);
  const left = 26;
  const width = 560;
  const height = 150;
  const base = height - 18;
  const top = 6;
  const slot = (width - left) / Math.max(1, days.length);
  const bar = Math.min(9, (slot - 6) / 3);
  const ticks = [0, max / 2, max].filter((t, i, all) => Number.isInteger(t) && all.indexOf(t) === i);
  const y = (v: number) => base - (v / max) * (base - top);
  const totals = series.map((s) => days.reduce((n, d) => n + d[s.key], 0));

  return (
    <Box sx={{ position: 'relative' }}>
      <svg
        width="100%"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label="Throughput per day"
        style={{ display: 'block' }}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={width} y1={y(t)} y2={y(t)} stroke={t === 0 ? axis : grid} strokeWidth={1} />
            <text x={left - 5} y={y(t) + 3.5} fontSize={10} textAnchor="end" fill="#5b6675">
              {t}
            </text>
          </g>
        ))}
        {days.map((d, i) => {
          const x0 = left + i * slot + (slot - bar * 3 - 2) / 2;
          return (
            <g key={d.day}>
              {series.map((s, j) => {
                const h = base - y(d[s.key]);
                return (
                  <rect key={s.key} x={x0 + j * (bar + 1)} y={base - h} width={bar} height={h} fill={s.color}>
                    <title>{`${dayLabel.format(new Date(`${d.day}T00:00:00Z`))}: ${d[s.key]} ${s.label}`}</title>
                  </rect>
                );
              })}
              {(i % 2 === days.length % 2 || days.length <= 7) && (
                <text x={left + i * slot + slot / 2} y={height - 4} fontSize={10} textAnchor="middle" fill="#5b6675">
                  {dayLabel.format(new Date(`${d.day}T00:00:00Z`))}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      {peak === 0 && (
        <Typography
          variant="body2"
          color="text.secondary"
          sx={{
            position: 'absolute',
            inset: 0,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            pb: 3,
          }}
        >
          No case was created or decided in the last 14 days.
        </Typography>
      )}
      <Legend items={series.map((s, i) => ({ label: `${s.label} (${totals[i] ?? 0})`, color: s.color }))} />
    </Box>
  );
};

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** Queue health for senior analysts: where cases are, how old, which are late, what is coming. */
export const DashboardPage = () => {
  const navigate = useNavigate();
  const query = useQuery({
    queryKey: ['dashboard'],
    queryFn: ({ signal }) => getDashboard(signal),
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
          as of {timeFormat.format(new Date(d.generatedAt))} · refreshes every minute
        </Typography>
      </Box>
      <Grid container spacing={1.5}>
        <Grid size={{ xs: 6, md: 3 }}>
          <BigNumber
            testId="dashboard-breaches"
            label="SLA breaches"
            value={breached}
            tone={breached > 0 ? '#b3261e' : undefined}
            caption={`and ${dueSoon} due soon · click to see them`}
            onClick={() => openQueue({ sla: 'breached' })}
          />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <BigNumber
            testId="dashboard-unassigned"
            label="Unassigned cases waiting"
            value={d.unassignedWorkable}
            tone={d.unassignedWorkable > 0 ? '#1f4e79' : undefined}
            caption="in stages the desk works · click to see them"
            onClick={() => openQueue({ stage: workableStages, assignee: 'none' })}
          />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <BigNumber
            testId="dashboard-escalations"
            label="Open escalations"
            value={d.openEscalations}
            tone={d.openEscalations > 0 ? '#b45309' : undefined}
            caption="waiting for a second senior analyst"
          />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <BigNumber
            testId="dashboard-overdue-rfis"
            label="Overdue RFIs"
            value={d.rfisByDue.overdue}
            tone={d.rfisByDue.overdue > 0 ? '#b3261e' : undefined}
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
