/**
 * Case changes, read from the audit trail. Every change to a case is recorded there in the
 * transaction of the change (`recordAudit`), with its actor, so the trail's id is the event's
 * position. The chain runs in lanes, and across lanes ids do not follow commit order (a lower id
 * can commit after a higher one), so windows are read only up to the settled id
 * (`settledAuditId`): a client resuming from N then misses nothing and gets nothing twice. Reads
 * go in bounded windows of the trail.
 */
import {
  type AuditAction,
  auditCatalogue,
  type CaseEvent,
  type DocumentFlag,
  type DocumentStatus,
  type DocumentType,
  documentFlagLabels,
  documentTypeLabels,
  isAuditAction,
  type LiveActor,
  type ProviderUpdate,
  providerLabels,
  providerSchema,
  reviewOutcomeLabels,
  reviewOutcomes,
  stageLabels,
} from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { settledAuditId } from '../audit/audit-chain.js';
import type { Database } from '../db/schema.js';

/**
 * The audit actions that are changes to a case, pushed live. Reads (an audit report viewed)
 * and actions about other things are not; a new action about a case joins this list to be pushed.
 */
export const caseChangeActions = [
  'application.created',
  'application.status_changed',
  'application.provider_update_applied',
  'application.claimed',
  'application.released',
  'application.assigned',
  'application.note_added',
  'application.outcome_recorded',
  'application.document_uploaded',
  'application.reapply_requested',
  'application.refresh_requested',
  'provider_action.delivered',
  'provider_action.gave_up',
  'provider_action.retried',
  'rfi.raised',
  'rfi.answered',
  'rfi.answer_refused',
  'rfi.closed',
] as const satisfies readonly AuditAction[];

/** A case event with its position in the trail (the SSE id). */
export type PositionedCaseEvent = { id: number; event: CaseEvent };

/** What one window of the trail held: the case events in it, and how far it reached. */
export type TrailWindow = {
  events: PositionedCaseEvent[];
  /** The last audit id the window covered (the `after` it was read from when it was empty). */
  upTo: number;
  /** How many audit rows the window covered (all kinds); fewer than asked means the end was reached. */
  scanned: number;
};

type Row = {
  up_to: number | null;
  scanned: number;
  id: number | null;
  at: Date | null;
  actor_id: string | null;
  actor: string | null;
  action: string | null;
  application_id: string | null;
  data: Record<string, unknown> | null;
  version: number | null;
  actor_name: string | null;
  target_name: string | null;
};

/** The settled audit id (0 for an empty trail): where a stream without `Last-Event-ID` starts. */
export async function latestTrailPosition(db: Kysely<Database>): Promise<number> {
  return settledAuditId(db);
}

/** The highest id in the trail, settled or not (0 for an empty trail). */
export async function newestTrailId(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ id: number | null }>`SELECT max(id) AS id FROM audit_events`.execute(db);
  return rows[0]?.id ?? 0;
}

/**
 * Reads up to `size` audit rows after `after`, no further than the settled id, and returns the
 * case changes among them, oldest first.
 */
export async function readTrailWindow(db: Kysely<Database>, after: number, size: number): Promise<TrailWindow> {
  // Its own statement, before the rows are read: see `settledAuditId`.
  const settled = await settledAuditId(db);
  const actions = sql.join(caseChangeActions.map((action) => sql.lit(action)));
  const { rows } = await sql<Row>`
    WITH w AS MATERIALIZED (
      SELECT id, at, actor_id, actor, action, application_id, data
      FROM audit_events WHERE id > ${after} AND id <= ${settled} ORDER BY id LIMIT ${size}
    ),
    bounds AS (SELECT max(id) AS up_to, count(*)::int AS scanned FROM w)
    SELECT bounds.up_to, bounds.scanned, e.*
    FROM bounds
    LEFT JOIN (
      SELECT w.id, w.at, w.actor_id, w.actor, w.action, w.application_id, w.data, app.version,
        s.name AS actor_name, t.name AS target_name
      FROM w
      JOIN applications app ON app.id = w.application_id
      LEFT JOIN staff s ON s.id = w.actor_id
      LEFT JOIN staff t ON t.id::text = w.data->>'to'
      WHERE w.action IN (${actions})
    ) e ON true
    ORDER BY e.id
  `.execute(db);
  const first = rows[0];
  const events = rows.flatMap((row): PositionedCaseEvent[] => {
    if (row.id === null || row.at === null || row.action === null || row.application_id === null) return [];
    if (row.version === null || row.actor === null) return [];
    return [
      {
        id: row.id,
        event: {
          applicationId: row.application_id,
          version: row.version,
          action: row.action,
          change: describeChange(row.action, row.data ?? {}, row.target_name),
          by: actorOf(row.actor, row.actor_id, row.actor_name),
          at: row.at.toISOString(),
        },
      },
    ];
  });
  const scanned = first?.scanned ?? 0;
  // A window that reached the end covered everything up to the settled id (gaps are rolled-back ids).
  const upTo = scanned < size ? Math.max(after, settled) : (first?.up_to ?? after);
  return { events, upTo, scanned };
}

/** Who acted, as people read it (the audit row's actor label: an email, `provider:<name>` or `system`). */
export function actorOf(label: string, staffId: string | null, staffName: string | null): LiveActor {
  if (staffId !== null) return { kind: 'staff', name: staffName ?? 'a colleague', staffId };
  const provider = providerSchema.safeParse(label.startsWith('provider:') ? label.slice('provider:'.length) : null);
  if (provider.success) return { kind: 'provider', name: providerLabels[provider.data], staffId: null };
  return { kind: 'system', name: 'the desk', staffId: null };
}

/** What changed, in words: the catalogue's label, made precise where the action's data says more. */
export function describeChange(action: string, data: Record<string, unknown>, targetName: string | null): string {
  if (!isAuditAction(action)) return action;
  const label = auditCatalogue[action].label;
  if (action === 'application.status_changed') {
    const parsed = auditCatalogue[action].data.safeParse(data);
    if (!parsed.success) return label;
    const { fromStage, toStage, from, to } = parsed.data;
    return fromStage !== toStage
      ? `Stage changed from ${stageLabels[fromStage]} to ${stageLabels[toStage]}`
      : `Provider status changed from ${from} to ${to}`;
  }
  if (action === 'application.provider_update_applied') {
    const parsed = auditCatalogue[action].data.safeParse(data);
    return parsed.success ? describeProviderUpdate(parsed.data) : label;
  }
  if (action === 'application.assigned') {
    const parsed = auditCatalogue[action].data.safeParse(data);
    if (!parsed.success) return label;
    return parsed.data.to === null ? 'Case unassigned' : `Case assigned to ${targetName ?? 'a colleague'}`;
  }
  if (action === 'application.outcome_recorded') {
    const parsed = auditCatalogue[action].data.safeParse(data);
    if (!parsed.success) return label;
    const outcome = z.enum(reviewOutcomes).safeParse(parsed.data.outcome);
    return `${label}: ${outcome.success ? reviewOutcomeLabels[outcome.data] : parsed.data.outcome}`;
  }
  if (action === 'rfi.answer_refused') {
    // The label says "by the provider"; the event names the provider as its actor ("… refused by Fin.com").
    const parsed = auditCatalogue[action].data.safeParse(data);
    return parsed.success ? `RFI answer ${parsed.data.version} refused` : 'RFI answer refused';
  }
  return label;
}

/** What a provider's answer changed besides the status, in words: "ID verification flag raised, an RFI opened". */
export function describeProviderUpdate(update: ProviderUpdate): string {
  const flags = (list: DocumentFlag[], what: string) =>
    list.length === 0
      ? []
      : [`${list.map((flag) => documentFlagLabels[flag]).join(' and ')} ${list.length > 1 ? 'flags' : 'flag'} ${what}`];
  const requested = update.documentsListed.filter((doc) => doc.status === 'PENDING_UPLOAD');
  const listed = update.documentsListed.length - requested.length;
  const parts = [
    ...flags(update.flagsRaised, 'raised'),
    ...flags(update.flagsCleared, 'cleared'),
    ...(requested.length > 0 ? [`${requested.map((doc) => shortTypeLabel(doc.type)).join(', ')} requested`] : []),
    ...(listed > 0 ? [count(listed, 'a document', 'documents', 'listed')] : []),
    ...update.documentsChanged.map((doc) => `${shortTypeLabel(doc.type)} ${documentStatusWords[doc.to]}`),
    ...(update.rfiOpened ? ['an RFI opened'] : []),
    ...(update.rfisClosed > 0 ? [count(update.rfisClosed, 'an RFI', 'RFIs', 'closed')] : []),
    ...(update.requirementsChanged ? ['what it asks for changed'] : []),
    ...(update.providerCustomerIdChanged ? ['its customer id changed'] : []),
  ];
  const sentence = parts.join(', ');
  return sentence
    ? sentence.charAt(0).toUpperCase() + sentence.slice(1)
    : auditCatalogue['application.provider_update_applied'].label;
}

const count = (n: number, one: string, many: string, what: string) => `${n === 1 ? one : `${n} ${many}`} ${what}`;

/** A document type's label without its examples ("Address verification"). */
const shortTypeLabel = (type: DocumentType) => documentTypeLabels[type].replace(/\s*\(.*\)$/, '');

const documentStatusWords: Record<DocumentStatus, string> = {
  PENDING_UPLOAD: 'awaited',
  UPLOADED: 'received',
  ACCEPTED: 'accepted',
  REJECTED: 'rejected',
};
