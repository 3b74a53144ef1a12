import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import type { ReactNode } from 'react';

export interface SectionProps {
  title: string;
  icon?: ReactNode;
  action?: ReactNode;
  testId?: string;
  children: ReactNode;
  /** Content that draws its own padding, such as a table. */
  flush?: boolean;
}

/** One titled card of the case page. */
export const Section = ({ title, icon, action, testId, children, flush = false }: SectionProps) => (
  <Card data-testid={testId} sx={{ height: '100%' }}>
    <CardHeader
      title={title}
      avatar={icon}
      action={action}
      sx={{
        '& .MuiCardHeader-avatar': { mr: 1, color: 'text.secondary', display: 'flex' },
        '& .MuiCardHeader-action': { m: 0 },
      }}
    />
    {flush ? children : <CardContent>{children}</CardContent>}
  </Card>
);
