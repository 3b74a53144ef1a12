/**
 * Demo data for the Fin.com and generic KYC providers, and requests for information in every
 * state. A separate step from `seedDemoData` (whose Jiko rows it leaves alone): it runs once
 * the Jiko demo is in place and the built-in sandboxes are mounted, and does nothing when a
 * Fin.com application already exists.
 *
 * Every case is written twice, consistently: the sandbox's rows (same ids, statuses, outcome
 * tags, counters, RFIs; sandboxes/fin|kyc/demo-fixtures.ts) and the desk's rows, which are
 * derived from the sandbox rows through the adapters' own mapping (the sandbox's wire shape →
 * `finCustomerToSnapshot` / `kycCustomerToSnapshot`). So stage, flags, what the provider asks
 * for, and each open RFI with its items are exactly what a refresh of the case would bring, and
 * the snapshot sync recognises the RFIs by `(application_id, provider_rfi_id)`.
 *
 * Status mix (per provider, by largest remainder):
 *   Fin.com  INCOMPLETE 20%, REVIEWING 10%, ACTION_REQUIRED 20%, ON_HOLD 25% (open RFI),
 *            APPROVED 15% (about half after an answered RFI), REJECTED 10%
 *   KYC      CREATED 10%, UNDER_REVIEW 15%, NEEDS_ADDITIONAL_INFORMATION 40% (open RFI for a
 *            government ID, some also a proof of address), ACTIVE 25% (all past an RFI:
 *            answered, or resolved by a resubmitted passport), REJECTED 10%
 * About a third of the open provider RFIs were raised 6–12 days ago and are overdue (due five
 * days after they were raised). Internal RFIs (open, some overdue; answered; closed) go on
 * open Jiko demo cases. Pending reviews are due minutes to hours after `now`.
 *
 * Deterministic for a seed, a reference time, the staff and the Jiko cases given.
 */
import { deflateSync } from 'node:zlib';
import type { Insertable, Kysely } from 'kysely';
import { stageOf, type FinStatus, type KycStatus, type Provider, type ProviderStatus, type RfiStatus, type Stage, type StaffRole, type StatusChangeSource } from '@desk/shared';
import type {
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
  StatusHistoryTable,
} from '../db/schema.js';
import { providerRfiDueMs } from '../provider-actions/snapshot.js';
import { finCustomerToSnapshot } from '../providers/fin/fin-wire.js';
import { kycCustomerToSnapshot } from '../providers/kyc/kyc-wire.js';
import type { ProviderRfi, ProviderSnapshot } from '../providers/provider-adapter.js';
import { customerRowToFin } from '../sandboxes/fin/customer.mapper.js';
import {
  emptyFinDemoRows,
  finCustomerRow,
  finDemoProfiles,
  finDemoPurposeIds,
  finDemoReview,
  finFileUri,
  finFinancialProfile,
  finOutcomeTag,
  finProcessedAttachment,
  finRfiRow,
  registerFinDemoCustomers,
  sha256Hex,
  withOutcomeTag,
  type FinCustomerState,
  type FinDemoApplicant,
  type FinDemoRows,
} from '../sandboxes/fin/demo-fixtures.js';
import type { FinCustomerRow, FinFileRow, FinRfiRow } from '../sandboxes/fin/sandbox.tables.js';
import type { FinAttachDocuments, FinRfiAnswer, IdentityDocumentType } from '../sandboxes/fin/wire.js';
import { customerRowToCustomer } from '../sandboxes/kyc/customer.mapper.js';
import {
  kycCustomerId,
  kycCustomerRow,
  kycDemoData,
  kycDemoProfiles,
  kycDemoRequirements,
  registerKycDemoCustomers,
  type KycCustomerState,
} from '../sandboxes/kyc/demo-fixtures.js';
import type { KycDocument } from '../sandboxes/kyc/kyc-data.js';
import type { KycCustomerRow } from '../sandboxes/kyc/sandbox.tables.js';
import { cities, emailDomains, firstNames, lastNames, streets } from './people.js';
import { SeededRandom } from './random.js';

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

export type ProviderDemoOptions = { now?: Date; seed?: number; perProvider?: number };

export type ProviderDemoContext = {
  seed: number;
  now: Date;
  /** Cases per provider. */
  perProvider: number;
  /** Staff to assign RFIs to and record as answering them (may be empty). */
  staff: readonly { id: string; role: StaffRole }[];
  /** Open Jiko cases that internal RFIs may be raised on, oldest first (may be empty). */
  jikoCases: readonly { id: string; created_at: Date }[];
};

type WithId<T> = T & { id: string };

export type ProviderDemo = {
  agreements: Insertable<AgreementTable>[];
  customers: WithId<Insertable<CustomerTable>>[];
  applications: WithId<Insertable<ApplicationTable>>[];
  documents: Insertable<ApplicationDocumentTable>[];
  history: Insertable<StatusHistoryTable>[];
  rfis: WithId<Insertable<RfiTable>>[];
  rfiItems: Insertable<RfiItemTable>[];
  rfiAnswers: WithId<Insertable<RfiAnswerTable>>[];
  rfiAnswerDocuments: Insertable<RfiAnswerDocumentTable>[];
  providerActions: Insertable<ProviderActionTable>[];
  /** The Fin.com sandbox's rows for the same customers. */
  fin: FinDemoRows;
  /** The generic KYC sandbox's rows for the same customers. */
  kyc: KycCustomerRow[];
};

// ---------------------------------------------------------------------------------------------
// Status mix
// ---------------------------------------------------------------------------------------------

export const finStatusMix: readonly (readonly [FinStatus, number])[] = [
  ['INCOMPLETE', 20],
  ['REVIEWING', 10],
  ['ACTION_REQUIRED', 20],
  ['ON_HOLD', 25],
  ['APPROVED', 15],
  ['REJECTED', 10],
];

export const kycStatusMix: readonly (readonly [KycStatus, number])[] = [
  ['CREATED', 10],
  ['UNDER_REVIEW', 15],
  ['NEEDS_ADDITIONAL_INFORMATION', 40],
  ['ACTIVE', 25],
  ['REJECTED', 10],
];

/** `total` statuses in the mix's proportions (largest remainder), in the mix's order. */
export function allocateStatuses<S extends string>(mix: readonly (readonly [S, number])[], total: number): S[] {
  const weight = mix.reduce((sum, [, w]) => sum + w, 0);
  const shares = mix.map(([status, w], order) => {
    const exact = (total * w) / weight;
    return { status, order, count: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = total - shares.reduce((sum, s) => sum + s.count, 0);
  for (const share of [...shares].sort((a, b) => b.remainder - a.remainder || a.order - b.order)) {
    if (left <= 0) break;
    share.count++;
    left--;
  }
  return shares.flatMap((s) => Array.from({ length: s.count }, () => s.status));
}

function shuffled<T>(items: readonly T[], rng: SeededRandom): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Agreements
// ---------------------------------------------------------------------------------------------

/** Agreement versions of Fin.com and the generic provider, released on calendar dates before `now`. */
export function providerDemoAgreements(now: Date): Insertable<AgreementTable>[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const releases: [Provider, string, number, string[]][] = [
    ['fin', '2025.1', 320, ['Terms of Service', 'Privacy Policy']],
    ['fin', '2025.2', 140, ['Terms of Service', 'Privacy Policy']],
    ['fin', '2026.1', 21, ['Terms of Service', 'Privacy Policy', 'E-Sign Consent']],
    ['kyc', '1.0', 400, ['Verification Terms', 'Data Processing Notice']],
    ['kyc', '1.1', 160, ['Verification Terms', 'Data Processing Notice']],
    ['kyc', '2.0', 12, ['Verification Terms', 'Data Processing Notice', 'Biometric Consent']],
  ];
  return releases.map(([provider, version, daysAgo, titles]) => ({
    provider,
    version,
    released_at: new Date(today - daysAgo * day),
    documents: JSON.stringify(
      titles.map((title) => ({ title, url: `https://agreements.example/${provider}/v${version}/${title.toLowerCase().replace(/[^a-z]+/g, '-')}.pdf` })),
    ),
  }));
}

/** The version consented to: the latest released by then, now and then the one before it. */
function consentedVersion(agreements: readonly Insertable<AgreementTable>[], provider: Provider, consentedAt: Date, rng: SeededRandom): string {
  const released = agreements
    .filter((a) => a.provider === provider && new Date(a.released_at).getTime() <= consentedAt.getTime())
    .map((a) => a.version);
  const latest = released.at(-1) ?? agreements.find((a) => a.provider === provider)?.version ?? '1';
  return released.length > 1 && rng.chance(0.1) ? (released.at(-2) ?? latest) : latest;
}

// ---------------------------------------------------------------------------------------------
// Files: small, real PDF and PNG bytes
// ---------------------------------------------------------------------------------------------

/** A one-page PDF showing the lines (ASCII), with a correct cross-reference table. */
export function demoPdf(lines: readonly string[]): Buffer {
  const escape = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
  const text = lines.map((line, i) => `${i === 0 ? '' : '0 -22 Td '}(${escape(line)}) Tj`).join('\n');
  const content = `BT /F1 14 Tf 72 720 Td\n${text}\nET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/**
 * An RGB PNG of a pale card with a darker band (a stand-in for a scanned document). Stored
 * uncompressed when `stored`, which makes its size predictable (about 3 × width × height bytes).
 */
export function demoPng(width: number, height: number, tint: readonly [number, number, number], stored = false): Buffer {
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    const band = y > height * 0.2 && y < height * 0.35;
    for (let x = 0; x < width; x++) {
      const at = y * row + 1 + x * 3;
      const shade = band ? 0.55 : 0.92 + ((x + y) % 7) / 200;
      raw[at] = Math.round(tint[0] * shade);
      raw[at + 1] = Math.round(tint[1] * shade);
      raw[at + 2] = Math.round(tint[2] * shade);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: stored ? 0 : 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------

type Person = FinDemoApplicant;

function makePerson(rng: SeededRandom, now: Date): Person {
  const firstName = rng.pick(firstNames);
  const lastName = rng.pick(lastNames);
  const place = rng.pick(cities);
  return {
    firstName,
    lastName,
    email: `${firstName}.${lastName}${rng.int(1, 999)}@${rng.pick(emailDomains)}`.toLowerCase(),
    phone: `+1${place.area}555${rng.digits(4)}`,
    dateOfBirth: `${now.getUTCFullYear() - rng.int(21, 78)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
    ssn: `${rng.int(101, 665)}${rng.int(10, 99)}${rng.int(1000, 9999)}`,
    street: `${rng.int(10, 9999)} ${rng.pick(streets)}`,
    city: place.city,
    state: place.state,
    postalCode: `${place.zip}${rng.digits(2)}`,
  };
}

/** A calendar date `years` years (and some days) after `from`. */
function dateAfter(from: Date, years: number, rng: SeededRandom): string {
  return new Date(from.getTime() + years * 365 * day + rng.int(0, 300) * day).toISOString().slice(0, 10);
}

function randomHex(rng: SeededRandom, length: number): string {
  return Array.from({ length }, () => rng.int(0, 15).toString(16)).join('');
}

function randomName(rng: SeededRandom): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 8 }, () => rng.pick([...alphabet])).join('');
}

type Event = { to: ProviderStatus; at: Date; source: StatusChangeSource; reason?: string | null };

class Builder {
  readonly demo: ProviderDemo = {
    agreements: [],
    customers: [],
    applications: [],
    documents: [],
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
    if (last.to !== snapshot.status) throw new Error(`demo ${provider} case ends at ${last.to} but the provider says ${snapshot.status}`);
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
      identification_number: person.ssn,
      identification_number_last4: person.ssn.slice(-4),
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
    rfi.items.forEach((item, position) => this.demo.rfiItems.push({ id: input.rng.uuid(), rfi_id: id, position, ...item }));
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
  addDeliveredAnswer(rng: SeededRandom, applicationId: string, answerId: string, requestedBy: string | null, at: Date, doneAt: Date): void {
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

function stageOrThrow(provider: Provider, status: ProviderStatus): Stage {
  const stage = stageOf(provider, status);
  if (!stage) throw new Error(`${provider} has no status ${status}`);
  return stage;
}

/** A value for a requested field, as an analyst would answer it. */
function answerValue(key: string, person: Person, rng: SeededRandom, now: Date): string {
  if (key.endsWith('.expiry_date') || key.endsWith('.expirationDate')) return dateAfter(now, rng.int(3, 9), rng);
  if (key.endsWith('.issueDate')) return new Date(now.getTime() - rng.int(5, 40) * day).toISOString().slice(0, 10);
  if (key.endsWith('.number')) return `${rng.int(5, 9)}${rng.digits(8)}`;
  if (key.endsWith('.issuingCountry')) return 'US';
  if (key.endsWith('phone') || key === 'phoneNumber') return `+1${rng.pick(cities).area}555${rng.digits(4)}`;
  if (key.endsWith('source_of_funds_description') || key === 'sourceOfFunds') {
    return rng.pick([
      'Salary from full-time employment, saved over the last three years',
      'Proceeds from the sale of a car and regular salary',
      'Savings from self-employment income and a tax refund',
      'Pension payments and savings held at another bank',
    ]);
  }
  return `${person.firstName} ${person.lastName}`;
}

// ----- Fin.com -----

type FinPlan = { status: FinStatus; overdue: boolean; afterRfi: boolean };

function finCase(b: Builder, index: number, plan: FinPlan): void {
  const { now } = b.ctx;
  const rng = b.rngFor('fin', index);
  const person = makePerson(rng, now);
  const identity: IdentityDocumentType = rng.chance(0.7) ? 'PASSPORT' : 'NATIONAL_ID';
  const futures = ['APPROVED', 'APPROVED', 'ON_HOLD', 'ACTION_REQUIRED', 'REJECTED'] as const;
  const firstReview =
    plan.status === 'INCOMPLETE' || plan.status === 'REVIEWING'
      ? rng.pick(futures)
      : plan.status === 'APPROVED'
        ? plan.afterRfi
          ? 'ON_HOLD'
          : 'APPROVED'
        : plan.status;
  const email = withOutcomeTag(person.email, finOutcomeTag(firstReview));
  const applicant: FinDemoApplicant = { ...person, email };
  const profile = rng.pick(finDemoProfiles);
  const financialProfile = finFinancialProfile({
    employment: profile.employment,
    occupationId: rng.pick(profile.occupationIds),
    purposeId: rng.pick(finDemoPurposeIds),
    sourceOfFundIds: [rng.pick(profile.sourceOfFundIds)],
    monthlyVolumeUsd: rng.pick([1_000, 2_000, 5_000, 5_000, 10_000, 25_000]),
  });
  const customerId = rng.uuid();
  const tosPoliciesValue = rng.uuid();

  // The timeline, from the last change back.
  let createdAt: Date;
  let reviewingAt: Date | null = null;
  let decidedAt: Date | null = null;
  let answer: { at: Date; deliveredAt: Date; approvedAt: Date } | null = null;
  switch (plan.status) {
    case 'INCOMPLETE':
      createdAt = b.ago(rng.int(2 * hour, 30 * day));
      break;
    case 'REVIEWING':
      reviewingAt = b.ago(rng.int(5 * minute, 8 * hour));
      createdAt = new Date(reviewingAt.getTime() - rng.int(hour, 12 * day));
      break;
    default: {
      if (plan.status === 'ON_HOLD') decidedAt = b.ago(plan.overdue ? rng.int(6 * day, 12 * day) : rng.int(2 * hour, 4 * day + 12 * hour));
      else if (plan.afterRfi) decidedAt = b.ago(rng.int(9 * day, 24 * day));
      else decidedAt = b.ago(rng.int(hour, 24 * day));
      reviewingAt = new Date(decidedAt.getTime() - rng.int(10 * minute, day));
      createdAt = new Date(reviewingAt.getTime() - rng.int(30 * minute, 4 * day));
      if (plan.afterRfi) {
        const at = new Date(decidedAt.getTime() + rng.int(4 * hour, 4 * day));
        const deliveredAt = new Date(at.getTime() + rng.int(2 * second, 30 * second));
        answer = { at, deliveredAt, approvedAt: new Date(deliveredAt.getTime() + rng.int(30 * minute, day)) };
      }
    }
  }

  // What the customer attached (everyone past INCOMPLETE): files, the processed attach, the desk's documents.
  const files: FinFileRow[] = [];
  const deskDocuments: Omit<Insertable<ApplicationDocumentTable>, 'application_id'>[] = [];
  if (reviewingAt) {
    const queuedAt = new Date(reviewingAt.getTime() - rng.int(1 * second, 5 * second));
    const uploadedAt = new Date(Math.max(createdAt.getTime() + minute, queuedAt.getTime() - rng.int(10 * second, 6 * hour)));
    const uploader = b.analyst(rng);
    const file = (type: 'PASSPORT' | 'ID_FRONT' | 'ID_BACK' | 'ADDRESS_VERIFICATION', originalName: string, details: Record<string, string>) => {
      const extension = originalName.endsWith('.pdf') ? 'pdf' : originalName.endsWith('.png') ? 'png' : 'jpg';
      const contentType = extension === 'pdf' ? 'application/pdf' : extension === 'png' ? 'image/png' : 'image/jpeg';
      const uri = finFileUri(randomName(rng), uploadedAt, extension);
      const row: FinFileRow = {
        uri,
        customer_id: customerId,
        field_name: 'file1',
        original_name: originalName,
        content_type: contentType,
        size_bytes: rng.int(120_000, 2_400_000),
        sha256: randomHex(rng, 64),
        created_at: uploadedAt,
      };
      files.push(row);
      deskDocuments.push({
        id: rng.uuid(),
        type,
        status: 'UPLOADED',
        content_type: contentType,
        size_bytes: row.size_bytes,
        sha256: row.sha256,
        uploaded_by: uploader,
        provider_document_id: uri,
        file_name: originalName,
        details: JSON.stringify(details),
        created_at: uploadedAt,
        updated_at: uploadedAt,
      });
      return uri;
    };
    const number = identity === 'PASSPORT' ? `${rng.int(5, 9)}${rng.digits(8)}` : `D${rng.digits(7)}`;
    const expiry = dateAfter(now, rng.int(2, 8), rng);
    const details = { number, issuingCountry: 'USA', expiresOn: expiry };
    const identifying: FinAttachDocuments['identifying_documents'] =
      identity === 'PASSPORT'
        ? [{ type: 'PASSPORT', number, country: 'USA', expiry_date: expiry, files: [{ uri: file('PASSPORT', 'passport.pdf', details), side: 'FRONT' }] }]
        : [
            {
              type: 'NATIONAL_ID',
              number,
              country: 'USA',
              expiry_date: expiry,
              files: [
                { uri: file('ID_FRONT', 'id-front.jpg', details), side: 'FRONT' },
                { uri: file('ID_BACK', 'id-back.jpg', {}), side: 'BACK' },
              ],
            },
          ];
    const bill = file('ADDRESS_VERIFICATION', rng.pick(['utility-bill.pdf', 'electricity-bill.pdf', 'water-bill.png']), {});
    const attach: FinAttachDocuments = { identifying_documents: identifying, address_documents: [{ type: 'UTILITY_BILL', country: 'USA', files: [{ uri: bill }] }] };
    b.demo.fin.attachments.push(finProcessedAttachment({ id: rng.uuid(), customerId, documents: attach, queuedAt, processedAt: reviewingAt }));
  }

  // The sandbox's customer, and the RFIs it raised.
  const outcome = finDemoReview(email, 0, identity);
  const state: FinCustomerState = {
    id: customerId,
    status: plan.status,
    applicant,
    financialProfile,
    tosPoliciesValue,
    reviewsDecided: 0,
    requiredActions: null,
    rejectionReason: null,
    decisionDueAt: null,
    createdAt,
    updatedAt: answer?.approvedAt ?? decidedAt ?? reviewingAt ?? createdAt,
  };
  let row: FinCustomerRow;
  let openRfi: FinRfiRow | undefined;
  let held: { row: FinCustomerRow; rfi: FinRfiRow } | null = null;
  switch (plan.status) {
    case 'INCOMPLETE':
      row = finCustomerRow(state);
      break;
    case 'REVIEWING':
      row = finCustomerRow({ ...state, decisionDueAt: new Date(now.getTime() + rng.int(10, 360) * minute) });
      break;
    case 'ACTION_REQUIRED':
      if (outcome.status !== 'ACTION_REQUIRED') throw new Error('an ACTION_REQUIRED demo customer needs +action_required');
      row = finCustomerRow({ ...state, reviewsDecided: 1, requiredActions: outcome.actions });
      break;
    case 'REJECTED':
      if (outcome.status !== 'REJECTED') throw new Error('a REJECTED demo customer needs +rejected');
      row = finCustomerRow({ ...state, reviewsDecided: 1, rejectionReason: outcome.reason });
      break;
    case 'ON_HOLD':
    case 'APPROVED': {
      if (plan.status === 'APPROVED' && !plan.afterRfi) {
        row = finCustomerRow({ ...state, reviewsDecided: 1 });
        break;
      }
      if (outcome.status !== 'ON_HOLD' || !decidedAt) throw new Error('an ON_HOLD demo customer needs +on_hold');
      const rfi = finRfiRow({ id: rng.uuid(), customerId, sections: outcome.sections, createdAt: decidedAt, answer: null });
      const heldRow = finCustomerRow({ ...state, status: 'ON_HOLD', reviewsDecided: 1, updatedAt: decidedAt });
      held = { row: heldRow, rfi };
      if (plan.status === 'ON_HOLD') {
        row = heldRow;
        openRfi = rfi;
        b.demo.fin.rfis.push(rfi);
      } else {
        row = finCustomerRow({ ...state, reviewsDecided: 2 });
      }
      break;
    }
  }

  const snapshot = finCustomerToSnapshot(customerRowToFin(row, openRfi));
  const events: Event[] = [{ to: 'INCOMPLETE', at: createdAt, source: 'provider_response' }];
  if (reviewingAt) events.push({ to: 'REVIEWING', at: reviewingAt, source: 'provider_webhook' });
  if (decidedAt) {
    const to = plan.afterRfi || plan.status === 'ON_HOLD' ? 'ON_HOLD' : plan.status;
    events.push({ to, at: decidedAt, source: 'provider_webhook', reason: to === 'REJECTED' ? row.rejection_reason : null });
  }
  if (answer) {
    events.push({ to: 'REVIEWING', at: answer.deliveredAt, source: 'provider_response' });
    events.push({ to: 'APPROVED', at: answer.approvedAt, source: 'provider_webhook' });
  }
  const { applicationId, assigneeId } = b.addCase({ rng, provider: 'fin', person, email, snapshot, events });
  for (const document of deskDocuments) b.demo.documents.push({ ...document, application_id: applicationId });

  const rfiAssignee = assigneeId ?? b.analyst(rng, 0.4);
  if (snapshot.rfi) b.addProviderRfi({ rng, applicationId, rfi: snapshot.rfi, assigneeId: rfiAssignee, closedAt: null });

  if (held && answer) {
    // Answered at the desk, delivered, and closed when Fin.com moved on.
    const asked = finCustomerToSnapshot(customerRowToFin(held.row, held.rfi)).rfi;
    if (!asked) throw new Error('an ON_HOLD customer shows its RFI');
    const { id: rfiId } = b.addProviderRfi({ rng, applicationId, rfi: asked, assigneeId: rfiAssignee, closedAt: answer.deliveredAt });
    const fields: Record<string, string> = {};
    for (const item of asked.items) if (item.kind === 'field') fields[item.key] = answerValue(item.key, person, rng, now);
    const documentItems = asked.items.filter((i) => i.kind === 'document');
    const answeredBy = b.analyst(rng);
    const stored = b.addAnswer({
      rng,
      rfiId,
      text: null,
      fields,
      files: documentItems.map((item) => ({
        itemKey: item.key,
        fileName: `${item.label.toLowerCase().replace(/[^a-z]+/g, '-')}.pdf`,
        contentType: 'application/pdf',
        bytes: demoPdf([`${item.label}`, `${person.firstName} ${person.lastName}`, `Document no. ${rng.int(5, 9)}${rng.digits(8)}`, 'Compliance Desk demo file']),
      })),
      answeredBy,
      answeredAt: answer.at,
    });
    b.addDeliveredAnswer(rng, applicationId, stored.id, answeredBy, answer.at, answer.deliveredAt);

    // At the sandbox: the answer's files were uploaded, the answer stored, the fields written.
    const sandboxAnswer: FinRfiAnswer = { fields: {}, documents: [] };
    for (const section of held.rfi.sections) {
      for (const f of section.fields) {
        const key = `${section.section}.${f.field}`;
        sandboxAnswer.fields[key] = fields[key] ?? '';
      }
      for (const d of section.documents) {
        const key = `${section.section}.${d.document_type}`;
        const index = stored.documents.findIndex((sent) => sent.itemKey === key);
        const sent = stored.documents[index];
        if (!sent) continue;
        const uri = finFileUri(randomName(rng), answer.at, 'pdf');
        files.push({
          uri,
          customer_id: customerId,
          field_name: `file${index + 1}`,
          original_name: `rfi-${index + 1}.pdf`,
          content_type: 'application/pdf',
          size_bytes: sent.size,
          sha256: sent.sha256,
          created_at: new Date(answer.at.getTime() + second),
        });
        const expiry = fields[`${key}.expiry_date`];
        sandboxAnswer.documents.push({ type: d.document_type, ...(expiry !== undefined && { expiry_date: expiry }), files: [{ uri }] });
      }
    }
    b.demo.fin.rfis.push({ ...held.rfi, status: 'ANSWERED', answer: sandboxAnswer, answered_at: answer.deliveredAt });
    const phone = sandboxAnswer.fields['basic_info.phone'];
    const description = sandboxAnswer.fields['financial_profile.source_of_funds_description'];
    row = {
      ...row,
      basic_info: phone ? { ...row.basic_info, phone } : row.basic_info,
      financial_profile: description ? { ...row.financial_profile, source_of_funds_description: description } : row.financial_profile,
    };
  }
  b.demo.fin.files.push(...files);
  b.demo.fin.customers.push(row);
}

// ----- generic KYC -----

type KycPlan = { status: KycStatus; overdue: boolean; proofOfAddress: boolean; answered: boolean };

function kycCase(b: Builder, index: number, plan: KycPlan): void {
  const { now } = b.ctx;
  const rng = b.rngFor('kyc', index);
  const person = makePerson(rng, now);
  const data = kycDemoData(person, rng.pick(kycDemoProfiles));
  const asked = kycDemoRequirements(person.email, data, plan.proofOfAddress);
  const id = kycCustomerId(randomHex(rng, 24));

  let createdAt: Date;
  let submittedAt: Date | null = null;
  let decidedAt: Date | null = null;
  let resolved: { at: Date; submittedAt: Date; activeAt: Date } | null = null;
  switch (plan.status) {
    case 'CREATED':
      createdAt = b.ago(rng.int(hour, 30 * day));
      break;
    case 'UNDER_REVIEW':
      submittedAt = b.ago(rng.int(5 * minute, 8 * hour));
      createdAt = new Date(submittedAt.getTime() - rng.int(1 * second, 5 * second));
      break;
    default: {
      if (plan.status === 'NEEDS_ADDITIONAL_INFORMATION') decidedAt = b.ago(plan.overdue ? rng.int(6 * day, 12 * day) : rng.int(2 * hour, 4 * day + 12 * hour));
      else if (plan.status === 'ACTIVE') decidedAt = b.ago(rng.int(8 * day, 24 * day));
      else decidedAt = b.ago(rng.int(hour, 24 * day));
      submittedAt = new Date(decidedAt.getTime() - rng.int(2 * minute, 6 * hour));
      createdAt = new Date(submittedAt.getTime() - rng.int(1 * second, 5 * second));
      if (plan.status === 'ACTIVE') {
        const at = new Date(decidedAt.getTime() + rng.int(3 * hour, 4 * day));
        const resubmittedAt = new Date(at.getTime() + rng.int(2 * second, 20 * second));
        resolved = { at, submittedAt: resubmittedAt, activeAt: new Date(resubmittedAt.getTime() + rng.int(5 * minute, 20 * hour)) };
      }
    }
  }

  const state: KycCustomerState = {
    id,
    status: plan.status,
    applicant: person,
    data,
    documents: [],
    requiredFields: asked.requiredFields,
    requiredDocuments: asked.requiredDocuments,
    rejectionReason: null,
    rfiCount: 0,
    reviewRound: submittedAt ? 1 : 0,
    reviewDueAt: null,
    createdAt,
    updatedAt: resolved?.activeAt ?? decidedAt ?? submittedAt ?? createdAt,
  };
  let row: KycCustomerRow;
  let asking: KycCustomerRow | null = null;
  switch (plan.status) {
    case 'CREATED':
      row = kycCustomerRow(state);
      break;
    case 'UNDER_REVIEW':
      row = kycCustomerRow({ ...state, reviewDueAt: new Date(now.getTime() + rng.int(10, 360) * minute) });
      break;
    case 'REJECTED':
      row = kycCustomerRow({
        ...state,
        rejectionReason: rng.pick([
          'Identity could not be verified against the national ID records provided',
          'The applicant appears on a restricted-party list',
          'Date of birth does not match the national ID records',
        ]),
      });
      break;
    case 'NEEDS_ADDITIONAL_INFORMATION':
      row = kycCustomerRow({ ...state, rfiCount: 1 });
      break;
    case 'ACTIVE':
      asking = kycCustomerRow({ ...state, status: 'NEEDS_ADDITIONAL_INFORMATION', rfiCount: 1, updatedAt: decidedAt ?? createdAt });
      row = kycCustomerRow({ ...state, rfiCount: 1, reviewRound: 2 }); // documents are added below
      break;
  }

  const snapshot = kycCustomerToSnapshot(customerRowToCustomer(row));
  const events: Event[] = [{ to: 'CREATED', at: createdAt, source: 'provider_response' }];
  if (submittedAt) events.push({ to: 'UNDER_REVIEW', at: submittedAt, source: 'provider_response' });
  if (decidedAt) {
    const to = plan.status === 'ACTIVE' ? 'NEEDS_ADDITIONAL_INFORMATION' : plan.status;
    events.push({ to, at: decidedAt, source: 'provider_webhook', reason: to === 'REJECTED' ? row.rejection_reason : null });
  }
  if (resolved) {
    events.push({ to: 'UNDER_REVIEW', at: resolved.submittedAt, source: 'provider_response' });
    events.push({ to: 'ACTIVE', at: resolved.activeAt, source: 'provider_webhook' });
  }
  const { applicationId, assigneeId } = b.addCase({ rng, provider: 'kyc', person, email: person.email, snapshot, events });
  const rfiAssignee = assigneeId ?? b.analyst(rng, 0.4);
  if (snapshot.rfi) b.addProviderRfi({ rng, applicationId, rfi: snapshot.rfi, assigneeId: rfiAssignee, closedAt: null });

  if (asking && resolved) {
    const rfi = kycCustomerToSnapshot(customerRowToCustomer(asking)).rfi;
    if (!rfi) throw new Error('a NEEDS_ADDITIONAL_INFORMATION customer shows its RFI');
    const { id: rfiId } = b.addProviderRfi({ rng, applicationId, rfi, assigneeId: rfiAssignee, closedAt: resolved.submittedAt });
    const documents: KycDocument[] = [];
    const passport = { number: `${rng.int(5, 9)}${rng.digits(8)}`, expirationDate: dateAfter(now, rng.int(2, 8), rng) };
    if (plan.answered) {
      // Answered at the desk; the PATCH carried the files as the desk's signed URLs.
      const fields: Record<string, string> = {};
      for (const item of rfi.items) if (item.kind === 'field') fields[item.key] = answerValue(item.key, person, rng, now);
      if ('GOVERNMENT_ID.number' in fields) fields['GOVERNMENT_ID.number'] = passport.number;
      if ('GOVERNMENT_ID.expirationDate' in fields) fields['GOVERNMENT_ID.expirationDate'] = passport.expirationDate;
      const answeredBy = b.analyst(rng);
      const stored = b.addAnswer({
        rng,
        rfiId,
        text: null,
        fields,
        // The provider takes images of 100 KB and more: stored PNGs of about 115 KB.
        files: rfi.items
          .filter((i) => i.kind === 'document')
          .map((item) => ({
            itemKey: item.key,
            fileName: item.key === 'GOVERNMENT_ID' ? 'passport.png' : 'utility-bill.png',
            contentType: 'image/png',
            bytes: demoPng(240, 160, item.key === 'GOVERNMENT_ID' ? [rng.int(70, 110), rng.int(100, 140), 200] : [210, rng.int(170, 200), rng.int(130, 160)], true),
          })),
        answeredBy,
        answeredAt: resolved.at,
      });
      b.addDeliveredAnswer(rng, applicationId, stored.id, answeredBy, resolved.at, resolved.submittedAt);
      for (const sent of stored.documents) {
        const url = `https://desk.example/files/rfi-answer.${sent.id}`;
        if (sent.itemKey === 'GOVERNMENT_ID') documents.push({ type: 'PASSPORT', ...passport, issuingCountry: 'US', frontImageUrl: url });
        else documents.push({ type: 'UTILITY_BILL', issueDate: fields['PROOF_OF_ADDRESS.issueDate'] ?? answerValue('PROOF_OF_ADDRESS.issueDate', person, rng, now), frontImageUrl: url });
      }
    } else {
      // Resolved by a passport uploaded at the desk and resubmitted; the RFI closed unanswered.
      const documentId = rng.uuid();
      const uploadedAt = new Date(resolved.at.getTime() - rng.int(minute, 2 * hour));
      b.demo.documents.push({
        id: documentId,
        application_id: applicationId,
        type: 'PASSPORT',
        status: 'UPLOADED',
        content_type: 'image/jpeg',
        size_bytes: rng.int(180_000, 3_200_000),
        sha256: randomHex(rng, 64),
        uploaded_by: b.analyst(rng),
        provider_document_id: `desk-file:${documentId}`,
        file_name: 'passport.jpg',
        details: JSON.stringify({ number: passport.number, issuingCountry: 'USA', expiresOn: passport.expirationDate }),
        created_at: uploadedAt,
        updated_at: uploadedAt,
      });
      documents.push({ type: 'PASSPORT', ...passport, issuingCountry: 'US', frontImageUrl: `https://desk.example/files/document.${documentId}` });
    }
    row = { ...row, kyc_data: { ...row.kyc_data, documents } };
  }
  b.demo.kyc.push(row);
}

// ----- internal RFIs on Jiko cases -----

type Template = {
  title: string;
  items: { kind: 'field' | 'document' | 'text'; key: string; label: string; note?: string }[];
  text: string;
  fields: Record<string, string>;
};

const internalTemplates: readonly Template[] = [
  {
    title: 'Source of funds for the initial deposit',
    items: [
      { kind: 'field', key: 'employer', label: 'Current employer' },
      { kind: 'document', key: 'PAYSLIP', label: 'A recent payslip', note: 'From the last two months' },
      { kind: 'text', key: 'explanation', label: 'Where does the initial deposit come from?' },
    ],
    text: 'Savings from salary over the last two years; the payslip shows the monthly net pay.',
    fields: { employer: 'Northwind Logistics' },
  },
  {
    title: 'Confirm the residential address',
    items: [
      { kind: 'document', key: 'ADDRESS_PROOF', label: 'A utility bill or bank statement from the last 90 days' },
      { kind: 'text', key: 'moved', label: 'Has the applicant moved in the last twelve months?' },
    ],
    text: 'No move in the last year; the bill is from last month.',
    fields: {},
  },
  {
    title: 'Name differs from the ID document',
    items: [
      { kind: 'text', key: 'name_change', label: 'Explain the difference between the name given and the name on the ID' },
      { kind: 'document', key: 'NAME_CHANGE_PROOF', label: 'Marriage certificate or court order' },
    ],
    text: 'The applicant took their spouse\u2019s name; the marriage certificate is attached.',
    fields: {},
  },
  {
    title: 'Occupation and expected activity',
    items: [
      { kind: 'field', key: 'occupation', label: 'Occupation' },
      { kind: 'field', key: 'monthly_volume', label: 'Expected monthly volume (USD)' },
      { kind: 'text', key: 'purpose', label: 'What will the account be used for?' },
    ],
    text: 'Long-term savings and occasional transfers to family.',
    fields: { occupation: 'Physical therapist', monthly_volume: '4000' },
  },
  {
    title: 'Politically exposed person check',
    items: [{ kind: 'text', key: 'pep', label: 'Does the applicant or a close family member hold public office?', note: 'Include past roles within five years' }],
    text: 'Neither the applicant nor any close family member holds or held public office.',
    fields: {},
  },
];

function internalRfis(b: Builder): void {
  const { now, perProvider, jikoCases } = b.ctx;
  const rng = b.rngFor('internal', 0);
  const wanted: { status: RfiStatus; overdue: boolean }[] = [];
  const open = Math.max(2, Math.round(perProvider * 0.15));
  for (let i = 0; i < open; i++) wanted.push({ status: 'open', overdue: i % 3 === 0 });
  for (let i = 0; i < Math.max(1, Math.round(perProvider * 0.1)); i++) wanted.push({ status: 'answered', overdue: false });
  for (let i = 0; i < Math.max(1, Math.round(perProvider * 0.075)); i++) wanted.push({ status: 'closed', overdue: false });
  // One RFI per case, on the oldest open cases (room for RFIs raised a while ago).
  const cases = shuffled(jikoCases.slice(0, Math.max(wanted.length * 3, 1)), rng).slice(0, wanted.length);
  cases.forEach((app, i) => {
    const want = wanted[i];
    if (!want) return;
    const template = rng.pick(internalTemplates);
    const earliest = app.created_at.getTime() + hour;
    let createdAt: Date;
    let dueAt: Date;
    if (want.status === 'open') {
      createdAt = new Date(Math.max(earliest, b.ago(want.overdue ? rng.int(6 * day, 12 * day) : rng.int(2 * hour, 4 * day)).getTime()));
      dueAt = want.overdue ? new Date(createdAt.getTime() + rng.int(3, 5) * day) : new Date(now.getTime() + rng.int(1 * day, 6 * day));
    } else {
      createdAt = new Date(Math.max(earliest, b.ago(rng.int(4 * day, 20 * day)).getTime()));
      dueAt = new Date(createdAt.getTime() + rng.int(5, 10) * day);
    }
    const answeredAt = new Date(Math.min(now.getTime() - hour, createdAt.getTime() + rng.int(6 * hour, 3 * day)));
    const closedAt = want.status === 'closed' ? new Date(Math.min(now.getTime() - minute, answeredAt.getTime() + rng.int(hour, day))) : null;
    const raisedBy = b.analyst(rng);
    const id = rng.uuid();
    b.demo.rfis.push({
      id,
      application_id: app.id,
      origin: 'internal',
      provider_rfi_id: null,
      status: want.status,
      title: template.title,
      due_at: dueAt,
      assignee_id: rng.chance(0.7) ? (b.analyst(rng) ?? raisedBy) : null,
      raised_by: raisedBy,
      created_at: createdAt,
      updated_at: closedAt ?? (want.status === 'answered' ? answeredAt : createdAt),
      closed_at: closedAt,
    });
    template.items.forEach((item, position) =>
      b.demo.rfiItems.push({ id: rng.uuid(), rfi_id: id, position, kind: item.kind, key: item.key, label: item.label, section: null, reason: null, note: item.note ?? null }),
    );
    if (want.status === 'open') return;
    b.addAnswer({
      rng,
      rfiId: id,
      text: template.text,
      fields: template.fields,
      files: template.items
        .filter((item) => item.kind === 'document')
        .map((item, k) =>
          k % 2 === 0
            ? { itemKey: item.key, fileName: `${item.key.toLowerCase()}.pdf`, contentType: 'application/pdf', bytes: demoPdf([item.label, template.title, 'Compliance Desk demo file']) }
            : { itemKey: item.key, fileName: `${item.key.toLowerCase()}.png`, contentType: 'image/png', bytes: demoPng(64, 40, [rng.int(160, 200), 180, 170]) },
        ),
      answeredBy: b.analyst(rng),
      answeredAt,
    });
  });
}

/** Every row of the provider demo, in memory; nothing is written. */
export function generateProviderDemo(ctx: ProviderDemoContext): ProviderDemo {
  const b = new Builder(ctx);
  const order = b.rngFor('order', 0);

  const finStatuses = shuffled(allocateStatuses(finStatusMix, ctx.perProvider), order);
  let held = 0;
  let approved = 0;
  finStatuses.forEach((status, i) => {
    const overdue = status === 'ON_HOLD' && held++ % 3 === 0;
    const afterRfi = status === 'APPROVED' && approved++ % 2 === 0;
    finCase(b, i, { status, overdue, afterRfi });
  });

  const kycStatuses = shuffled(allocateStatuses(kycStatusMix, ctx.perProvider), order);
  let asking = 0;
  let active = 0;
  kycStatuses.forEach((status, i) => {
    const nth = status === 'NEEDS_ADDITIONAL_INFORMATION' ? asking++ : status === 'ACTIVE' ? active++ : 0;
    kycCase(b, i, {
      status,
      overdue: status === 'NEEDS_ADDITIONAL_INFORMATION' && nth % 3 === 0,
      // Some requests also ask for a proof of address.
      proofOfAddress: (status === 'NEEDS_ADDITIONAL_INFORMATION' || status === 'ACTIVE') && nth % 3 === 1,
      answered: status === 'ACTIVE' && nth % 5 !== 4,
    });
  });

  internalRfis(b);
  return b.demo;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

const rowsPerInsert = 500;

async function inChunks<T>(rows: readonly T[], write: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += rowsPerInsert) await write(rows.slice(i, i + rowsPerInsert));
}

/**
 * Writes the provider demo in one transaction, desk rows and sandbox rows together. Does
 * nothing (and returns zeros) when a Fin.com application exists already. Call it after
 * `seedDemoData` (its staff and open Jiko cases get RFIs) and only with the sandboxes mounted.
 */
export async function seedProviderDemo(db: Kysely<Database>, options: ProviderDemoOptions): Promise<{ fin: number; kyc: number; rfis: number }> {
  const seed = options.seed ?? 42;
  const now = options.now ?? new Date();
  const perProvider = options.perProvider ?? 40;
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('applications').select('id').where('provider', '=', 'fin').limit(1).executeTakeFirst();
    if (existing) return { fin: 0, kyc: 0, rfis: 0 };
    const staff = await trx.selectFrom('staff').select(['id', 'role']).orderBy('email').execute();
    const jikoCases = await trx
      .selectFrom('applications')
      .select(['id', 'created_at'])
      .where('provider', '=', 'jiko')
      .where('stage', 'not in', ['approved', 'rejected'])
      .orderBy('created_at')
      .orderBy('id')
      .limit(200)
      .execute();
    const demo = generateProviderDemo({ seed, now, perProvider, staff, jikoCases });

    await trx
      .insertInto('agreements')
      .values(demo.agreements)
      .onConflict((oc) => oc.columns(['provider', 'version']).doNothing())
      .execute();
    await inChunks(demo.customers, (part) => trx.insertInto('customers').values(part).execute());
    await inChunks(demo.applications, (part) => trx.insertInto('applications').values(part).execute());
    await inChunks(demo.documents, (part) => trx.insertInto('application_documents').values(part).execute());
    await inChunks(demo.history, (part) => trx.insertInto('status_history').values(part).execute());
    await inChunks(demo.rfis, (part) => trx.insertInto('rfis').values(part).execute());
    await inChunks(demo.rfiItems, (part) => trx.insertInto('rfi_items').values(part).execute());
    await inChunks(demo.rfiAnswers, (part) => trx.insertInto('rfi_answers').values(part).execute());
    await inChunks(demo.rfiAnswerDocuments, (part) => trx.insertInto('rfi_answer_documents').values(part).execute());
    await inChunks(demo.providerActions, (part) => trx.insertInto('provider_actions').values(part).execute());
    await registerFinDemoCustomers(trx, demo.fin);
    await registerKycDemoCustomers(trx, demo.kyc);
    return {
      fin: demo.applications.filter((a) => a.provider === 'fin').length,
      kyc: demo.applications.filter((a) => a.provider === 'kyc').length,
      rfis: demo.rfis.length,
    };
  });
}
