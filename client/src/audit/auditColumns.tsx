/**
 * The audit explorer's columns. The server orders by id (the chain's order); nothing sorts here.
 * The `width` column meta is declared in applications/queueColumns.tsx.
 */
import type { AuditEvent } from '@desk/shared';
import KeyboardArrowDown from '@mui/icons-material/KeyboardArrowDown';
import KeyboardArrowRight from '@mui/icons-material/KeyboardArrowRight';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import { createColumnHelper } from '@tanstack/react-table';
import type { MouseEvent } from 'react';
import { Link } from 'react-admin';
import { DateTime } from '../common/DateTime';
import { auditActionLabel, summarizeData } from './auditLabels';

const column = createColumnHelper<AuditEvent>();
const ellipsis = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;
const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 } as const;
const stop = (event: MouseEvent) => event.stopPropagation();

/** The id of an event's details row, which its expand button controls. */
export const detailsId = (eventId: string | number) => `audit-event-details-${eventId}`;

/** `casePath(applicationId)` is where an event of a case links to. */
export function auditColumns(casePath: (applicationId: string) => string) {
  return [
    column.display({
      id: 'expand',
      header: () => null,
      meta: { width: '36px' },
      cell: ({ row }) => (
        <IconButton
          size="small"
          aria-label={row.getIsExpanded() ? 'Hide details' : 'Show details'}
          aria-expanded={row.getIsExpanded()}
          aria-controls={row.getIsExpanded() ? detailsId(row.original.id) : undefined}
          data-testid="audit-row-expand"
          onClick={(event) => {
            event.stopPropagation();
            row.toggleExpanded();
          }}
          sx={{ p: 0.25 }}
        >
          {row.getIsExpanded() ? <KeyboardArrowDown fontSize="small" /> : <KeyboardArrowRight fontSize="small" />}
        </IconButton>
      ),
    }),
    column.accessor('id', {
      header: '#',
      meta: { width: '64px' },
      cell: ({ getValue }) => <Box sx={{ ...mono, color: 'text.secondary' }}>{getValue()}</Box>,
    }),
    column.accessor('at', {
      header: 'Time',
      meta: { width: '130px' },
      cell: ({ getValue }) => <DateTime value={getValue()} compact sx={{ fontSize: 12.5 }} />,
    }),
    column.accessor('actor', {
      header: 'Actor',
      meta: { width: '17%' },
      cell: ({ row, getValue }) => (
        <Box
          sx={{ ...ellipsis, color: row.original.actorId ? 'text.primary' : 'text.secondary' }}
          title={row.original.actorId ?? getValue()}
        >
          {getValue()}
        </Box>
      ),
    }),
    column.accessor('action', {
      header: 'Action',
      meta: { width: '20%' },
      cell: ({ getValue }) => (
        <Box sx={ellipsis} title={auditActionLabel(getValue())}>
          <Box component="code" sx={mono}>
            {getValue()}
          </Box>
        </Box>
      ),
    }),
    column.display({
      id: 'entity',
      header: 'Entity',
      meta: { width: '19%' },
      cell: ({ row }) => {
        const { entityType, entityId, applicationId } = row.original;
        return (
          <Box sx={ellipsis} title={entityId ? `${entityType} ${entityId}` : entityType}>
            <Box component="span" sx={{ color: 'text.secondary', mr: 0.5 }}>
              {entityType}
            </Box>
            {applicationId ? (
              <Link to={casePath(applicationId)} onClick={stop} sx={mono} data-testid="audit-case-link">
                {entityId ?? applicationId}
              </Link>
            ) : (
              entityId && (
                <Box component="span" sx={mono}>
                  {entityId}
                </Box>
              )
            )}
          </Box>
        );
      },
    }),
    column.accessor('ip', {
      header: 'IP',
      meta: { width: '110px' },
      cell: ({ getValue }) => (
        <Box sx={{ ...ellipsis, ...mono, color: 'text.secondary' }} title={getValue() ?? undefined}>
          {getValue() ?? '—'}
        </Box>
      ),
    }),
    column.accessor('data', {
      header: 'Data',
      cell: ({ getValue }) => {
        const summary = summarizeData(getValue());
        return (
          <Box sx={{ ...ellipsis, fontSize: 12.5, color: 'text.secondary' }} title={summary}>
            {summary || '—'}
          </Box>
        );
      },
    }),
  ];
}
