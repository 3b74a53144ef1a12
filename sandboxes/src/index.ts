/**
 * `@desk/sandboxes`: the built-in provider sandboxes (Jiko, Fin.com, the generic KYC
 * provider) and the demo data that lives at them. A development and demo tool, never part of
 * a deployment: the desk (`@desk/server`) imports nothing from here; this package composes
 * the desk (`main.ts`, `pnpm start`) and the tests import it.
 */
export { type DemoOptions, demoSeeder, mountSandboxes, type SandboxesOptions, seedDemo } from './compose.js';
export { demoPassword, seedDemoStaffPasswords } from './demo/demo-staff.js';
export { seedProviderDemo } from './demo/provider-demo/index.js';
export { type SeedOptions, seedDemoData } from './demo/seed.js';
export { createFinSandbox, type FinSandbox, type FinSandboxOptions, signFinWebhook } from './fin/index.js';
export { serveFinSandbox } from './fin/standalone.js';
export { registerSeededApplications } from './jiko/demo-fixtures.js';
export {
  createJikoSandbox,
  type JikoSandbox,
  type JikoSandboxOptions,
  signJikoRequest,
  signJikoWebhook,
} from './jiko/index.js';
export { type ServedSandbox, serveJikoSandbox } from './jiko/standalone.js';
export { maskIdentificationNumber } from './kyc/customer.mapper.js';
export {
  createKycSandbox,
  type KycCustomer,
  type KycSandbox,
  type KycSandboxOptions,
  type KycWebhookEvent,
  kycSandboxReviewDelayMs,
  signKycWebhook,
} from './kyc/index.js';
export { type ServedKycSandbox, serveKycSandbox } from './kyc/standalone.js';
export { migrateSandboxes, sandboxSchema } from './migrate.js';
