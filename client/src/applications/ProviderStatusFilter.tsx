import { type ProviderStatus, providerStatuses, providerStatusesByProvider } from '@desk/shared';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useApplicationFilter } from './useApplicationFilter';

const monospace = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';

/** A native status: those of the chosen provider, or of every provider. */
export const ProviderStatusFilter = () => {
  const { filter, change } = useApplicationFilter();
  const provider = filter.provider.length === 1 ? filter.provider[0] : undefined;
  const options: readonly ProviderStatus[] = provider ? providerStatusesByProvider[provider] : providerStatuses;
  const value = filter.providerStatus.length === 1 ? (filter.providerStatus[0] ?? '') : '';

  return (
    <TextField
      select
      label="Provider status"
      value={value}
      onChange={(event) => {
        const status = options.find((s) => s === event.target.value);
        change({ providerStatus: status ? [status] : [] });
      }}
      sx={{ minWidth: 160 }}
      slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
    >
      <MenuItem value="">Any status</MenuItem>
      {options.map((status) => (
        <MenuItem key={status} value={status} sx={{ fontFamily: monospace, fontSize: 12 }}>
          {status}
        </MenuItem>
      ))}
    </TextField>
  );
};
