import { type DocumentFlags, documentFlagLabels, documentFlags } from '@desk/shared';
import Box from '@mui/material/Box';
import { alpha } from '@mui/material/styles';
import { Hint } from '../common/Hint';
import { flagIcons } from './flagIcons';

export interface FlagIndicatorsProps {
  flags: DocumentFlags;
}

/** The three document flags in a fixed order: lit when raised, faint when cleared. */
export const FlagIndicators = ({ flags }: FlagIndicatorsProps) => (
  <Box sx={{ display: 'inline-flex', gap: 0.25 }}>
    {documentFlags.map((flag) => {
      const Icon = flagIcons[flag];
      const raised = flags[flag];
      return (
        <Hint key={flag} title={`${documentFlagLabels[flag]}: ${raised ? 'raised' : 'cleared'}`}>
          <Box
            component="span"
            data-flag={flag}
            data-raised={raised}
            role="img"
            aria-label={`${documentFlagLabels[flag]} ${raised ? 'raised' : 'cleared'}`}
            sx={{
              display: 'inline-flex',
              alignItems: 'center',
              justifyContent: 'center',
              width: 20,
              height: 20,
              borderRadius: 1,
              color: raised ? 'warning.main' : 'text.secondary',
              bgcolor: (theme) => (raised ? alpha(theme.palette.warning.main, 0.12) : 'transparent'),
              opacity: raised ? 1 : 0.5,
            }}
          >
            <Icon sx={{ fontSize: 15 }} />
          </Box>
        </Hint>
      );
    })}
  </Box>
);
