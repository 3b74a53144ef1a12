import path from 'node:path';
import { secondFactorPolicies, singleSignOnCallbackPagePath, staffRoles } from '@desk/shared';
import { z } from 'zod';
import { type AuthSettings, defaultAuthSettings } from './auth/auth.service.js';
import { type OidcSettings, parseRoleMap } from './auth/oidc.js';
import { createPiiVault, type PiiKeySettings, parsePiiKeys } from './pii/pii-vault.js';
import { defaultFinApiVersion, type FinApiVersion, finApiVersions } from './providers/fin/fin-wire.js';

function piiSettingsFrom(
  keys: string | undefined,
  lookupKey: string | undefined,
  active: string | undefined,
): PiiKeySettings | null {
  if (keys === undefined && lookupKey === undefined) return null;
  if (keys === undefined || lookupKey === undefined)
    throw new Error('Invalid configuration: set both DESK_PII_KEYS and DESK_PII_LOOKUP_KEY');
  try {
    const settings = parsePiiKeys(keys, lookupKey, active);
    createPiiVault(settings);
    return settings;
  } catch (err) {
    throw new Error(`Invalid configuration: DESK_PII_KEYS / DESK_PII_LOOKUP_KEY: ${(err as Error).message}`);
  }
}

export const repoRoot = path.resolve(import.meta.dirname, '../..');

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * The README defaults of every provider credential: what the built-in sandboxes accept. The
 * one list: the environment's defaults, the settings below and the refusal to use them with
 * a real provider all read it.
 */
export const sandboxCredentialDefaults = {
  JIKO_USERNAME: 'desk-sandbox',
  JIKO_PASSWORD: 'sandbox-password',
  JIKO_SIGNING_SECRET: 'jiko-sandbox-signing-secret',
  JIKO_WEBHOOK_SECRET: 'jiko-sandbox-webhook-secret',
  FIN_API_TOKEN: 'fin-sandbox-token',
  FIN_WEBHOOK_SECRET: 'fin-sandbox-webhook-secret',
  KYC_API_KEY: 'kyc-sandbox-api-key',
  KYC_WEBHOOK_SECRET: 'kyc-sandbox-webhook-secret',
} as const;
type CredentialVariable = keyof typeof sandboxCredentialDefaults;
type BaseUrlVariable = 'JIKO_BASE_URL' | 'FIN_BASE_URL' | 'KYC_BASE_URL';

/** Each provider's base URL and the credentials that must not keep their default once it is set. */
const providerCredentials: readonly { baseUrl: BaseUrlVariable; credentials: readonly CredentialVariable[] }[] = [
  {
    baseUrl: 'JIKO_BASE_URL',
    credentials: ['JIKO_USERNAME', 'JIKO_PASSWORD', 'JIKO_SIGNING_SECRET', 'JIKO_WEBHOOK_SECRET'],
  },
  { baseUrl: 'FIN_BASE_URL', credentials: ['FIN_API_TOKEN', 'FIN_WEBHOOK_SECRET'] },
  { baseUrl: 'KYC_BASE_URL', credentials: ['KYC_API_KEY', 'KYC_WEBHOOK_SECRET'] },
];

const d = sandboxCredentialDefaults;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().min(1).optional(),
  DESK_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DESK_DATA_DIR: z.string().min(1).default(path.join(repoRoot, '.data')),
  DESK_DEMO_DATA: booleanFlag.default(true),
  DESK_DEMO_COUNT: z.coerce.number().int().min(0).default(500),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Unset: on for the embedded database, off with DATABASE_URL (see loadConfig). */
  DESK_SANDBOXES: booleanFlag.optional(),
  DESK_WORKER: booleanFlag.default(true),
  DESK_PUBLIC_URL: z.url().optional(),
  DESK_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  DESK_RECONCILE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  DESK_STALE_AFTER_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(3600),
  JIKO_BASE_URL: z.url().optional(),
  JIKO_USERNAME: z.string().min(1).default(d.JIKO_USERNAME),
  JIKO_PASSWORD: z.string().min(1).default(d.JIKO_PASSWORD),
  JIKO_SIGNING_SECRET: z.string().min(8).default(d.JIKO_SIGNING_SECRET),
  JIKO_WEBHOOK_SECRET: z.string().min(8).default(d.JIKO_WEBHOOK_SECRET),
  JIKO_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  FIN_BASE_URL: z.url().optional(),
  FIN_API_TOKEN: z.string().min(8).default(d.FIN_API_TOKEN),
  FIN_WEBHOOK_SECRET: z.string().min(8).default(d.FIN_WEBHOOK_SECRET),
  FIN_API_VERSION: z.enum(finApiVersions).default(defaultFinApiVersion),
  KYC_BASE_URL: z.url().optional(),
  KYC_API_KEY: z.string().min(8).default(d.KYC_API_KEY),
  KYC_WEBHOOK_SECRET: z.string().min(8).default(d.KYC_WEBHOOK_SECRET),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  DESK_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  DESK_SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24)
    .default(12),
  DESK_PII_KEYS: z.string().min(1).optional(),
  DESK_PII_ACTIVE_KEY: z.string().min(1).optional(),
  DESK_PII_LOOKUP_KEY: z.string().min(1).optional(),
  DESK_TRUST_PROXY: booleanFlag.default(false),
  DESK_METRICS_TOKEN: z.string().min(16).optional(),
  /** Unset: `optional` while the built-in sandboxes are on (demo, development), `required-roles` otherwise. */
  DESK_MFA: z.enum(secondFactorPolicies).optional(),
  /** Unset: true. False (only with single sign-on): members sign in through the identity provider alone. */
  DESK_PASSWORD_SIGN_IN: booleanFlag.default(true),
  DESK_OIDC_ISSUER: z.url().optional(),
  DESK_OIDC_CLIENT_ID: z.string().min(1).optional(),
  DESK_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Unset: the web client's callback page on DESK_PUBLIC_URL (or http://localhost:PORT). */
  DESK_OIDC_REDIRECT_URL: z.url().optional(),
  DESK_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  /** `group=role,group=role`, first listed group the member is in wins. */
  DESK_OIDC_ROLE_MAP: z.string().min(1).optional(),
  DESK_OIDC_NAME: z.string().min(1).max(60).default('single sign-on'),
  DESK_OIDC_SCOPES: z.string().min(1).default('openid email profile'),
  DESK_INVITATION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24)
    .default(72),
});

/**
 * Fin.com and the generic KYC provider: base URL (unset: the built-in sandbox, when the
 * sandboxes are on), the credential the desk sends and the secret their webhooks are signed
 * with. The built-in sandboxes accept the same values.
 */
export type FinSettings = {
  baseUrl: string | null;
  token: string;
  webhookSecret: string;
  timeoutMs: number;
  /** Fin.com's individual onboarding API the partner is on: V2, or V1 (create + attach). */
  apiVersion: FinApiVersion;
};
export type KycSettings = { baseUrl: string | null; apiKey: string; webhookSecret: string; timeoutMs: number };

/** Credentials and endpoints of the Jiko Partner API (the sandbox's defaults unless set). */
export type JikoSettings = {
  /** Unset: the built-in sandbox, when the sandboxes are on. */
  baseUrl: string | null;
  username: string;
  password: string;
  signingSecret: string;
  webhookSecret: string;
  /** Per-request timeout towards Jiko. */
  timeoutMs: number;
};

export type Config = {
  port: number;
  databaseUrl: string | null;
  /** Connections to DATABASE_URL per process (the embedded database always has one). */
  poolSize: number;
  dataDir: string;
  demoData: boolean;
  demoCount: number;
  logLevel: string;
  clientDir: string;
  /**
   * The built-in provider sandboxes are on: the demo entry mounts them, and providers without
   * a base URL are reached there. Default: on for the embedded database, off with DATABASE_URL.
   */
  sandboxes: boolean;
  /** Run the job workers in the API process. */
  worker: boolean;
  /** How providers (and the sandboxes) reach this desk, e.g. for webhooks. */
  publicUrl: string | null;
  /** A job whose worker vanished is retried after this many seconds. */
  jobExpireSeconds: number;
  /** Polling: how often, and after how long without news an open application is read again. */
  reconcileEverySeconds: number;
  staleAfterSeconds: number;
  jiko: JikoSettings;
  fin: FinSettings;
  kyc: KycSettings;
  auth: AuthSettings;
  /** Null: generated (embedded database only). */
  pii: PiiKeySettings | null;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-For/-Proto (client IPs, Secure cookies). */
  trustProxy: boolean;
  /** Unset: /metrics is open (scrape it from inside the network only). */
  metricsToken: string | null;
};

/** The defaults: the built-in sandboxes, with their credentials (documented in the README). */
export const sandboxJikoSettings: JikoSettings = {
  baseUrl: null,
  username: d.JIKO_USERNAME,
  password: d.JIKO_PASSWORD,
  signingSecret: d.JIKO_SIGNING_SECRET,
  webhookSecret: d.JIKO_WEBHOOK_SECRET,
  timeoutMs: 10_000,
};

export const sandboxFinSettings: FinSettings = {
  baseUrl: null,
  token: d.FIN_API_TOKEN,
  webhookSecret: d.FIN_WEBHOOK_SECRET,
  timeoutMs: 10_000,
  apiVersion: defaultFinApiVersion,
};

export const sandboxKycSettings: KycSettings = {
  baseUrl: null,
  apiKey: d.KYC_API_KEY,
  webhookSecret: d.KYC_WEBHOOK_SECRET,
  timeoutMs: 10_000,
};

/**
 * A provider reached at a base URL of its own is a real provider: the sandboxes' published
 * credentials would let anyone who read the README sign webhooks to this desk or act as it.
 * Names every such variable, grouped by the base URL that makes it unsafe.
 */
function defaultCredentialProblems(env: Partial<Record<CredentialVariable | BaseUrlVariable, string>>): string[] {
  return providerCredentials.flatMap(({ baseUrl, credentials }) => {
    if (env[baseUrl] === undefined) return [];
    const defaults = credentials.filter((name) => env[name] === sandboxCredentialDefaults[name]);
    return defaults.length === 0
      ? []
      : [`${baseUrl} is set, so ${defaults.join(', ')} must not keep the README default (the built-in sandbox's)`];
  });
}

type OidcVariable =
  | 'DESK_OIDC_ISSUER'
  | 'DESK_OIDC_CLIENT_ID'
  | 'DESK_OIDC_CLIENT_SECRET'
  | 'DESK_OIDC_ROLE_MAP'
  | 'DESK_OIDC_REDIRECT_URL';

/**
 * Single sign-on from the environment: null when none of its variables is set; otherwise the
 * issuer, client id and secret and the role map are all required, each named when missing.
 */
function oidcSettingsFrom(
  e: Partial<Record<OidcVariable, string>> & {
    DESK_OIDC_GROUPS_CLAIM: string;
    DESK_OIDC_NAME: string;
    DESK_OIDC_SCOPES: string;
    DESK_PUBLIC_URL?: string;
    PORT: number;
  },
): OidcSettings | null {
  const required = [
    'DESK_OIDC_ISSUER',
    'DESK_OIDC_CLIENT_ID',
    'DESK_OIDC_CLIENT_SECRET',
    'DESK_OIDC_ROLE_MAP',
  ] as const;
  const set = [...required, 'DESK_OIDC_REDIRECT_URL' as const].filter((name) => e[name] !== undefined);
  if (set.length === 0) return null;
  const missing = required.filter((name) => e[name] === undefined);
  if (missing.length > 0)
    throw new Error(`Invalid configuration: single sign-on needs ${missing.join(', ')} (set: ${set.join(', ')})`);
  let roleMap: OidcSettings['roleMap'];
  try {
    roleMap = parseRoleMap(e.DESK_OIDC_ROLE_MAP ?? '', staffRoles);
  } catch (err) {
    throw new Error(`Invalid configuration: DESK_OIDC_ROLE_MAP: ${(err as Error).message}`);
  }
  const base = new URL(e.DESK_PUBLIC_URL ?? `http://localhost:${e.PORT}`).origin;
  return {
    issuer: e.DESK_OIDC_ISSUER ?? '',
    clientId: e.DESK_OIDC_CLIENT_ID ?? '',
    clientSecret: e.DESK_OIDC_CLIENT_SECRET ?? '',
    redirectUrl: e.DESK_OIDC_REDIRECT_URL ?? `${base}${singleSignOnCallbackPagePath}`,
    groupsClaim: e.DESK_OIDC_GROUPS_CLAIM,
    roleMap,
    name: e.DESK_OIDC_NAME,
    scopes: e.DESK_OIDC_SCOPES,
  };
}

/** Reads the environment once at start-up; a bad value stops the process with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL= pnpm start`) means "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const unsafe = defaultCredentialProblems(e);
  if (unsafe.length > 0) throw new Error(`Unsafe configuration: ${unsafe.join('; ')}`);
  const sandboxes = e.DESK_SANDBOXES ?? e.DATABASE_URL === undefined;
  const oidc = oidcSettingsFrom(e);
  if (!e.DESK_PASSWORD_SIGN_IN && oidc === null)
    throw new Error(
      'Invalid configuration: DESK_PASSWORD_SIGN_IN=false needs single sign-on (DESK_OIDC_ISSUER, …): nobody could sign in',
    );
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL ?? null,
    poolSize: e.DESK_DB_POOL_SIZE,
    dataDir: path.resolve(e.DESK_DATA_DIR),
    demoData: e.DESK_DEMO_DATA,
    demoCount: e.DESK_DEMO_COUNT,
    logLevel: e.LOG_LEVEL,
    clientDir: path.join(repoRoot, 'client', 'dist'),
    sandboxes,
    worker: e.DESK_WORKER,
    publicUrl: e.DESK_PUBLIC_URL ?? null,
    jobExpireSeconds: e.DESK_JOB_EXPIRE_SECONDS,
    reconcileEverySeconds: e.DESK_RECONCILE_SECONDS,
    staleAfterSeconds: e.DESK_STALE_AFTER_SECONDS,
    jiko: {
      baseUrl: e.JIKO_BASE_URL ?? null,
      username: e.JIKO_USERNAME,
      password: e.JIKO_PASSWORD,
      signingSecret: e.JIKO_SIGNING_SECRET,
      webhookSecret: e.JIKO_WEBHOOK_SECRET,
      timeoutMs: e.JIKO_TIMEOUT_MS,
    },
    fin: {
      baseUrl: e.FIN_BASE_URL ?? null,
      token: e.FIN_API_TOKEN,
      webhookSecret: e.FIN_WEBHOOK_SECRET,
      timeoutMs: e.PROVIDER_TIMEOUT_MS,
      apiVersion: e.FIN_API_VERSION,
    },
    kyc: {
      baseUrl: e.KYC_BASE_URL ?? null,
      apiKey: e.KYC_API_KEY,
      webhookSecret: e.KYC_WEBHOOK_SECRET,
      timeoutMs: e.PROVIDER_TIMEOUT_MS,
    },
    auth: {
      ...defaultAuthSettings,
      idleTimeoutSeconds: e.DESK_SESSION_IDLE_MINUTES * 60,
      absoluteTimeoutSeconds: e.DESK_SESSION_MAX_HOURS * 3600,
      invitationTtlSeconds: e.DESK_INVITATION_HOURS * 3600,
      // A desk talking to the built-in sandboxes is a demo or a developer's: its accounts sign in
      // with the password alone unless they enrolled a factor. Anything else asks the privileged roles.
      secondFactor: e.DESK_MFA ?? (sandboxes ? 'optional' : 'required-roles'),
      passwordSignIn: e.DESK_PASSWORD_SIGN_IN,
      oidc,
    },
    pii: piiSettingsFrom(e.DESK_PII_KEYS, e.DESK_PII_LOOKUP_KEY, e.DESK_PII_ACTIVE_KEY),
    trustProxy: e.DESK_TRUST_PROXY,
    metricsToken: e.DESK_METRICS_TOKEN ?? null,
  };
}
