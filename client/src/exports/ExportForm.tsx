import { type ExportFormat, type ExportKind, providerLabels, providers } from '@desk/shared';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { formatLabels, kindLabels } from './exportLabels';
import type { ExportRequest } from './exportsApi';

const selectProps = { inputLabel: { shrink: true } } as const;

/** What to export and how: kind, format, time window, provider, one case or agreement version, spreadsheet-safe. */
export const ExportForm = ({
  request,
  change,
  errors,
  busy,
}: {
  request: ExportRequest;
  change: (patch: Partial<ExportRequest>) => void;
  errors: Record<string, string[]>;
  busy: boolean;
}) => {
  const error = (field: string) => (errors[field] ? { error: true, helperText: errors[field].join('; ') } : {});
  return (
    <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 1.5, alignItems: 'flex-start' }}>
      <TextField
        select
        label="Export"
        value={request.kind}
        disabled={busy}
        onChange={(event) => change({ kind: event.target.value === 'consents' ? 'consents' : 'status_history' })}
        sx={{ minWidth: 170 }}
        slotProps={{ ...selectProps, htmlInput: { 'data-testid': 'export-kind' } }}
      >
        {(Object.keys(kindLabels) as ExportKind[]).map((kind) => (
          <MenuItem key={kind} value={kind}>
            {kindLabels[kind]}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label="Format"
        value={request.format}
        disabled={busy}
        onChange={(event) => change({ format: event.target.value === 'ndjson' ? 'ndjson' : 'csv' })}
        sx={{ minWidth: 150 }}
        {...error('format')}
        slotProps={{ ...selectProps, htmlInput: { 'data-testid': 'export-format' } }}
      >
        {(Object.keys(formatLabels) as ExportFormat[]).map((format) => (
          <MenuItem key={format} value={format}>
            {formatLabels[format]}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        type="date"
        label={request.kind === 'consents' ? 'Consented from (UTC day)' : 'Changed from (UTC day)'}
        value={request.from}
        disabled={busy}
        onChange={(event) => change({ from: event.target.value })}
        {...error('from')}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'export-from' } }}
      />
      <TextField
        type="date"
        label="Until (UTC, excluded)"
        value={request.to}
        disabled={busy}
        onChange={(event) => change({ to: event.target.value })}
        {...error('to')}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'export-to' } }}
      />
      <TextField
        select
        label="Provider"
        value={request.provider}
        disabled={busy}
        onChange={(event) => change({ provider: providers.find((p) => p === event.target.value) ?? '' })}
        sx={{ minWidth: 140 }}
        {...error('provider')}
        slotProps={{
          select: { displayEmpty: true },
          inputLabel: { shrink: true },
          htmlInput: { 'data-testid': 'export-provider' },
        }}
      >
        <MenuItem value="">All providers</MenuItem>
        {providers.map((provider) => (
          <MenuItem key={provider} value={provider}>
            {providerLabels[provider]}
          </MenuItem>
        ))}
      </TextField>
      {request.kind === 'status_history' ? (
        <TextField
          label="Application id"
          placeholder="any"
          value={request.applicationId}
          disabled={busy}
          onChange={(event) => change({ applicationId: event.target.value })}
          sx={{ minWidth: 320 }}
          {...error('applicationId')}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'export-application-id' } }}
        />
      ) : (
        <TextField
          label="Agreement version"
          placeholder="any"
          value={request.agreementVersion}
          disabled={busy}
          onChange={(event) => change({ agreementVersion: event.target.value })}
          sx={{ minWidth: 160 }}
          {...error('agreementVersion')}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'export-agreement-version' } }}
        />
      )}
      <Box sx={{ flexBasis: '100%' }}>
        <FormControlLabel
          disabled={busy || request.format !== 'csv'}
          control={
            <Checkbox
              size="small"
              checked={request.format === 'csv' && request.spreadsheetSafe}
              onChange={(event) => change({ spreadsheetSafe: event.target.checked })}
              slotProps={{ input: { 'aria-describedby': 'export-spreadsheet-safe-help' } }}
              data-testid="export-spreadsheet-safe"
            />
          }
          label="Safe to open in a spreadsheet"
        />
        <Typography id="export-spreadsheet-safe-help" variant="body2" color="text.secondary" sx={{ ml: 4, mt: -0.5 }}>
          Text starting with =, +, -, @, a tab or a line break gets a ' in front so Excel or Sheets shows it instead of
          running it as a formula; leave it off for the exact bytes of the database.
        </Typography>
        {errors.spreadsheetSafe && (
          <Typography variant="body2" color="error" sx={{ ml: 4 }}>
            {errors.spreadsheetSafe.join('; ')}
          </Typography>
        )}
      </Box>
    </Stack>
  );
};
