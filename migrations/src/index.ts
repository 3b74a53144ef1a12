/**
 * Every migration, by name. Names are ISO timestamps so they sort in the order they were
 * written; Kysely runs them in that order and records each one it has applied.
 */
import type { Migration } from 'kysely/migration';
import * as initialSchema from './2026-11-22T00-00-00_initial_schema.js';
import * as providerActions from './2026-11-22T02-00-00_provider_actions.js';
import * as rfis from './2026-11-22T05-00-00_rfis.js';
import * as providerNeutral from './2026-11-22T07-00-00_provider_neutral.js';
import * as staffAuditPii from './2026-11-22T08-00-00_staff_audit_pii.js';
import * as queueWorkflow from './2026-11-22T09-00-00_queue_workflow.js';
import * as lookupAndNextIndexes from './2026-11-22T10-00-00_lookup_and_next_indexes.js';
import * as sandboxesMovedOut from './2026-12-07T00-00-00_sandboxes_moved_out.js';
import * as webhookRejections from './2026-12-07T01-00-00_webhook_rejections.js';
import * as signInReservations from './2026-12-07T02-00-00_sign_in_reservations.js';
import * as appendOnlyNoTruncate from './2026-12-07T03-00-00_append_only_no_truncate.js';
import * as staffInvitationsAndGrants from './2026-12-07T04-00-00_staff_invitations_and_grants.js';
import * as secondFactor from './2026-12-07T05-00-00_second_factor.js';
import * as singleSignOn from './2026-12-07T06-00-00_single_sign_on.js';
import * as staffAccessRequests from './2026-12-07T07-00-00_staff_access_requests.js';
import * as rfiAnswerVersions from './2026-12-07T08-00-00_rfi_answer_versions.js';
import * as staffTimeZone from './2026-12-07T09-00-00_staff_time_zone.js';
import * as caseChangeNotify from './2026-12-07T10-00-00_case_change_notify.js';
import * as outcomeOverride from './2026-12-07T11-00-00_outcome_override.js';
import * as documentUploadedAt from './2026-12-07T12-00-00_document_uploaded_at.js';
import * as queueSortIndexes from './2026-12-07T14-00-00_queue_sort_indexes.js';
import * as intakes from './2026-12-07T15-00-00_intakes.js';
import * as lookupBirthDateIndexes from './2026-12-07T18-00-00_lookup_birth_date_indexes.js';
import * as applicationCounters from './2026-12-07T19-00-00_application_counters.js';
import * as auditChainLanes from './2026-12-07T20-00-00_audit_chain_lanes.js';
import * as caseChangesPolled from './2026-12-07T21-00-00_case_changes_polled.js';
import * as counterSlots from './2026-12-07T22-00-00_counter_slots.js';
import * as countersSkipUnchanged from './2026-12-08T00-00-00_counters_skip_unchanged.js';
import * as webhookInboxQueue from './2026-12-08T01-00-00_webhook_inbox_queue.js';

/**
 * The built-in sandboxes' tables moved to the sandboxes package's own chain (its `sandbox`
 * schema). Databases that ran these steps still list them, and Kysely refuses a database that
 * ran a migration missing from the list, so they stay, doing nothing;
 * 2026-12-07T00-00-00_sandboxes_moved_out drops what they once created.
 */
const movedToTheSandboxesPackage: Migration = { up: async () => undefined };

export const migrations: Record<string, Migration> = {
  '2026-11-22T00-00-00_initial_schema': initialSchema,
  '2026-11-22T01-00-00_jiko_sandbox': movedToTheSandboxesPackage,
  '2026-11-22T02-00-00_provider_actions': providerActions,
  '2026-11-22T04-00-00_kyc_sandbox': movedToTheSandboxesPackage,
  '2026-11-22T05-00-00_rfis': rfis,
  '2026-11-22T06-00-00_fin_sandbox': movedToTheSandboxesPackage,
  '2026-11-22T07-00-00_provider_neutral': providerNeutral,
  '2026-11-22T08-00-00_staff_audit_pii': staffAuditPii,
  '2026-11-22T09-00-00_queue_workflow': queueWorkflow,
  '2026-11-22T10-00-00_lookup_and_next_indexes': lookupAndNextIndexes,
  '2026-12-07T00-00-00_sandboxes_moved_out': sandboxesMovedOut,
  '2026-12-07T01-00-00_webhook_rejections': webhookRejections,
  '2026-12-07T02-00-00_sign_in_reservations': signInReservations,
  '2026-12-07T03-00-00_append_only_no_truncate': appendOnlyNoTruncate,
  '2026-12-07T04-00-00_staff_invitations_and_grants': staffInvitationsAndGrants,
  '2026-12-07T05-00-00_second_factor': secondFactor,
  '2026-12-07T06-00-00_single_sign_on': singleSignOn,
  '2026-12-07T07-00-00_staff_access_requests': staffAccessRequests,
  '2026-12-07T08-00-00_rfi_answer_versions': rfiAnswerVersions,
  '2026-12-07T09-00-00_staff_time_zone': staffTimeZone,
  '2026-12-07T10-00-00_case_change_notify': caseChangeNotify,
  '2026-12-07T11-00-00_outcome_override': outcomeOverride,
  '2026-12-07T12-00-00_document_uploaded_at': documentUploadedAt,
  '2026-12-07T14-00-00_queue_sort_indexes': queueSortIndexes,
  '2026-12-07T15-00-00_intakes': intakes,
  '2026-12-07T18-00-00_lookup_birth_date_indexes': lookupBirthDateIndexes,
  '2026-12-07T19-00-00_application_counters': applicationCounters,
  '2026-12-07T20-00-00_audit_chain_lanes': auditChainLanes,
  '2026-12-07T21-00-00_case_changes_polled': caseChangesPolled,
  '2026-12-07T22-00-00_counter_slots': counterSlots,
  '2026-12-08T00-00-00_counters_skip_unchanged': countersSkipUnchanged,
  '2026-12-08T01-00-00_webhook_inbox_queue': webhookInboxQueue,
};
