import { defaultQueueView } from '@desk/shared';
import Alert from '@mui/material/Alert';
import Card from '@mui/material/Card';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { List, useLocation, useNotify } from 'react-admin';
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
 * page of it — is a shareable link.
 */
export const ApplicationList = () => {
  const location = useLocation();
  const notify = useNotify();
  const [linkProblem, setLinkProblem] = useState<string | null>(null);
  const cursor = new URLSearchParams(location.search).get(cursorParam) ?? undefined;
  return (
    <List
      title="Review queue"
      sort={defaultSort}
      filterDefaultValues={defaultFilterValues}
      perPage={50}
      actions={false}
      empty={false}
      component="div"
      pagination={<QueuePagination />}
      queryOptions={{
        meta: { [cursorParam]: cursor },
        onError: (error: Error) => {
          if (error instanceof QueueLinkError) setLinkProblem(error.message);
          else notify(error.message || 'ra.notification.http_error', { type: 'error' });
        },
      }}
      sx={{ '& .RaList-main': { mt: 2 } }}
    >
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        Review queue
      </Typography>
      {linkProblem && (
        <Alert severity="warning" onClose={() => setLinkProblem(null)} sx={{ mb: 1 }} data-testid="queue-link-problem">
          {linkProblem}
        </Alert>
      )}
      <QueueLiveUpdates />
      <QueueOverview />
      <Card>
        <QueueFilters />
        <QueueGrid />
      </Card>
    </List>
  );
};
