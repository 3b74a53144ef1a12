import { type ApplicationStats, documentFlagLabels, documentFlags } from '@desk/shared';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { flagIcons } from './flagIcons';

export interface FlagCountsProps {
  byFlag: ApplicationStats['byFlag'] | undefined;
}

/** How many applications have each document flag raised. */
export const FlagCounts = ({ byFlag }: FlagCountsProps) => (
  <Box data-testid="flag-counts" sx={{ flex: 1, minWidth: 260 }}>
    <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600 }}>
      Document flags raised
    </Typography>
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.25, mt: 0.5 }}>
      {documentFlags.map((flag) => {
        const Icon = flagIcons[flag];
        return (
          <Box key={flag} data-flag={flag} sx={{ display: 'flex', alignItems: 'center', gap: 0.75, fontSize: 12 }}>
            <Icon sx={{ fontSize: 15, color: 'warning.main' }} />
            <Box component="span" sx={{ color: 'text.secondary', flex: 1 }}>
              {documentFlagLabels[flag]}
            </Box>
            <Box component="span" sx={{ fontWeight: 700, fontVariantNumeric: 'tabular-nums' }}>
              {byFlag ? byFlag[flag].toLocaleString() : '…'}
            </Box>
          </Box>
        );
      })}
    </Box>
  </Box>
);
