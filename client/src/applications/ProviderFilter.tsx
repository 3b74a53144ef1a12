import { type Provider, providerLabels, providerStatusesByProvider, providers } from '@desk/shared';
import { SelectField } from '../common/SelectField';
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
    <SelectField
      label="Provider"
      value={value}
      onChange={(chosen) => select(providers.find((p) => p === chosen) ?? '')}
      sx={{ width: 140 }}
    >
      <option value="">All providers</option>
      {providers.map((provider) => (
        <option key={provider} value={provider}>
          {providerLabels[provider]}
        </option>
      ))}
    </SelectField>
  );
};
