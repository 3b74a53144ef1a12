/**
 * Two pages are reached by links from outside the desk, as plain paths: the set-password link
 * an admin passes on (`/set-password#token=…`, the token in the fragment so no server ever
 * sees it) and the identity provider's redirect (`/sso/callback?code=…&state=…`). The desk's
 * router reads the fragment (`/#/queue`), so before it starts such an address is rewritten in
 * place — no reload, no new history entry — to the same page inside the fragment, with its
 * token or query carried along: `/#/set-password?token=…`, `/#/sso/callback?code=…&state=…`.
 * The server's query string is kept byte for byte: it is what the provider signed off on.
 */
import { setPasswordPagePath, singleSignOnCallbackPagePath } from '@desk/shared';

export function adoptLinkedPage(location: Location = window.location, history: History = window.history): void {
  const { pathname, search, hash } = location;
  if (pathname === setPasswordPagePath) {
    const token = new URLSearchParams(hash.slice(1)).get('token') ?? '';
    history.replaceState(null, '', `/#${setPasswordPagePath}?${new URLSearchParams({ token })}`);
  } else if (pathname === singleSignOnCallbackPagePath) {
    history.replaceState(null, '', `/#${singleSignOnCallbackPagePath}${search}`);
  }
}
