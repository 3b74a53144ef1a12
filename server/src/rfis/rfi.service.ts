/**
 * RFI rules: who may be asked what and what makes an answer complete; the status flow is the
 * shared lifecycle (`@desk/shared`, lifecycles/rfis.ts). Each change locks first (the RFI
 * row, so two people answering at once get one answer and one 409), decides, writes through
 * the repository, then records the audit event, in one transaction.
 *
 * A provider's RFI is answered here and the answer delivered to the provider as a provider
 * action (same transaction, same reliable job path as uploads); the provider closes it by
 * moving on, which the next snapshot of the case records (`syncProviderRfi`). When the
 * provider refuses the answer, the RFI is `refused` with the provider's reasons per item, and
 * the analyst sends a corrected answer: a new version, delivered as a new action.
 */
import {
  answerableRfiStatuses,
  FieldErrors,
  type FieldFormat,
  isAnswerableRfi,
  isOpenCase,
  type NewRfi,
  providerLabels,
  type Rfi,
  type RfiList,
  type RfiListQuery,
  type RfiRefusal,
  readFieldFormat,
  rfiCloseRefusal,
  rfiCloseRefusalMessage,
} from '@desk/shared';
import type { Kysely } from 'kysely';
import type { Viewer } from '../applications/application.service.js';
import { decodeKeyset, encodeKeyset } from '../applications/keyset-cursor.js';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import {
  checkFileContent,
  declaredContentType,
  rfiAnswerContentTypes,
  unsupportedContent,
} from '../files/content-type.js';
import { AppError } from '../http/app-error.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { queueAction } from '../provider-actions/provider-action.service.js';
import { rfiRowToRfi } from './rfi.mapper.js';
import {
  closeRfis,
  fileSha256,
  findAnswerForDelivery,
  findAnswers,
  findApplicationProvider,
  findItems,
  findRfi,
  findRfiPage,
  insertAnswer,
  insertRfi,
  lockCaseOfRfi,
  lockRfi,
  markAnswerRefused,
  markRfiAnswered,
  type RfiRow,
  staffExists,
} from './rfi.repository.js';

const rfiScope = 'rfis:due';

export type RfiFile = { itemKey: string; originalName: string; contentType: string; bytes: Buffer };
export type RfiAnswerInput = { text?: string; fields: Record<string, string>; files: RfiFile[] };

async function toRfis(db: Kysely<Database>, rows: RfiRow[]): Promise<Rfi[]> {
  const ids = rows.map((r) => r.id);
  const [items, answers] = await Promise.all([findItems(db, ids), findAnswers(db, ids)]);
  const now = new Date();
  return rows.map((row) => rfiRowToRfi(row, items, answers, now));
}

export async function listRfis(db: Kysely<Database>, query: RfiListQuery, viewer: Viewer): Promise<RfiList> {
  let assigneeId: string | null | undefined;
  if (query.assignee === 'none') assigneeId = null;
  else if (query.assignee === 'me') {
    if (!viewer) throw new AppError('unauthenticated', 'Sign in to see the RFIs assigned to you');
    assigneeId = viewer.staffId;
  } else assigneeId = query.assignee;
  const after = query.cursor ? decodeKeyset(query.cursor, rfiScope) : null;
  const rows = await findRfiPage(
    db,
    {
      status: query.status,
      provider: query.provider,
      assigneeId,
      applicationId: query.applicationId,
      dueBefore: query.dueBefore,
    },
    { limit: query.limit + 1, after },
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: await toRfis(db, page),
    nextCursor: rows.length > query.limit && last ? encodeKeyset(rfiScope, { at: last.due_at, id: last.id }) : null,
  };
}

export async function getRfi(db: Kysely<Database>, id: string): Promise<Rfi> {
  const row = await findRfi(db, id);
  if (!row) throw AppError.notFound('RFI');
  const [rfi] = await toRfis(db, [row]);
  if (!rfi) throw AppError.notFound('RFI');
  return rfi;
}

export async function raiseInternalRfi(
  db: Kysely<Database>,
  applicationId: string,
  input: NewRfi,
  actor: StaffActor,
): Promise<Rfi> {
  const id = await db.transaction().execute(async (trx) => {
    const app = await lockCaseOfRfi(trx, applicationId);
    if (!app) throw AppError.notFound('Application');
    if (!isOpenCase(app.stage)) {
      throw new AppError('conflict', `The application is ${app.stage}; no more information can be requested`);
    }
    if (input.assigneeId && !(await staffExists(trx, input.assigneeId)))
      throw new AppError('validation_failed', 'Invalid body: assigneeId', { assigneeId: ['is not a staff member'] });
    const rfiId = await insertRfi(
      trx,
      {
        application_id: applicationId,
        origin: 'internal',
        provider_rfi_id: null,
        title: input.title,
        due_at: new Date(input.dueAt),
        assignee_id: input.assigneeId ?? null,
        raised_by: actor.staffId,
      },
      input.items.map((item) => ({
        kind: item.kind,
        key: item.key,
        label: item.label,
        section: null,
        reason: null,
        note: item.note ?? null,
        format: null,
      })),
    );
    // Only a provider's RFI can meet one that is there already.
    if (!rfiId) throw new Error('An internal RFI was not written');
    await recordAudit(trx, actor, {
      action: 'rfi.raised',
      entityId: rfiId,
      applicationId,
      data: {
        title: input.title,
        dueAt: input.dueAt,
        items: input.items.map((i) => i.key),
        assigneeId: input.assigneeId ?? null,
      },
    });
    return rfiId;
  });
  return getRfi(db, id);
}

/**
 * An answer gives exactly what was asked: a value for every field item, in the format the
 * provider documents for it (the shared field formats the adapters build requests with), a
 * file for every document item, words for every text item — and nothing that was not asked for.
 */
function checkAnswer(
  items: { kind: string; key: string; format: FieldFormat | null }[],
  input: RfiAnswerInput,
): FieldErrors {
  // Keys are the provider's or the analyst's words (`constructor` included): a Map and own
  // properties only, never the prototype.
  const errors = new FieldErrors();
  const add = (key: string, message: string) => errors.add(key, message);
  const byKey = new Map(items.map((i) => [i.key, i]));
  for (const [key, value] of Object.entries(input.fields)) {
    const item = byKey.get(key);
    if (item?.kind !== 'field') add(key, 'was not requested as a field');
    else if (!value.trim()) add(key, 'must not be empty');
    else if (item.format !== null) {
      const read = readFieldFormat(item.format, value);
      if (!read.ok) add(key, read.problem);
    }
  }
  for (const file of input.files) {
    if (byKey.get(file.itemKey)?.kind !== 'document') add(file.itemKey, 'was not requested as a document');
  }
  for (const item of items) {
    if (item.kind === 'field' && !Object.hasOwn(input.fields, item.key)) add(item.key, 'is requested: give a value');
    if (item.kind === 'document' && !input.files.some((f) => f.itemKey === item.key))
      add(item.key, 'is requested: attach a file');
  }
  if (items.some((i) => i.kind === 'text') && !input.text?.trim()) add('text', 'is requested: answer in words');
  return errors;
}

/**
 * Each file's declared type, then its bytes (content-type.ts): 415 naming every file that is
 * not what it claims. Returns the files with the type their bytes showed.
 */
async function checkAnswerFiles(files: RfiFile[]): Promise<RfiFile[]> {
  const errors = new FieldErrors();
  const checked: RfiFile[] = [];
  for (const file of files) {
    if (!rfiAnswerContentTypes.some((t) => t === declaredContentType(file.contentType))) {
      errors.add(file.itemKey, `must be one of ${rfiAnswerContentTypes.join(', ')}`);
      continue;
    }
    const content = await checkFileContent(file.bytes, file.contentType, rfiAnswerContentTypes);
    if (content.ok) checked.push({ ...file, contentType: content.contentType });
    else errors.add(file.itemKey, content.problem);
  }
  if (errors.size > 0) throw unsupportedContent(errors);
  return checked;
}

export async function answerRfi(
  ctx: { db: Kysely<Database>; jobs: JobQueue },
  id: string,
  submitted: RfiAnswerInput,
  actor: StaffActor,
): Promise<Rfi> {
  const { db } = ctx;
  // Before anything is read or locked: a file that is not what it claims is refused outright.
  const input = { ...submitted, files: await checkAnswerFiles(submitted.files) };
  await db.transaction().execute(async (trx) => {
    const rfi = await lockRfi(trx, id);
    if (!rfi) throw AppError.notFound('RFI');
    if (!isAnswerableRfi(rfi.status))
      throw new AppError(
        'conflict',
        `The RFI is ${rfi.status}; only an RFI waiting for an answer (${answerableRfiStatuses.join(' or ')}) can be answered`,
      );
    const errors = checkAnswer(await findItems(trx, [id]), input);
    if (errors.size > 0) {
      throw new AppError('validation_failed', `Invalid answer: ${errors.fields.join(', ')}`, errors.toRecord());
    }
    const { id: answerId, version } = await insertAnswer(trx, {
      rfiId: id,
      text: input.text?.trim() || null,
      fieldValues: input.fields,
      answeredBy: actor.staffId,
      files: input.files,
    });
    await markRfiAnswered(trx, id, new Date());
    const delivery =
      rfi.origin === 'provider'
        ? await queueAction(ctx, trx, { id: rfi.application_id }, 'answer_rfi', actor, { rfiAnswerId: answerId })
        : null;
    // Field values can be personal data: the trail names what was answered, not the values.
    await recordAudit(trx, actor, {
      action: 'rfi.answered',
      entityId: id,
      applicationId: rfi.application_id,
      data: {
        answerId,
        fields: Object.keys(input.fields),
        files: input.files.map((f) => ({ itemKey: f.itemKey, sizeBytes: f.bytes.length, sha256: fileSha256(f.bytes) })),
        deliveryActionId: delivery?.id ?? null,
        version,
      },
    });
  });
  return getRfi(db, id);
}

/**
 * The provider refused the answer a delivery carried (its 4xx, or the adapter found the answer
 * does not fit the provider's rules): the answer keeps the provider's reasons by item, and the
 * RFI — when that answer is its latest — becomes `refused`, waiting for a corrected answer.
 * Runs in the worker's transaction that gives the delivery up.
 */
export async function recordAnswerRefusal(
  trx: Kysely<Database>,
  delivery: { actionId: string; answerId: string },
  refusal: RfiRefusal,
): Promise<void> {
  const answer = await findAnswerForDelivery(trx, delivery.answerId);
  if (!answer || answer.refused_at !== null) return;
  await lockRfi(trx, answer.rfi_id);
  await markAnswerRefused(trx, { id: answer.id, rfiId: answer.rfi_id, version: answer.version }, refusal, new Date());
  // The provider refused: the trail (and the live update read from it) names the provider, not the desk.
  await recordAudit(
    trx,
    { kind: 'provider', provider: answer.provider },
    {
      action: 'rfi.answer_refused',
      entityId: answer.rfi_id,
      applicationId: answer.application_id,
      data: {
        answerId: answer.id,
        version: answer.version,
        deliveryActionId: delivery.actionId,
        fields: Object.keys(refusal.fields),
      },
    },
  );
}

export async function closeRfi(db: Kysely<Database>, id: string, actor: StaffActor): Promise<Rfi> {
  await db.transaction().execute(async (trx) => {
    const rfi = await lockRfi(trx, id);
    if (!rfi) throw AppError.notFound('RFI');
    const refusal = rfiCloseRefusal(rfi, 'staff');
    if (refusal) {
      const app = await findApplicationProvider(trx, rfi.application_id);
      throw new AppError('conflict', rfiCloseRefusalMessage(refusal, providerLabels[app.provider]));
    }
    await closeRfis(trx, { closer: 'staff', rfiId: id, origin: rfi.origin }, new Date());
    await recordAudit(trx, actor, {
      action: 'rfi.closed',
      entityId: id,
      applicationId: rfi.application_id,
      data: { was: rfi.status },
    });
  });
  return getRfi(db, id);
}
