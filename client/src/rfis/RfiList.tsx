import Card from '@mui/material/Card';
import Typography from '@mui/material/Typography';
import { List } from 'react-admin';
import { QueuePagination } from '../applications/QueuePagination';
import { RfiFilters } from './RfiFilters';
import { RfiGrid } from './RfiGrid';

/**
 * The RFI queue: soonest due first, open ones by default, keyset-paged (previous / next, no
 * total). Filters live in react-admin's list state, so a view is a shareable URL.
 */
export const RfiList = () => (
  <List
    title="RFIs"
    sort={{ field: 'dueAt', order: 'ASC' }}
    perPage={50}
    actions={false}
    empty={false}
    component="div"
    pagination={<QueuePagination />}
    sx={{ '& .RaList-main': { mt: 2 } }}
  >
    <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
      RFIs
    </Typography>
    <Card>
      <RfiFilters />
      <RfiGrid />
    </Card>
  </List>
);
