import Box from '@mui/material/Box';
import type { ReactNode } from 'react';

export const monospace = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';

/** A two-column list of labelled values. */
export const Fields = ({ children }: { children: ReactNode }) => (
  <Box
    component="dl"
    sx={{
      display: 'grid',
      gridTemplateColumns: 'minmax(110px, max-content) 1fr',
      columnGap: 2,
      rowGap: 0.75,
      m: 0,
      fontSize: 13,
    }}
  >
    {children}
  </Box>
);

export interface FieldProps {
  label: string;
  children: ReactNode;
  mono?: boolean;
  testId?: string;
}

export const Field = ({ label, children, mono = false, testId }: FieldProps) => (
  <>
    <Box component="dt" sx={{ color: 'text.secondary' }}>
      {label}
    </Box>
    <Box
      component="dd"
      data-testid={testId}
      sx={{ m: 0, minWidth: 0, overflowWrap: 'anywhere', ...(mono ? { fontFamily: monospace, fontSize: 12.5 } : {}) }}
    >
      {children}
    </Box>
  </>
);

export const Missing = ({ children = '—' }: { children?: ReactNode }) => (
  <Box component="span" sx={{ color: 'text.secondary' }}>
    {children}
  </Box>
);
