import { type DocumentFlag, documentFlagLabels, documentFlags } from '@desk/shared';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Typography from '@mui/material/Typography';
import { flagIcons } from './flagIcons';
import { useApplicationFilter } from './useApplicationFilter';

/** Three toggles: only applications with every checked flag raised. */
export const FlagFilter = () => {
  const { filter, change } = useApplicationFilter();
  const toggle = (flag: DocumentFlag, on: boolean) =>
    change({ flag: documentFlags.filter((f) => (f === flag ? on : filter.flag.includes(f))) });

  return (
    <Box role="group" aria-label="Raised document flags" sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
      <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600, mr: 0.5 }}>
        Flag raised
      </Typography>
      {documentFlags.map((flag) => {
        const Icon = flagIcons[flag];
        return (
          <FormControlLabel
            key={flag}
            sx={{ mr: 0.5, ml: 0 }}
            control={
              <Checkbox
                checked={filter.flag.includes(flag)}
                onChange={(event) => toggle(flag, event.target.checked)}
                sx={{ p: 0.5 }}
                slotProps={{ input: { 'aria-label': documentFlagLabels[flag] } }}
              />
            }
            label={
              <Box
                component="span"
                title={documentFlagLabels[flag]}
                sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.25, fontSize: 12.5 }}
              >
                <Icon sx={{ fontSize: 15 }} />
                {shortFlagLabels[flag]}
              </Box>
            }
          />
        );
      })}
    </Box>
  );
};

const shortFlagLabels: Record<DocumentFlag, string> = {
  idVerification: 'ID',
  identificationNumberVerification: 'ID number',
  addressVerification: 'Address',
};
