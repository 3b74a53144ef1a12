/**
 * `@desk/sandboxes`: the built-in provider sandboxes (Jiko, Fin.com, the generic KYC
 * provider) and the demo data that lives at them. A development and demo tool, never part of
 * a deployment: the desk (`@desk/server`) imports nothing from here; this package composes
 * the desk (`main.ts`, `pnpm start`) and the tests import it.
 */
export { mountSandboxes, demoSeeder, seedDemo, type SandboxesOptions, type DemoOptions } from './compose.js';
export { migrateSandboxes, sandboxSchema } from './migrate.js';

export { createJikoSandbox, signJikoRequest, signJikoWebhook, type JikoSandbox, type JikoSandboxOptions } from './jiko/index.js';
export { serveJikoSandbox, type ServedSandbox } from './jiko/standalone.js';
export { createFinSandbox, signFinWebhook, type FinSandbox, type FinSandboxOptions } from './fin/index.js';
export { serveFinSandbox } from './fin/standalone.js';
export { createKycSandbox, signKycWebhook, type KycCustomer, type KycSandbox, type KycSandboxOptions, type KycWebhookEvent } from './kyc/index.js';
export { serveKycSandbox, type ServedKycSandbox } from './kyc/standalone.js';
export { maskIdentificationNumber } from './kyc/customer.mapper.js';

export { seedDemoData, type SeedOptions } from './demo/seed.js';
export { demoPassword, seedDemoStaffPasswords } from './demo/demo-staff.js';
export { seedProviderDemo } from './demo/provider-demo/index.js';
export { registerSeededApplications } from './jiko/demo-fixtures.js';
