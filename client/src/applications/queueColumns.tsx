/**
 * The review queue's columns. A column sorts when its id is one of the API's sort keys
 * (`applicationSorts`: applicant, provider, stage, age, updated); sorting happens on the
 * server. The queue draws its rows straight from these (no table library in the queue's
 * download); the RFI and audit grids use @tanstack/react-table, whose column meta is declared
 * here.
 */
import { type ApplicationSummary, isOpenCase, providerLabels } from '@desk/shared';
import Box from '@mui/material/Box';
import type { RowData } from '@tanstack/react-table';
import type { ReactNode } from 'react';
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

/** One column of the queue: its id (the sort key when it sorts), heading, width and cell. */
export interface QueueColumn {
  id: string;
  header: string;
  sortable: boolean;
  /** CSS width of the column (a percentage of the table). */
  width: string;
  /** Stays in view at the left edge while a narrow screen scrolls the table sideways. */
  sticky?: boolean;
  cell: (application: ApplicationSummary) => ReactNode;
}

/** Age in the warning colour after a week, the error colour after a month, unless the case is closed. */
function ageColor(application: ApplicationSummary, now: number): string {
  if (!isOpenCase(application.stage)) return 'text.secondary';
  const days = ageInDays(application.createdAt, now);
  return days >= 30 ? 'error.main' : days >= 7 ? 'warning.main' : 'text.primary';
}

export function queueColumns(now: number): QueueColumn[] {
  return [
    {
      id: 'applicant',
      header: 'Applicant',
      sortable: isSortableColumn('applicant'),
      width: '18%',
      sticky: true,
      cell: (application) => (
        <Box sx={{ minWidth: 0 }}>
          <Box sx={{ fontWeight: 600, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            {application.applicant.name}
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
            {application.applicant.email}
          </Box>
        </Box>
      ),
    },
    {
      id: 'provider',
      header: 'Provider',
      sortable: isSortableColumn('provider'),
      width: '7%',
      cell: (application) => providerLabels[application.provider],
    },
    {
      id: 'stage',
      header: 'Stage · provider status',
      sortable: isSortableColumn('stage'),
      width: '24%',
      cell: (application) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', alignItems: 'center' }}>
          <StageChip stage={application.stage} />
          <ProviderStatusChip status={application.providerStatus} />
        </Box>
      ),
    },
    {
      id: 'flags',
      header: 'Flags',
      sortable: false,
      width: '7%',
      cell: (application) => <FlagIndicators flags={application.flags} />,
    },
    {
      id: 'agreementVersion',
      header: 'Agreement',
      sortable: false,
      width: '8%',
      cell: (application) => (
        <Box component="span" sx={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: 12 }}>
          {application.agreementVersion}
        </Box>
      ),
    },
    {
      id: 'assignee',
      header: 'Assignee',
      sortable: false,
      width: '11%',
      cell: ({ assignee }) => {
        return assignee ? (
          <span title={assignee.email}>{assignee.name}</span>
        ) : (
          <Box component="span" sx={{ color: 'text.disabled', fontStyle: 'italic' }}>
            Unassigned
          </Box>
        );
      },
    },
    {
      id: 'sla',
      header: 'SLA',
      sortable: false,
      width: '8%',
      cell: ({ sla }) => {
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
    },
    {
      id: 'createdAt',
      header: 'Age',
      sortable: isSortableColumn('createdAt'),
      width: '8%',
      cell: (application) => (
        <Box
          component="time"
          dateTime={application.createdAt}
          title={`Created ${application.createdAt}`}
          sx={{
            whiteSpace: 'nowrap',
            fontVariantNumeric: 'tabular-nums',
            fontWeight: 600,
            color: ageColor(application, now),
          }}
        >
          {formatAge(application.createdAt, now)}
        </Box>
      ),
    },
    {
      id: 'updatedAt',
      header: 'Updated',
      sortable: isSortableColumn('updatedAt'),
      width: '13%',
      cell: (application) => (
        <DateTime value={application.updatedAt} compact sx={{ color: 'text.secondary', fontSize: 12 }} />
      ),
    },
  ];
}
