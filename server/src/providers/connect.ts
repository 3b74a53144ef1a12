/**
 * The adapters for every provider, from configuration. A provider without a base URL is
 * reached at its built-in sandbox on this desk (`sandboxBase`, e.g. http://127.0.0.1:3000).
 */
import type { FinSettings, JikoSettings, KycSettings } from '../config.js';
import { FinAdapter } from './fin/fin-adapter.js';
import { JikoAdapter } from './jiko/jiko-adapter.js';
import { KycAdapter } from './kyc/kyc-adapter.js';
import type { ProviderRegistry } from './provider-registry.js';

export type ProviderSettings = { jiko: JikoSettings; fin: FinSettings; kyc: KycSettings };

/** Throws when a provider has no base URL and there is no sandbox to fall back on. */
export function connectProviders(settings: ProviderSettings, sandboxBase: string | null): ProviderRegistry {
  const baseOf = (configured: string | null, sandboxPath: string, variable: string): string => {
    if (configured) return configured;
    if (sandboxBase) return `${sandboxBase}${sandboxPath}`;
    throw new Error(`Set ${variable}, or DESK_PUBLIC_URL to reach the built-in sandbox on a running desk`);
  };
  const jikoBase = baseOf(settings.jiko.baseUrl, '/sandbox/jiko', 'JIKO_BASE_URL');
  const finBase = baseOf(settings.fin.baseUrl, '/sandbox/fin', 'FIN_BASE_URL');
  const kycBase = baseOf(settings.kyc.baseUrl, '/sandbox/kyc', 'KYC_BASE_URL');
  return {
    jiko: new JikoAdapter({ ...settings.jiko, baseUrl: () => jikoBase }),
    fin: new FinAdapter({ ...settings.fin, baseUrl: () => finBase }),
    kyc: new KycAdapter({ ...settings.kyc, baseUrl: () => kycBase }),
  };
}
