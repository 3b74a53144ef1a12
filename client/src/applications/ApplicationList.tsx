import Card from '@mui/material/Card';
import { List } from 'react-admin';
import { QueueFilters } from './QueueFilters';
import { QueueGrid } from './QueueGrid';
import { QueueOverview } from './QueueOverview';
import { QueuePagination } from './QueuePagination';

/**
 * The review queue: oldest first by default, keyset-paged (previous / next, no total).
 * Filters and sort live in react-admin's list state, so a queue view is a shareable URL.
 */
export const ApplicationList = () => (
  <List
    title="Review queue"
    sort={{ field: 'createdAt', order: 'ASC' }}
    perPage={50}
    actions={false}
    empty={false}
    component="div"
    pagination={<QueuePagination />}
    sx={{ '& .RaList-main': { mt: 2 } }}
  >
    <QueueOverview />
    <Card>
      <QueueFilters />
      <QueueGrid />
    </Card>
  </List>
);
