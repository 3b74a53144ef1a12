import type { AuditEvent } from '@desk/shared';
import OpenInNew from '@mui/icons-material/OpenInNew';
import Policy from '@mui/icons-material/PolicyOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MuiLink from '@mui/material/Link';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useDataProvider, useRecordContext } from 'react-admin';
import { isAccessDenied, retryTransient } from '../api/apiErrors';
import { routeUrl } from '../api/callApi';
import { Section } from '../applications/Section';
import { DateTime } from '../common/DateTime';
import type { DeskDataProvider } from '../dataProvider';
import { auditActionLabel, summarizeData } from './auditLabels';

const pageSize = 50;

/**
 * The case's audit trail, oldest first: who did what, when; and the printable audit report.
 * Only for roles that may read the audit trail: for anyone else (the server answers 403) it
 * shows nothing at all.
 */
export const ApplicationAuditTimeline = ({ applicationId }: { applicationId: string }) => {
  // On the case page, a change to the case (its updatedAt moves) reloads its trail.
  const record = useRecordContext<{ id: string; updatedAt?: string }>();
  const revision = record?.id === applicationId ? (record.updatedAt ?? null) : null;
  const dataProvider = useDataProvider<DeskDataProvider>();
  const query = useInfiniteQuery({
    queryKey: ['case-audit-events', applicationId, revision],
    queryFn: ({ pageParam, signal }) =>
      dataProvider.listApplicationAuditEvents(applicationId, pageParam, pageSize, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    retry: retryTransient,
    // While a changed case reloads, its previous trail stays on screen (never another case's).
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === applicationId ? previous : undefined),
  });
  const events = useMemo(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);

  // Not allowed (or not yet known): nothing, not even an empty card.
  if (query.isPending || (query.isError && isAccessDenied(query.error))) return null;

  // The printable report, opened by the browser itself (opening it is audited).
  const report = (
    <MuiLink
      href={routeUrl('getApplicationAuditReport', { params: { id: applicationId } })}
      target="_blank"
      rel="noopener"
      underline="hover"
      sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, fontSize: 13, whiteSpace: 'nowrap' }}
      data-testid="case-audit-report-link"
    >
      Audit report
      <OpenInNew sx={{ fontSize: 14 }} />
    </MuiLink>
  );

  return (
    <Section
      title={`Audit trail (${events.length}${query.hasNextPage ? '+' : ''})`}
      icon={<Policy fontSize="small" />}
      action={report}
      testId="case-audit-timeline"
    >
      {query.isError && (
        <Alert severity="error" sx={{ mb: 1 }}>
          The audit trail could not be loaded: {query.error instanceof Error ? query.error.message : 'unexpected error'}
        </Alert>
      )}
      {!query.isError && events.length === 0 && (
        <Box sx={{ color: 'text.secondary', fontSize: 13 }}>No audit events recorded for this case.</Box>
      )}
      {events.length > 0 && (
        <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
          {events.map((event, index) => (
            <AuditEntry key={event.id} event={event} last={index === events.length - 1 && !query.hasNextPage} />
          ))}
        </Box>
      )}
      {query.hasNextPage && (
        <Button
          size="small"
          onClick={() => void query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
          sx={{ mt: 1 }}
        >
          {query.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </Button>
      )}
    </Section>
  );
};

const AuditEntry = ({ event, last }: { event: AuditEvent; last: boolean }) => {
  const summary = summarizeData(event.data, 120);
  return (
    <Box
      component="li"
      data-testid="case-audit-event"
      data-id={event.id}
      data-action={event.action}
      sx={{ display: 'flex', gap: 1.25 }}
    >
      <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', pt: 0.5 }}>
        <Box
          sx={{
            width: 10,
            height: 10,
            borderRadius: '50%',
            flexShrink: 0,
            border: 2,
            borderColor: event.actorId ? 'primary.main' : 'text.disabled',
          }}
        />
        {!last && <Box sx={{ width: 2, flex: 1, bgcolor: 'divider', my: 0.25 }} />}
      </Box>
      <Box sx={{ pb: last ? 0 : 1.25, minWidth: 0, flex: 1 }}>
        <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 0.75, flexWrap: 'wrap' }}>
          <Box component="span" sx={{ fontWeight: 600, fontSize: 13 }} title={event.action}>
            {auditActionLabel(event.action)}
          </Box>
          <Box component="span" sx={{ fontSize: 12, color: 'text.secondary' }}>
            {event.actor}
          </Box>
          <Box sx={{ flex: 1 }} />
          <DateTime value={event.at} sx={{ color: 'text.secondary', fontSize: 12 }} />
        </Box>
        {summary && (
          <Box
            sx={{
              fontSize: 12,
              color: 'text.secondary',
              mt: 0.25,
              overflow: 'hidden',
              textOverflow: 'ellipsis',
              whiteSpace: 'nowrap',
            }}
            title={summary}
          >
            {summary}
          </Box>
        )}
      </Box>
    </Box>
  );
};
