import { lazyPage } from '../layout/lazyPage';

/** The staff admin pages, fetched only when an admin opens them. */
export default {
  list: lazyPage(() => import('./StaffList').then((m) => m.StaffList)),
  create: lazyPage(() => import('./StaffCreate').then((m) => m.StaffCreate)),
  edit: lazyPage(() => import('./StaffEdit').then((m) => m.StaffEdit)),
  recordRepresentation: 'name',
};
