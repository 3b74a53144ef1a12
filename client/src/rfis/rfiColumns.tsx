/**
 * The RFI queue's columns. The server orders by due time (soonest first); nothing sorts here.
 * The `width` column meta is declared in applications/queueColumns.tsx.
 */
import { isAnswerableRfi, providerLabels, type Rfi } from '@desk/shared';
import Box from '@mui/material/Box';
import { createColumnHelper } from '@tanstack/react-table';
import type { MouseEvent } from 'react';
import { Link } from 'react-admin';
import { DueDate } from './DueDate';
import { RfiOriginChip } from './RfiOriginChip';
import { RfiStatusChip } from './RfiStatusChip';

const column = createColumnHelper<Rfi>();
const ellipsis = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;

/** `casePath(applicationId)` is where the applicant's name links to. */
export function rfiColumns(now: number, casePath: (applicationId: string) => string) {
  return [
    column.accessor('title', {
      header: 'Request',
      meta: { width: '24%' },
      cell: ({ getValue }) => (
        <Box sx={{ fontWeight: 600, ...ellipsis }} title={getValue()}>
          {getValue()}
        </Box>
      ),
    }),
    column.accessor('applicantName', {
      header: 'Applicant',
      meta: { width: '15%' },
      cell: ({ row, getValue }) => (
        <Box sx={ellipsis}>
          <Link
            to={casePath(row.original.applicationId)}
            onClick={(event: MouseEvent) => event.stopPropagation()}
            data-testid="rfi-case-link"
          >
            {getValue()}
          </Link>
        </Box>
      ),
    }),
    column.accessor('provider', {
      header: 'Provider',
      meta: { width: '8%' },
      cell: ({ getValue }) => providerLabels[getValue()],
    }),
    column.accessor('origin', {
      header: 'Origin',
      meta: { width: '8%' },
      cell: ({ getValue }) => <RfiOriginChip origin={getValue()} />,
    }),
    column.accessor('status', {
      header: 'Status',
      meta: { width: '11%' },
      cell: ({ row, getValue }) => (
        <RfiStatusChip status={getValue()} providerName={providerLabels[row.original.provider]} />
      ),
    }),
    column.display({
      id: 'items',
      header: 'Items',
      meta: { width: '6%' },
      cell: ({ row }) => (
        <Box component="span" sx={{ fontVariantNumeric: 'tabular-nums' }} data-testid="rfi-items-count">
          {row.original.items.length}
        </Box>
      ),
    }),
    column.accessor('dueAt', {
      header: 'Due',
      meta: { width: '15%' },
      cell: ({ row, getValue }) => (
        <DueDate
          dueAt={getValue()}
          overdue={row.original.overdue}
          now={now}
          settled={!isAnswerableRfi(row.original.status)}
        />
      ),
    }),
    column.accessor('assignee', {
      header: 'Assignee',
      meta: { width: '13%' },
      cell: ({ getValue }) => {
        const assignee = getValue();
        return assignee ? (
          <Box component="span" title={assignee.email} sx={ellipsis}>
            {assignee.name}
          </Box>
        ) : (
          <Box component="span" sx={{ color: 'text.disabled', fontStyle: 'italic' }}>
            Unassigned
          </Box>
        );
      },
    }),
  ];
}
