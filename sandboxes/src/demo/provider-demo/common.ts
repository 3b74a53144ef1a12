/**
 * Shared pieces of the provider demo: its types, the status mixes, the agreement versions, the
 * generated people and the small helpers the case generators use.
 */

import { createHash } from 'node:crypto';
import type {
  AgreementTable,
  ApplicationDocumentTable,
  ApplicationTable,
  ClearCustomer,
  PiiVault,
  ProviderActionTable,
  RfiAnswerDocumentTable,
  RfiAnswerTable,
  RfiItemTable,
  RfiTable,
  StatusHistoryTable,
} from '@desk/server';
import {
  type DocumentType,
  type FinStatus,
  type KycStatus,
  type Provider,
  type ProviderStatus,
  type StaffRole,
  type Stage,
  stageOf,
} from '@desk/shared';
import type { Insertable } from 'kysely';
import type { FinDemoApplicant, FinDemoRows } from '../../fin/demo-fixtures.js';
import type { KycCustomerRow } from '../../kyc/sandbox.tables.js';
import { cities, emailDomains, firstNames, lastNames, streets } from '../people.js';
import type { SeededRandom } from '../random.js';
import { type Specimen, specimenFile } from '../specimens.js';

export const second = 1000;
export const minute = 60 * second;
export const hour = 60 * minute;
export const day = 24 * hour;

export type ProviderDemoOptions = { pii: PiiVault; now?: Date; seed?: number; perProvider?: number };

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
  customers: WithId<ClearCustomer>[];
  applications: WithId<Insertable<ApplicationTable>>[];
  documents: Insertable<ApplicationDocumentTable>[];
  /** The stored files of the desk's uploaded documents: specimens, as in the Jiko demo. */
  contents: { document_id: string; bytes: Buffer }[];
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

export function shuffled<T>(items: readonly T[], rng: SeededRandom): T[] {
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
      titles.map((title) => ({
        title,
        url: `https://agreements.example/${provider}/v${version}/${title.toLowerCase().replace(/[^a-z]+/g, '-')}.pdf`,
      })),
    ),
  }));
}

// ---------------------------------------------------------------------------------------------
// People and helpers
// ---------------------------------------------------------------------------------------------

export type Person = FinDemoApplicant;

export function makePerson(rng: SeededRandom, now: Date): Person {
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

/** A specimen of `type` made out to `person` (who lives in the USA), with its size and hash. */
export function specimenOf(type: DocumentType, person: Person): Specimen & { size: number; sha256: string } {
  const specimen = specimenFile(type, { ...person, country: 'USA' });
  return {
    ...specimen,
    size: specimen.bytes.length,
    sha256: createHash('sha256').update(specimen.bytes).digest('hex'),
  };
}

/** A calendar date `years` years (and some days) after `from`. */
export function dateAfter(from: Date, years: number, rng: SeededRandom): string {
  return new Date(from.getTime() + years * 365 * day + rng.int(0, 300) * day).toISOString().slice(0, 10);
}

export function randomHex(rng: SeededRandom, length: number): string {
  return Array.from({ length }, () => rng.int(0, 15).toString(16)).join('');
}

export function randomName(rng: SeededRandom): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 8 }, () => rng.pick([...alphabet])).join('');
}

export function stageOrThrow(provider: Provider, status: ProviderStatus): Stage {
  const stage = stageOf(provider, status);
  if (!stage) throw new Error(`${provider} has no status ${status}`);
  return stage;
}

/** A value for a requested field, as an analyst would answer it. */
export function answerValue(key: string, person: Person, rng: SeededRandom, now: Date): string {
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
