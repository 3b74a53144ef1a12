/**
 * Deterministic, realistic demo data for the review queue. Every application's history is
 * produced by walking the Jiko sandbox rules (the same pure module the sandbox uses), so the
 * statuses, flags and documents are ones the provider could really produce.
 */

import { createHash } from 'node:crypto';
import type {
  AgreementTable,
  ApplicationDocumentTable,
  ApplicationTable,
  ClearCustomer,
  StaffTable,
  StatusHistoryTable,
} from '@desk/server';
import {
  type AccountStatus,
  type DocumentFlags,
  type DocumentStatus,
  type DocumentType,
  type JikoStatus,
  type StaffRole,
  type Stage,
  type StatusChangeSource,
  stageOf,
  typesClearing,
} from '@desk/shared';
import type { Insertable } from 'kysely';
import { afterUpload, applyOutcome, noFlags } from '../jiko/sandbox-rules.js';
import { cities, emailDomains, firstNames, lastNames, streets } from './people.js';
import { SeededRandom } from './random.js';
import { type SpecimenPerson, specimenFile } from './specimens.js';

const day = 24 * 60 * 60 * 1000;

export type DemoStaff = Insertable<StaffTable> & { id: string };
export type DemoBatch = {
  customers: ClearCustomer[];
  applications: Insertable<ApplicationTable>[];
  documents: Insertable<ApplicationDocumentTable>[];
  /** The stored files of documents that have a specimen (see `specimenApplications`). */
  contents: { document_id: string; bytes: Buffer }[];
  history: Insertable<StatusHistoryTable>[];
};

const staffSpecs: readonly [string, string, StaffRole][] = [
  ['Alex Morgan', 'alex.morgan', 'analyst'],
  ['Priya Raman', 'priya.raman', 'analyst'],
  ['Jordan Lee', 'jordan.lee', 'analyst'],
  ['Sam Okoye', 'sam.okoye', 'analyst'],
  ['Dana Whitfield', 'dana.whitfield', 'senior_analyst'],
  ['Chris Park', 'chris.park', 'senior_analyst'],
  ['Riley Santos', 'riley.santos', 'support'],
  ['Morgan Blake', 'morgan.blake', 'auditor'],
  ['Taylor Quinn', 'taylor.quinn', 'admin'],
];

export function demoStaff(seed: number): DemoStaff[] {
  const rng = new SeededRandom(seed ^ 0x5eed, `staff:${seed}`);
  return staffSpecs.map(([name, handle, role]) => ({
    id: rng.uuid(),
    name,
    email: `${handle}@desk.example`,
    role,
  }));
}

/** Jiko agreement versions, released over the past year and a bit. */
export function demoAgreements(now: Date): Insertable<AgreementTable>[] {
  const releases: [string, number][] = [
    ['1', 400],
    ['2', 250],
    ['3', 120],
    ['4', 45],
    ['5', 10],
  ];
  // Versions are released on a calendar date (midnight UTC), as the provider lists them.
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return releases.map(([version, daysAgo]) => ({
    provider: 'jiko',
    version,
    released_at: new Date(today - daysAgo * day),
    documents: JSON.stringify([
      { title: 'Account Agreement', url: `https://agreements.example/jiko/v${version}/account.pdf` },
      { title: 'Privacy Notice', url: `https://agreements.example/jiko/v${version}/privacy.pdf` },
    ]),
  }));
}

/** How far along its path an application has got; weights sum to 100. */
const journeys = [
  ['created', 6],
  ['submitted', 8],
  ['documents_needed', 26],
  ['pending', 8],
  ['reapplied', 14],
  ['direct', 26],
  ['manual_resolved', 12],
] as const;
type Journey = (typeof journeys)[number][0];

function pickJourney(rng: SeededRandom): Journey {
  let roll = rng.int(0, 99);
  for (const [journey, weight] of journeys) {
    if (roll < weight) return journey;
    roll -= weight;
  }
  return 'direct';
}

/** An identification number whose prefix steers the sandbox down the wanted path. */
function identificationNumberFor(journey: Journey, rng: SeededRandom): string {
  switch (journey) {
    case 'created':
    case 'submitted':
      return rng.pick(['2', '3', '4', '5', '6', '7']) + rng.digits(8);
    case 'documents_needed':
    case 'pending':
    case 'reapplied':
      // 21–24 pick the flags; 20/25–29 raise all three. Third digit 1 → manual review later.
      return `2${rng.pick(['0', '1', '2', '3', '4', '4', '1', '2', '3', '6'])}${rng.pick(['1', '0', '5', '8'])}${rng.digits(6)}`;
    case 'direct':
      return rng.pick(['3', '4', '4', '4', '5', '6', '8', '9', '1']) + rng.digits(8);
    case 'manual_resolved':
      return rng.pick(['3', '7', '0']) + rng.digits(8);
  }
}

type Event = { to: JikoStatus; source: StatusChangeSource; reason: string | null };

/** An approved Jiko customer's account: mostly open, now and then frozen, closed or pending. */
function demoAccountStatus(applicationId: string): AccountStatus {
  const n = Number.parseInt(applicationId.slice(0, 2), 16) % 20;
  return n === 0 ? 'FROZEN' : n === 1 ? 'CLOSED' : n === 2 ? 'PENDING' : 'OPEN';
}

class ApplicationWalk {
  status: JikoStatus | null = null;
  flags: DocumentFlags = noFlags;
  readonly events: Event[] = [];
  uploaded: DocumentType[] = [];

  move(to: JikoStatus, source: StatusChangeSource, reason: string | null = null): void {
    if (to === this.status) return;
    this.events.push({ to, source, reason });
    this.status = to;
  }
}

export type DemoContext = {
  seed: number;
  now: Date;
  staff: DemoStaff[];
  agreements: Insertable<AgreementTable>[];
  /** Oldest application age in days. */
  maxAgeDays?: number;
  /**
   * How many applications (the first, by index) store a specimen file for each uploaded
   * document, so the document viewer has something to show; later ones keep the metadata only.
   */
  specimenApplications?: number;
};

/** The default of `DemoContext.specimenApplications`: every case of a demo-sized database. */
export const defaultSpecimenApplications = 1000;

export function generateBatch(ctx: DemoContext, from: number, count: number): DemoBatch {
  const batch: DemoBatch = { customers: [], applications: [], documents: [], contents: [], history: [] };
  for (let i = from; i < from + count; i++) addApplication(ctx, i, batch);
  return batch;
}

function addApplication(ctx: DemoContext, index: number, batch: DemoBatch): void {
  // One generator per application: application N is the same whatever the batch size.
  const rng = new SeededRandom(
    Math.imul(ctx.seed + 1, 2654435761) ^ Math.imul(index + 1, 40503),
    `application:${ctx.seed}:${index}`,
  );
  const analysts = ctx.staff.filter((s) => s.role === 'analyst' || s.role === 'senior_analyst');
  const first = rng.pick(firstNames);
  const last = rng.pick(lastNames);
  const place = rng.pick(cities);
  const journey = pickJourney(rng);
  const identificationNumber = identificationNumberFor(journey, rng);
  const customerId = rng.uuid();

  const customer: ClearCustomer = {
    id: customerId,
    first_name: first,
    last_name: last,
    email: `${first}.${last}${rng.int(1, 999)}@${rng.pick(emailDomains)}`.toLowerCase(),
    phone: `+1${place.area}555${rng.digits(4)}`,
    date_of_birth: `${rng.int(1945, 2005)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
    street: `${rng.int(10, 9999)} ${rng.pick(streets)}`,
    city: place.city,
    postal_code: `${place.zip}${rng.digits(2)}`,
    state: place.state,
    country: 'USA',
    identificationNumber,
  };
  batch.customers.push(customer);

  // Ages skew young: most of a queue is recent, a long tail is old.
  const maxAge = (ctx.maxAgeDays ?? 60) * day;
  const createdAt = new Date(ctx.now.getTime() - Math.floor(maxAge * rng.next() ** 2) - rng.int(60_000, 3_600_000));
  const consentedAt = new Date(createdAt.getTime() - rng.int(30_000, 20 * 60_000));
  const released = ctx.agreements
    .filter((a) => new Date(a.released_at).getTime() <= consentedAt.getTime())
    .map((a) => a.version);
  const latest = released.at(-1) ?? '1';
  // Now and then an applicant consented to a version that was no longer the latest.
  const agreementVersion = released.length > 1 && rng.chance(0.12) ? (released.at(-2) ?? latest) : latest;

  const walk = new ApplicationWalk();
  const docs: { type: DocumentType; status: DocumentStatus; byStaff: boolean }[] = [];
  walk.move('CREATED', 'import');

  const apply = (source: StatusChangeSource) => {
    if (!walk.status) return;
    const outcome = applyOutcome(identificationNumber, walk.status);
    if (!outcome.ok) return;
    walk.move('SUBMITTED', 'provider_response');
    walk.move(outcome.status, source);
    walk.flags = outcome.flags;
    if (outcome.status === 'DOCUMENTS_NEEDED') {
      for (const type of typesClearing(outcome.flags).filter((t) => t !== 'PASSPORT')) {
        docs.push({ type, status: 'PENDING_UPLOAD', byStaff: false });
      }
    }
  };
  const upload = (type: DocumentType, byStaff: boolean) => {
    const pending = docs.find((d) => d.type === type && d.status === 'PENDING_UPLOAD');
    if (pending) {
      pending.status = 'UPLOADED';
      pending.byStaff = byStaff;
    } else docs.push({ type, status: 'UPLOADED', byStaff });
    walk.uploaded.push(type);
    if (!walk.status) return;
    const next = afterUpload(walk.status, walk.flags, walk.uploaded);
    walk.flags = next.flags;
    walk.move(next.status, 'provider_webhook');
  };
  const uploadAllNeeded = () => {
    for (const type of typesClearing(walk.flags)) {
      if (type === 'PASSPORT' || (type === 'SELFIE' && rng.chance(0.3))) continue;
      upload(type, rng.chance(0.4));
    }
    if (walk.flags.idVerification) upload('PASSPORT', rng.chance(0.4));
  };

  if (journey !== 'created') apply('provider_webhook');
  if (journey === 'submitted') {
    // Still with the provider: undo the outcome, keep SUBMITTED.
    walk.events.splice(2);
    walk.status = 'SUBMITTED';
    walk.flags = noFlags;
    docs.length = 0;
  }
  if (journey === 'documents_needed') {
    // Part-way: some documents in, one perhaps rejected by the provider.
    const needed = typesClearing(walk.flags).filter((t) => t !== 'PASSPORT');
    const uploadCount = rng.int(0, Math.max(0, needed.length - 1));
    for (const type of needed.slice(0, uploadCount)) upload(type, rng.chance(0.5));
    const uploadedDoc = docs.find((d) => d.status === 'UPLOADED');
    if (uploadedDoc && rng.chance(0.25)) {
      // A rejected file does not count; the provider asks for it again.
      uploadedDoc.status = 'REJECTED';
      walk.uploaded = walk.uploaded.filter((t) => t !== uploadedDoc.type);
      const recomputed = applyOutcome(identificationNumber, 'CREATED');
      if (recomputed.ok) walk.flags = afterUpload('DOCUMENTS_NEEDED', recomputed.flags, walk.uploaded).flags;
      docs.push({ type: uploadedDoc.type, status: 'PENDING_UPLOAD', byStaff: false });
    }
  }
  if (journey === 'pending' || journey === 'reapplied') uploadAllNeeded();
  if (journey === 'reapplied') apply('provider_webhook');
  if (journey === 'manual_resolved' && walk.status === 'MANUAL_REVIEW') {
    const approved = rng.chance(0.5);
    walk.move(
      approved ? 'APPROVED' : 'REJECTED',
      'provider_webhook',
      approved ? null : 'Identity could not be verified',
    );
  }
  if (walk.status === 'APPROVED') for (const d of docs) if (d.status === 'UPLOADED') d.status = 'ACCEPTED';

  const status = walk.status ?? 'CREATED';
  const stage = stageOf('jiko', status) ?? 'intake';
  const applicationId = rng.uuid();

  // Spread the events between creation and now, in order.
  const span = ctx.now.getTime() - createdAt.getTime();
  const times = walk.events.map((_, k) =>
    k === 0
      ? createdAt
      : new Date(createdAt.getTime() + Math.floor((span * (k + rng.next() * 0.5)) / (walk.events.length + 1))),
  );
  let previous: { status: JikoStatus; stage: Stage } | null = null;
  let stageEnteredAt = createdAt;
  walk.events.forEach((event, k) => {
    const toStage = stageOf('jiko', event.to) ?? 'intake';
    if (toStage !== previous?.stage) stageEnteredAt = times[k] ?? createdAt;
    batch.history.push({
      application_id: applicationId,
      from_status: previous?.status ?? null,
      to_status: event.to,
      from_stage: previous?.stage ?? null,
      to_stage: toStage,
      at: times[k] ?? createdAt,
      source: event.source,
      actor_id: null,
      reason: event.reason,
    });
    previous = { status: event.to, stage: toStage };
  });
  const updatedAt = times.at(-1) ?? createdAt;
  const open = stage !== 'approved' && stage !== 'rejected';
  const assignee = open && analysts.length > 0 && rng.chance(0.35) ? rng.pick(analysts).id : null;

  batch.applications.push({
    id: applicationId,
    customer_id: customerId,
    provider: 'jiko',
    provider_application_id: rng.uuid(),
    provider_status: status,
    stage,
    flag_id_verification: walk.flags.idVerification,
    flag_identification_number_verification: walk.flags.identificationNumberVerification,
    flag_address_verification: walk.flags.addressVerification,
    agreement_version: agreementVersion,
    consented_at: consentedAt,
    provider_customer_id: status === 'APPROVED' ? rng.uuid() : null,
    assignee_id: assignee,
    claimed_at: assignee ? updatedAt : null,
    stage_entered_at: stageEnteredAt,
    account_status: status === 'APPROVED' ? demoAccountStatus(applicationId) : null,
    created_at: createdAt,
    updated_at: updatedAt,
  });

  const uploaders = ctx.staff.filter((s) => s.role === 'analyst');
  const withSpecimens = index < (ctx.specimenApplications ?? defaultSpecimenApplications);
  const person: SpecimenPerson = {
    firstName: first,
    lastName: last,
    dateOfBirth: customer.date_of_birth,
    street: customer.street,
    city: customer.city,
    postalCode: customer.postal_code,
    country: customer.country,
  };
  // Files arrived between the request and the last change of the case.
  const uploadedAt = new Date(createdAt.getTime() + Math.floor((updatedAt.getTime() - createdAt.getTime()) / 2));
  for (const doc of docs) {
    const hasFile = doc.status !== 'PENDING_UPLOAD';
    const contentType = rng.pick(['image/png', 'image/jpeg', 'application/pdf']);
    const row: Insertable<ApplicationDocumentTable> = {
      application_id: applicationId,
      type: doc.type,
      status: doc.status,
      content_type: hasFile ? contentType : null,
      size_bytes: hasFile ? rng.int(80_000, 4_800_000) : null,
      sha256: hasFile ? Array.from({ length: 64 }, () => rng.int(0, 15).toString(16)).join('') : null,
      uploaded_by: hasFile && doc.byStaff && uploaders.length > 0 ? rng.pick(uploaders).id : null,
      uploaded_at: hasFile ? uploadedAt : null,
      provider_document_id: rng.uuid(),
      created_at: createdAt,
      updated_at: updatedAt,
    };
    if (hasFile && withSpecimens) {
      const specimen = specimenFile(doc.type, person);
      const id = rng.uuid();
      Object.assign(row, {
        id,
        content_type: specimen.contentType,
        size_bytes: specimen.bytes.length,
        sha256: createHash('sha256').update(specimen.bytes).digest('hex'),
        file_name: specimen.fileName,
      });
      batch.contents.push({ document_id: id, bytes: specimen.bytes });
    }
    batch.documents.push(row);
  }
}
