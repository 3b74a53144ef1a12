/**
 * react-admin's stock pages and notification bar in one module, so the app fetches them on
 * first use (`App.tsx`) instead of with the sign-in page.
 */
import { NotFound as StockNotFound } from 'react-admin';

export { AccessDenied, AuthCallback, AuthenticationError, Error, Notification } from 'react-admin';

/**
 * The not-found page as a catch-all route: react-admin hands a catch-all the app's title,
 * which the stock page would only copy into a `title` attribute, so it is left out.
 */
export const NotFound = () => <StockNotFound />;
