/**
 * `@desk/server/internals`: the parts the tests and the benchmarks examine on their own,
 * below the HTTP app — the provider adapters against their sandboxes, the export plans and
 * their batched source, the audit chain, signed file links, list paging, migrations and the
 * webhook inbox's queue.
 * The desk's own entries use `@desk/server`.
 */

export { lockApplication } from './applications/application.repository.js';
export { listApplications } from './applications/application.service.js';
export { encodeCursor } from './applications/keyset-cursor.js';
export { verifyAuditChain } from './audit/audit-chain.js';
export { recordAudit } from './audit/audit-log.js';
export { executePrepared, isOneOf, preparedMarker } from './db/database.js';
export { migrateToLatest } from './db/migrate.js';
export { poolOptionsFor } from './desk.js';
export { batchSource } from './exports/export-sources.js';
export { consentPlan, type ExportPlan, selectStatement, statusHistoryPlan } from './exports/export-sql.js';
export { createFileUrls, loadFileUrlKey } from './files/file-urls.js';
export { FinAdapter } from './providers/fin/fin-adapter.js';
export { KycAdapter } from './providers/kyc/kyc-adapter.js';
export { kycCountryCodes, toAlpha2 } from './providers/kyc/kyc-wire.js';
export {
  type ApplicationContext,
  type DocumentDetails,
  type HeldDocument,
  ProviderCallError,
  type ProviderSnapshot,
  type RfiAnswerDelivery,
} from './providers/provider-adapter.js';
export { applyDueEvents, maxWebhookAttempts, putBackEvents, takeDueEvents } from './webhooks/webhook-queue.js';
