import { type Provider, providerLabels, providerStatusesByProvider, providers } from '@desk/shared';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useApplicationFilter } from './useApplicationFilter';

/** One provider or all. Choosing a provider drops a native status that it does not have. */
export const ProviderFilter = () => {
  const { filter, change } = useApplicationFilter();
  const value = filter.provider.length === 1 ? (filter.provider[0] ?? '') : '';

  const select = (next: Provider | '') => {
    if (next === '') return change({ provider: [] });
    const known: readonly string[] = providerStatusesByProvider[next];
    change({ provider: [next], providerStatus: filter.providerStatus.filter((s) => known.includes(s)) });
  };

  return (
    <TextField
      select
      label="Provider"
      value={value}
      onChange={(event) => select(providers.find((p) => p === event.target.value) ?? '')}
      sx={{ minWidth: 130 }}
      slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
    >
      <MenuItem value="">All providers</MenuItem>
      {providers.map((provider) => (
        <MenuItem key={provider} value={provider}>
          {providerLabels[provider]}
        </MenuItem>
      ))}
    </TextField>
  );
};
