import { defaultQueueView } from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { ListBase, useLocation, useNotify } from 'react-admin';
import { PageTitle } from '../layout/PageTitle';
import { QueueLiveUpdates } from '../live/QueueLiveUpdates';
import { defaultApplicationFilter, toFilterValues } from './applicationFilter';
import { QueueFilters } from './QueueFilters';
import { QueueGrid } from './QueueGrid';
import { QueueOverview } from './QueueOverview';
import { QueuePagination } from './QueuePagination';
import { cursorParam, QueueLinkError } from './queuePaging';

const sortOrderOf = { asc: 'ASC', desc: 'DESC' } as const;
const defaultSort = { field: defaultQueueView.sort, order: sortOrderOf[defaultQueueView.order] };
const defaultFilterValues = toFilterValues(defaultApplicationFilter);

/**
 * The review queue: open work, oldest first, by default; keyset-paged (previous / next, no
 * total). Filters, sort, page and the page's cursor live in the URL, so a queue view — and a
 * page of it — is a shareable link. Built on react-admin's `ListBase` (the list's state and
 * data, no view): the queue draws its own filters, grid and paging, so `List`'s toolbar, filter
 * form and export button would only add to its download.
 */
export const ApplicationList = () => {
  const location = useLocation();
  const notify = useNotify();
  const [linkProblem, setLinkProblem] = useState<string | null>(null);
  const cursor = new URLSearchParams(location.search).get(cursorParam) ?? undefined;
  return (
    <ListBase
      sort={defaultSort}
      filterDefaultValues={defaultFilterValues}
      perPage={50}
      queryOptions={{
        meta: { [cursorParam]: cursor },
        onError: (error: Error) => {
          if (error instanceof QueueLinkError) setLinkProblem(error.message);
          else notify(error.message || 'ra.notification.http_error', { type: 'error' });
        },
      }}
    >
      <PageTitle title="Review queue" />
      <Box sx={{ mt: 2, minWidth: 0 }}>
        <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
          Review queue
        </Typography>
        {linkProblem && (
          <Alert
            severity="warning"
            onClose={() => setLinkProblem(null)}
            sx={{ mb: 1 }}
            data-testid="queue-link-problem"
          >
            {linkProblem}
          </Alert>
        )}
        <QueueLiveUpdates />
        <QueueOverview />
        <Card>
          <QueueFilters />
          <QueueGrid />
        </Card>
        <QueuePagination />
      </Box>
    </ListBase>
  );
};
