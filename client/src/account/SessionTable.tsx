import type { StaffSession } from '@desk/shared';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import type { ReactNode } from 'react';
import { DateTime } from '../common/DateTime';

/** Browser families by the token their user agent carries, most specific first (Edge says "Chrome" too). */
const browsers: readonly [RegExp, string][] = [
  [/Edg\/(\d+)/, 'Edge'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/Chrom(?:e|ium)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+).*Safari/, 'Safari'],
];
const systems: readonly [RegExp, string][] = [
  [/Windows/, 'Windows'],
  [/iPhone|iPad/, 'iOS'],
  [/Mac OS X/, 'macOS'],
  [/Android/, 'Android'],
  [/Linux/, 'Linux'],
];

/** "Chrome 142 on Linux" from a user agent, or the start of the raw string when it names no known browser. */
export function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser = browsers
    .map(([pattern, name]) => {
      const version = pattern.exec(userAgent)?.[1];
      return version === undefined ? null : `${name} ${version}`;
    })
    .find((found) => found !== null);
  if (!browser) return userAgent.slice(0, 80);
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
  return system ? `${browser} on ${system}` : browser;
}

export interface SessionTableProps {
  sessions: readonly StaffSession[];
  /** The control that ends a row's session. */
  endAction: (session: StaffSession) => ReactNode;
  /** Said when there is no live session. */
  empty: string;
  /** Whether to mark the session of the browser that asked ("this browser"). */
  markCurrent?: boolean;
}

/** Live sessions: where (browser, address) and when (signed in, last used, ends), each with its end button. */
export const SessionTable = ({ sessions, endAction, empty, markCurrent = true }: SessionTableProps) => {
  if (sessions.length === 0) {
    return (
      <Box sx={{ p: 1.5, color: 'text.secondary', fontSize: 13 }} data-testid="sessions-empty">
        {empty}
      </Box>
    );
  }
  return (
    <Table aria-label="Live sessions" data-testid="sessions-table">
      <TableHead>
        <TableRow>
          <TableCell>Browser</TableCell>
          <TableCell>Address</TableCell>
          <TableCell>Signed in</TableCell>
          <TableCell>Last used</TableCell>
          <TableCell>Ends</TableCell>
          <TableCell align="right">
            <Box component="span" sx={visuallyHidden}>
              Action
            </Box>
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {sessions.map((session) => (
          <TableRow
            key={session.id}
            data-testid="session-row"
            data-session-id={session.id}
            data-current={String(session.current)}
          >
            <TableCell title={session.userAgent ?? undefined}>
              {describeUserAgent(session.userAgent)}
              {markCurrent && session.current && (
                <Chip label="This browser" color="primary" variant="outlined" sx={{ ml: 1 }} />
              )}
            </TableCell>
            <TableCell sx={{ fontFamily: 'monospace' }}>{session.ip ?? '—'}</TableCell>
            <TableCell>
              <DateTime value={session.createdAt} compact />
            </TableCell>
            <TableCell>
              <DateTime value={session.lastSeenAt} compact />
            </TableCell>
            <TableCell>
              <DateTime value={session.expiresAt} compact />
            </TableCell>
            <TableCell align="right">{endAction(session)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

/** Read by screen readers, not shown (a column heading whose cells are buttons). */
export const visuallyHidden = {
  position: 'absolute',
  // In px: `sx` reads a bare 1 as 100%.
  width: '1px',
  height: '1px',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;
