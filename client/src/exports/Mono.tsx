import Box from '@mui/material/Box';
import type { ReactNode } from 'react';

/** Ids and hashes, monospaced. */
export const Mono = ({ children }: { children: ReactNode }) => (
  <Box component="code" sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>
    {children}
  </Box>
);
