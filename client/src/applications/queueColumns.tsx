/**
 * The review queue's columns. A column sorts when its id is one of the API's sort keys
 * (`applicationSorts`: applicant, provider, stage, age, updated); sorting happens on the
 * server, the grid runs in manual sorting mode.
 */
import { type ApplicationSummary, isOpenCase, providerLabels } from '@desk/shared';
import Box from '@mui/material/Box';
import { createColumnHelper, type RowData } from '@tanstack/react-table';
import { DateTime } from '../common/DateTime';
import { ageInDays, formatAge } from '../common/formatAge';
import { ProviderStatusChip } from '../stages/ProviderStatusChip';
import { StageChip } from '../stages/StageChip';
import { SlaChip } from '../workflow/SlaChip';
import { isSortableColumn } from './applicationFilter';
import { FlagIndicators } from './FlagIndicators';

declare module '@tanstack/react-table' {
  // The type parameters must match the declaration being merged.
  interface ColumnMeta<TData extends RowData, TValue> {
    /** CSS width of the column. */
    width?: string;
    /** Stays in view at the left edge while a narrow screen scrolls the table sideways. */
    sticky?: boolean;
  }
}

const column = createColumnHelper<ApplicationSummary>();

/** Age in the warning colour after a week, the error colour after a month, unless the case is closed. */
function ageColor(application: ApplicationSummary, now: number): string {
  if (!isOpenCase(application.stage)) return 'text.secondary';
  const days = ageInDays(application.createdAt, now);
  return days >= 30 ? 'error.main' : days >= 7 ? 'warning.main' : 'text.primary';
}

export function queueColumns(now: number) {
  return [
    column.accessor((row) => row.applicant.name, {
      id: 'applicant',
      header: 'Applicant',
      enableSorting: isSortableColumn('applicant'),
      meta: { width: '18%', sticky: true },
      cell: ({ row }) => (
        <Box sx={{ minWidth: 0 }}>
          <Box sx={{ fontWeight: 600, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            {row.original.applicant.name}
          </Box>
          <Box
            sx={{
              color: 'text.secondary',
              fontSize: 12,
              overflow: 'hidden',
              textOverflow: 'ellipsis',
              whiteSpace: 'nowrap',
            }}
          >
            {row.original.applicant.email}
          </Box>
        </Box>
      ),
    }),
    column.accessor('provider', {
      header: 'Provider',
      enableSorting: isSortableColumn('provider'),
      meta: { width: '7%' },
      cell: ({ getValue }) => providerLabels[getValue()],
    }),
    column.accessor('stage', {
      header: 'Stage · provider status',
      enableSorting: isSortableColumn('stage'),
      meta: { width: '24%' },
      cell: ({ row }) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', alignItems: 'center' }}>
          <StageChip stage={row.original.stage} />
          <ProviderStatusChip status={row.original.providerStatus} />
        </Box>
      ),
    }),
    column.accessor('flags', {
      header: 'Flags',
      enableSorting: false,
      meta: { width: '7%' },
      cell: ({ getValue }) => <FlagIndicators flags={getValue()} />,
    }),
    column.accessor('agreementVersion', {
      header: 'Agreement',
      enableSorting: false,
      meta: { width: '8%' },
      cell: ({ getValue }) => (
        <Box component="span" sx={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: 12 }}>
          {getValue()}
        </Box>
      ),
    }),
    column.accessor('assignee', {
      header: 'Assignee',
      enableSorting: false,
      meta: { width: '11%' },
      cell: ({ getValue }) => {
        const assignee = getValue();
        return assignee ? (
          <span title={assignee.email}>{assignee.name}</span>
        ) : (
          <Box component="span" sx={{ color: 'text.disabled', fontStyle: 'italic' }}>
            Unassigned
          </Box>
        );
      },
    }),
    column.accessor('sla', {
      header: 'SLA',
      enableSorting: false,
      meta: { width: '8%' },
      cell: ({ getValue }) => {
        const sla = getValue();
        return sla ? (
          <SlaChip sla={sla} now={now} />
        ) : (
          <Box
            component="span"
            title="No desk SLA while the provider works or once decided"
            sx={{ color: 'text.disabled' }}
          >
            —
          </Box>
        );
      },
    }),
    column.accessor('createdAt', {
      header: 'Age',
      enableSorting: isSortableColumn('createdAt'),
      meta: { width: '8%' },
      cell: ({ row, getValue }) => (
        <Box
          component="time"
          dateTime={getValue()}
          title={`Created ${getValue()}`}
          sx={{
            whiteSpace: 'nowrap',
            fontVariantNumeric: 'tabular-nums',
            fontWeight: 600,
            color: ageColor(row.original, now),
          }}
        >
          {formatAge(getValue(), now)}
        </Box>
      ),
    }),
    column.accessor('updatedAt', {
      header: 'Updated',
      enableSorting: isSortableColumn('updatedAt'),
      meta: { width: '13%' },
      cell: ({ getValue }) => <DateTime value={getValue()} compact sx={{ color: 'text.secondary', fontSize: 12 }} />,
    }),
  ];
}
