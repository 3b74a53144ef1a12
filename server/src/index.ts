/**
 * The public entry of `@desk/server`: what the production entries, the tests and the
 * sandboxes package (which may import nothing else of the server) use.
 */
export {
  startDesk,
  openDatabase,
  countApplicationRows,
  type RunningDesk,
  type DatabaseTarget,
  type DeskOptions,
  type OpenedDatabase,
  type SandboxesContext,
  type SandboxesHook,
  type MountedSandboxes,
  type SeedEmptyDatabaseHook,
} from './desk.js';
export { serveDesk, loadConfigOrExit, type DeskHooks } from './serve.js';
export { createApp } from './app.js';
export { createLogger, type Logger } from './logger.js';
export { connectDatabase } from './db/database.js';
export type {
  Database,
  AgreementTable,
  ApplicationDocumentTable,
  ApplicationTable,
  CustomerTable,
  ProviderActionTable,
  RfiAnswerDocumentTable,
  RfiAnswerTable,
  RfiItemTable,
  RfiTable,
  StaffTable,
  StatusHistoryTable,
} from './db/schema.js';
export { onboardApplication } from './intake/intake.service.js';
export type { NewApplicant, ProviderRfi, ProviderSnapshot } from './providers/provider-adapter.js';
export type { ProviderSettings } from './providers/connect.js';
export {
  loadConfig,
  sandboxCredentialDefaults,
  sandboxJikoSettings,
  sandboxFinSettings,
  sandboxKycSettings,
  type Config,
  type JikoSettings,
  type FinSettings,
  type KycSettings,
} from './config.js';
export { jikoWebhookSignature } from './providers/jiko/jiko-signing.js';
export { finCustomerToSnapshot } from './providers/fin/fin-wire.js';
export { kycCustomerToSnapshot } from './providers/kyc/kyc-wire.js';
export { providerRfiDueMs } from './provider-actions/snapshot.js';
export { createStaff } from './staff/staff.service.js';
export { hashPassword } from './auth/passwords.js';
export {
  generatePiiKeys,
  createPiiVault,
  loadEmbeddedPiiKeys,
  sealCustomer,
  openIdentificationNumber,
  type ClearCustomer,
  type PiiKeySettings,
  type PiiVault,
} from './pii/pii-vault.js';
export { defaultAuthSettings, type AuthSettings } from './auth/auth.service.js';
