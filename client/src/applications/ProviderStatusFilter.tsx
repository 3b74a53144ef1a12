import { type ProviderStatus, providerStatuses, providerStatusesByProvider } from '@desk/shared';
import { SelectField } from '../common/SelectField';
import { useApplicationFilter } from './useApplicationFilter';

const monospace = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';

/** A native status: those of the chosen provider, or of every provider. */
export const ProviderStatusFilter = () => {
  const { filter, change } = useApplicationFilter();
  const provider = filter.provider.length === 1 ? filter.provider[0] : undefined;
  const options: readonly ProviderStatus[] = provider ? providerStatusesByProvider[provider] : providerStatuses;
  const value = filter.providerStatus.length === 1 ? (filter.providerStatus[0] ?? '') : '';

  return (
    <SelectField
      label="Provider status"
      value={value}
      onChange={(chosen) => {
        const status = options.find((s) => s === chosen);
        change({ providerStatus: status ? [status] : [] });
      }}
      sx={{ width: 170 }}
    >
      <option value="">Any status</option>
      {options.map((status) => (
        <option key={status} value={status} style={{ fontFamily: monospace }}>
          {status}
        </option>
      ))}
    </SelectField>
  );
};
