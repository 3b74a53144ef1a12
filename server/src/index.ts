/**
 * The public entry of `@desk/server`: what the production entries, the tests and the
 * sandboxes package (which may import nothing else of the server) use.
 */

export { createApp } from './app.js';
export { type AuthSettings, defaultAuthSettings } from './auth/auth.service.js';
export { hashPassword } from './auth/passwords.js';
export {
  type Config,
  type FinSettings,
  type JikoSettings,
  type KycSettings,
  loadConfig,
  sandboxCredentialDefaults,
  sandboxFinSettings,
  sandboxJikoSettings,
  sandboxKycSettings,
} from './config.js';
export { connectDatabase } from './db/database.js';
export type {
  AgreementTable,
  ApplicationDocumentTable,
  ApplicationTable,
  CustomerTable,
  Database,
  ProviderActionTable,
  RfiAnswerDocumentTable,
  RfiAnswerTable,
  RfiItemTable,
  RfiTable,
  StaffTable,
  StatusHistoryTable,
} from './db/schema.js';
export {
  countApplicationRows,
  type DatabaseTarget,
  type DeskOptions,
  type MountedSandboxes,
  type OpenedDatabase,
  openDatabase,
  type RunningDesk,
  type SandboxesContext,
  type SandboxesHook,
  type SeedEmptyDatabaseHook,
  startDesk,
} from './desk.js';
export { onboardApplication } from './intake/intake.service.js';
export { createLogger, type Logger } from './logger.js';
export {
  type ClearCustomer,
  createPiiVault,
  generatePiiKeys,
  loadEmbeddedPiiKeys,
  openIdentificationNumber,
  type PiiKeySettings,
  type PiiVault,
  sealCustomer,
} from './pii/pii-vault.js';
export type { ProviderSettings } from './providers/connect.js';
export { finCustomerToSnapshot } from './providers/fin/fin-wire.js';
export { jikoWebhookSignature } from './providers/jiko/jiko-signing.js';
export { kycCustomerToSnapshot } from './providers/kyc/kyc-wire.js';
export type { NewApplicant, ProviderRfi, ProviderSnapshot } from './providers/provider-adapter.js';
export { providerRfiDueMs } from './rfis/rfi.repository.js';
export { type DeskHooks, loadConfigOrExit, serveDesk } from './serve.js';
export { createStaff } from './staff/staff.service.js';
