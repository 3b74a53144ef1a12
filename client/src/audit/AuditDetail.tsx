import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { mono } from './auditStyles';

/** One labelled value of an opened event. */
export const AuditDetail = ({ label, value, testId }: { label: string; value: string; testId?: string }) => (
  <Box>
    <Typography variant="caption" color="text.secondary" component="div">
      {label}
    </Typography>
    <Box sx={{ ...mono, wordBreak: 'break-all' }} data-testid={testId}>
      {value}
    </Box>
  </Box>
);
