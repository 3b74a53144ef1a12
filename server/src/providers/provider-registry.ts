import type { Provider } from '@desk/shared';
import type { ProviderAdapter } from './provider-adapter.js';

/** The adapters this desk is connected to, by provider. */
export type ProviderRegistry = Partial<Record<Provider, ProviderAdapter>>;

export function adapterFor(registry: ProviderRegistry, provider: Provider): ProviderAdapter | null {
  return registry[provider] ?? null;
}
