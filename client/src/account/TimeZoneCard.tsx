import { formatInstant, supportedTimeZones, utcTimeZone } from '@desk/shared';
import Schedule from '@mui/icons-material/Schedule';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import { Section } from '../applications/Section';
import { errorMessage } from '../common/errorMessage';
import { useTimeZone } from '../common/timeZone';
import { useNow } from '../common/useNow';

/** The option that stands for "no choice: my browser's zone". */
const browserOption = '';

/** The zone the member reads every time in: their browser's (the default), UTC, or any IANA zone. */
export const TimeZoneCard = () => {
  const { zone, chosen, browserZone, choose, saving } = useTimeZone();
  const [error, setError] = useState<string | null>(null);
  const now = useNow();
  const options = useMemo(() => [browserOption, ...supportedTimeZones()], []);
  const labelOf = (option: string) => (option === browserOption ? `Your browser's (${browserZone})` : option);

  const change = async (next: string | null) => {
    setError(null);
    try {
      await choose(next);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <Section title="Time zone" icon={<Schedule fontSize="small" />} testId="account-time-zone">
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
        <Typography variant="body2" color="text.secondary">
          Every date and time on the desk is shown in this zone, with the zone's name. Exports are always in UTC.
        </Typography>
        <Autocomplete
          options={options}
          value={chosen ?? browserOption}
          getOptionLabel={labelOf}
          disableClearable
          disabled={saving}
          onChange={(_event, next) => void change(next === browserOption ? null : next)}
          sx={{ maxWidth: 420 }}
          renderInput={(params) => (
            <TextField
              {...params}
              label="Show times in"
              slotProps={{
                ...params.slotProps,
                htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'time-zone-input' },
              }}
            />
          )}
        />
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          <Button
            size="small"
            variant="outlined"
            disabled={saving || chosen === utcTimeZone}
            onClick={() => void change(utcTimeZone)}
            data-testid="time-zone-utc"
          >
            Use UTC
          </Button>
          <Button
            size="small"
            disabled={saving || chosen === null}
            onClick={() => void change(null)}
            data-testid="time-zone-browser"
          >
            Use my browser's
          </Button>
        </Box>
        <Typography variant="body2" data-testid="time-zone-now">
          Now: {formatInstant(new Date(now), zone)}
        </Typography>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
      </Box>
    </Section>
  );
};
