/**
 * The in-memory collector of the provider demo's rows: cases with their history, provider RFIs,
 * answers and their delivery to the provider.
 */

import { type AgreementTable, type ProviderRfi, type ProviderSnapshot, providerRfiDueMs } from '@desk/server';
import type { Provider, ProviderStatus, Stage, StatusChangeSource } from '@desk/shared';
import type { Insertable } from 'kysely';
import { emptyFinDemoRows, sha256Hex } from '../../fin/demo-fixtures.js';
import { SeededRandom } from '../random.js';
import {
  minute,
  type Person,
  type ProviderDemo,
  type ProviderDemoContext,
  providerDemoAgreements,
  second,
  stageOrThrow,
} from './common.js';

/** The version consented to: the latest released by then, now and then the one before it. */
function consentedVersion(
  agreements: readonly Insertable<AgreementTable>[],
  provider: Provider,
  consentedAt: Date,
  rng: SeededRandom,
): string {
  const released = agreements
    .filter((a) => a.provider === provider && new Date(a.released_at).getTime() <= consentedAt.getTime())
    .map((a) => a.version);
  const latest = released.at(-1) ?? agreements.find((a) => a.provider === provider)?.version ?? '1';
  return released.length > 1 && rng.chance(0.1) ? (released.at(-2) ?? latest) : latest;
}

export type Event = { to: ProviderStatus; at: Date; source: StatusChangeSource; reason?: string | null };

export class Builder {
  readonly demo: ProviderDemo = {
    agreements: [],
    customers: [],
    applications: [],
    documents: [],
    contents: [],
    history: [],
    rfis: [],
    rfiItems: [],
    rfiAnswers: [],
    rfiAnswerDocuments: [],
    providerActions: [],
    fin: emptyFinDemoRows(),
    kyc: [],
  };
  readonly analysts: string[];

  constructor(readonly ctx: ProviderDemoContext) {
    this.demo.agreements = providerDemoAgreements(ctx.now);
    this.analysts = ctx.staff.filter((s) => s.role === 'analyst' || s.role === 'senior_analyst').map((s) => s.id);
  }

  rngFor(label: string, index: number): SeededRandom {
    let h = Math.imul(this.ctx.seed + 1, 2654435761) ^ Math.imul(index + 1, 40503);
    for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    return new SeededRandom(h, `provider-demo:${label}:${this.ctx.seed}:${index}`);
  }

  ago(ms: number): Date {
    return new Date(this.ctx.now.getTime() - ms);
  }

  analyst(rng: SeededRandom, probability = 1): string | null {
    return this.analysts.length > 0 && rng.chance(probability) ? rng.pick(this.analysts) : null;
  }

  addCase(input: {
    rng: SeededRandom;
    provider: 'fin' | 'kyc';
    person: Person;
    email: string;
    snapshot: ProviderSnapshot;
    events: Event[];
  }): { applicationId: string; assigneeId: string | null } {
    const { rng, provider, person, snapshot, events } = input;
    const first = events[0];
    const last = events.at(-1);
    if (!first || !last) throw new Error('a demo case needs a history');
    if (last.to !== snapshot.status)
      throw new Error(`demo ${provider} case ends at ${last.to} but the provider says ${snapshot.status}`);
    const customerId = rng.uuid();
    const applicationId = rng.uuid();
    const createdAt = first.at;
    const consentedAt = new Date(createdAt.getTime() - rng.int(30 * second, 20 * minute));
    this.demo.customers.push({
      id: customerId,
      first_name: person.firstName,
      last_name: person.lastName,
      email: input.email,
      phone: person.phone,
      date_of_birth: person.dateOfBirth,
      street: person.street,
      city: person.city,
      postal_code: person.postalCode,
      state: person.state,
      country: 'USA',
      identificationNumber: person.ssn,
      created_at: createdAt,
      updated_at: createdAt,
    });
    const stage = stageOrThrow(provider, snapshot.status);
    const open = stage !== 'approved' && stage !== 'rejected';
    const assigneeId = open ? this.analyst(rng, 0.35) : null;
    this.demo.applications.push({
      id: applicationId,
      customer_id: customerId,
      provider,
      provider_application_id: snapshot.providerApplicationId,
      provider_status: snapshot.status,
      stage,
      flag_id_verification: snapshot.flags.idVerification,
      flag_identification_number_verification: snapshot.flags.identificationNumberVerification,
      flag_address_verification: snapshot.flags.addressVerification,
      agreement_version: consentedVersion(this.demo.agreements, provider, consentedAt, rng),
      consented_at: consentedAt,
      provider_customer_id: snapshot.providerCustomerId,
      provider_observed_at: last.at,
      provider_requirements: JSON.stringify(snapshot.requirements),
      assignee_id: assigneeId,
      claimed_at: assigneeId ? last.at : null,
      stage_entered_at: stageEnteredAt(provider, events),
      created_at: createdAt,
      updated_at: last.at,
    });
    let previous: { status: ProviderStatus; stage: Stage } | null = null;
    for (const event of events) {
      const toStage = stageOrThrow(provider, event.to);
      this.demo.history.push({
        application_id: applicationId,
        from_status: previous?.status ?? null,
        to_status: event.to,
        from_stage: previous?.stage ?? null,
        to_stage: toStage,
        at: event.at,
        source: event.source,
        actor_id: null,
        reason: event.reason ?? (previous ? null : 'Application created at the provider'),
      });
      previous = { status: event.to, stage: toStage };
    }
    return { applicationId, assigneeId };
  }

  /** The desk's RFI for a provider RFI, as the snapshot sync would register it. */
  addProviderRfi(input: {
    rng: SeededRandom;
    applicationId: string;
    rfi: ProviderRfi;
    assigneeId: string | null;
    closedAt: Date | null;
  }): { id: string } {
    const { rfi } = input;
    const id = input.rng.uuid();
    this.demo.rfis.push({
      id,
      application_id: input.applicationId,
      origin: 'provider',
      provider_rfi_id: rfi.providerRfiId,
      status: input.closedAt ? 'closed' : 'open',
      title: rfi.title,
      due_at: rfi.dueAt ?? new Date(rfi.raisedAt.getTime() + providerRfiDueMs),
      assignee_id: input.assigneeId,
      raised_by: null,
      created_at: rfi.raisedAt,
      updated_at: input.closedAt ?? rfi.raisedAt,
      closed_at: input.closedAt,
    });
    rfi.items.forEach((item, position) => {
      this.demo.rfiItems.push({ id: input.rng.uuid(), rfi_id: id, position, ...item });
    });
    return { id };
  }

  addAnswer(input: {
    rng: SeededRandom;
    rfiId: string;
    text: string | null;
    fields: Record<string, string>;
    files: { itemKey: string; fileName: string; contentType: string; bytes: Buffer }[];
    answeredBy: string | null;
    answeredAt: Date;
  }): { id: string; documents: { id: string; itemKey: string; sha256: string; size: number }[] } {
    const id = input.rng.uuid();
    this.demo.rfiAnswers.push({
      id,
      rfi_id: input.rfiId,
      version: this.demo.rfiAnswers.filter((a) => a.rfi_id === input.rfiId).length + 1,
      text: input.text,
      field_values: JSON.stringify(input.fields),
      answered_by: input.answeredBy,
      answered_at: input.answeredAt,
    });
    const documents = input.files.map((f) => {
      const documentId = input.rng.uuid();
      const sha256 = sha256Hex(f.bytes);
      this.demo.rfiAnswerDocuments.push({
        id: documentId,
        answer_id: id,
        item_key: f.itemKey,
        file_name: f.fileName,
        content_type: f.contentType,
        size_bytes: f.bytes.length,
        sha256,
        bytes: f.bytes,
      });
      return { id: documentId, itemKey: f.itemKey, sha256, size: f.bytes.length };
    });
    return { id, documents };
  }

  /** The delivery of an answer to the provider, done. */
  addDeliveredAnswer(
    rng: SeededRandom,
    applicationId: string,
    answerId: string,
    requestedBy: string | null,
    at: Date,
    doneAt: Date,
  ): void {
    this.demo.providerActions.push({
      id: rng.uuid(),
      application_id: applicationId,
      kind: 'answer_rfi',
      state: 'done',
      idempotency_key: rng.uuid(),
      document_id: null,
      rfi_answer_id: answerId,
      attempts: 1,
      last_error: null,
      gave_up: false,
      requested_by: requestedBy,
      created_at: at,
      updated_at: doneAt,
      completed_at: doneAt,
    });
  }
}

/** When the case entered the stage it ends in: the first event of its last run of stages. */
function stageEnteredAt(provider: 'fin' | 'kyc', events: readonly Event[]): Date {
  let entered = events[0]?.at ?? new Date(0);
  let stage: Stage | null = null;
  for (const event of events) {
    const to = stageOrThrow(provider, event.to);
    if (to !== stage) entered = event.at;
    stage = to;
  }
  return entered;
}
