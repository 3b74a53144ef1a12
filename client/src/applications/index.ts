import { lazyPage } from '../layout/lazyPage';

/** The review queue and the case page, each fetched the first time it is opened. */
export default {
  list: lazyPage(() => import('./ApplicationList').then((m) => m.ApplicationList)),
  show: lazyPage(() => import('./ApplicationShow').then((m) => m.ApplicationShow)),
  recordRepresentation: 'providerApplicationId',
};
