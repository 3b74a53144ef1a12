/**
 * The adapters for every provider, from configuration. A provider without a base URL is
 * reached at its built-in sandbox (`sandboxBase`, e.g. http://127.0.0.1:3000, when the
 * sandboxes are on); with no sandbox to fall back on, its base URL is required.
 */
import { type Provider, providerLabels } from '@desk/shared';
import type { z } from 'zod';
import type { FinSettings, JikoSettings, KycSettings } from '../config.js';
import { FinAdapter } from './fin/fin-adapter.js';
import { finWebhookSigning } from './fin/fin-signing.js';
import { finWebhookSchema } from './fin/fin-wire.js';
import { JikoAdapter } from './jiko/jiko-adapter.js';
import { jikoWebhookSigning } from './jiko/jiko-signing.js';
import { jikoWebhookSchema } from './jiko/jiko-wire.js';
import { KycAdapter } from './kyc/kyc-adapter.js';
import { kycWebhookSigning } from './kyc/kyc-signing.js';
import { kycWebhookSchema } from './kyc/kyc-wire.js';
import type { ProviderRegistry } from './provider-registry.js';
import type { WebhookSigning } from './webhook-verification.js';

/** What each provider's webhooks carry, as its adapter verifies and reads them (for the API's description). */
export const webhookContracts: Record<Provider, { label: string; signing: WebhookSigning; event: z.ZodType }> = {
  jiko: { label: providerLabels.jiko, signing: jikoWebhookSigning, event: jikoWebhookSchema },
  fin: { label: providerLabels.fin, signing: finWebhookSigning, event: finWebhookSchema },
  kyc: { label: providerLabels.kyc, signing: kycWebhookSigning, event: kycWebhookSchema },
};

export type ProviderSettings = { jiko: JikoSettings; fin: FinSettings; kyc: KycSettings };

const baseUrlVariables = { jiko: 'JIKO_BASE_URL', fin: 'FIN_BASE_URL', kyc: 'KYC_BASE_URL' } as const;

/** The providers whose base URL is unset: with the sandboxes on, these talk to a sandbox. */
export function providersWithoutBaseUrl(settings: ProviderSettings): (keyof ProviderSettings)[] {
  return (['jiko', 'fin', 'kyc'] as const).filter((provider) => !settings[provider].baseUrl);
}

/** Throws, naming every variable, when a provider has no base URL and there is no sandbox to fall back on. */
export function requireProviderBaseUrls(settings: ProviderSettings, hint: string): void {
  const missing = providersWithoutBaseUrl(settings).map((provider) => baseUrlVariables[provider]);
  if (missing.length > 0) throw new Error(`Set ${missing.join(', ')}: ${hint}`);
}

/**
 * `sandboxBase` null: no built-in sandbox to fall back on, so every provider needs its base
 * URL (throws otherwise).
 */
export function connectProviders(settings: ProviderSettings, sandboxBase: string | null): ProviderRegistry {
  if (!sandboxBase) requireProviderBaseUrls(settings, 'the built-in provider sandboxes are off');
  const baseOf = (configured: string | null, sandboxPath: string): string =>
    configured || `${sandboxBase}${sandboxPath}`;
  const jikoBase = baseOf(settings.jiko.baseUrl, '/sandbox/jiko');
  const finBase = baseOf(settings.fin.baseUrl, '/sandbox/fin');
  const kycBase = baseOf(settings.kyc.baseUrl, '/sandbox/kyc');
  return {
    jiko: new JikoAdapter({ ...settings.jiko, baseUrl: () => jikoBase }),
    fin: new FinAdapter({ ...settings.fin, baseUrl: () => finBase }),
    kyc: new KycAdapter({ ...settings.kyc, baseUrl: () => kycBase }),
  };
}
