import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode, Suspense } from 'react';

/**
 * What shows while a page's code (or the session check) is on its way: a spinner that
 * assistive technology announces ("Loading the page…", a polite live region), never an empty
 * screen. Built from what the sign-in page loads anyway, so it costs no extra download.
 */
export const PageLoading = () => (
  <Box
    role="status"
    aria-live="polite"
    aria-busy="true"
    data-testid="page-loading"
    sx={{ display: 'flex', justifyContent: 'center', p: 4 }}
  >
    <CircularProgress size={32} aria-label="Loading the page" />
    <Box
      component="span"
      sx={{
        position: 'absolute',
        width: '1px',
        height: '1px',
        overflow: 'hidden',
        clip: 'rect(0 0 0 0)',
        whiteSpace: 'nowrap',
      }}
    >
      Loading the page…
    </Box>
  </Box>
);

/** Where a page fetched on first use waits for its code: `PageLoading` meanwhile. */
export const PageSuspense = ({ children }: { children: ReactNode }) => (
  <Suspense fallback={<PageLoading />}>{children}</Suspense>
);

/**
 * A page whose code is fetched the first time it is shown, from a chunk of the build of its
 * own, e.g. `lazyPage(() => import('./audit/AuditExplorer').then((m) => m.AuditExplorer))`.
 * It must render under a `PageSuspense` (the app and the desk's layout each have one).
 */
export function lazyPage<P extends object>(
  load: () => Promise<ComponentType<P>>,
): LazyExoticComponent<ComponentType<P>> {
  return lazy(async () => ({ default: await load() }));
}
