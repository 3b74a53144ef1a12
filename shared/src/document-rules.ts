/**
 * Each provider's document rules, as its guide states them: which of the desk's document types
 * it takes (the file rules, and the details each type must come with), and, for each document
 * flag it raises, the requirements that clear it. One table per provider: the adapters build
 * their requests and refusals from it, the server holds every upload to it and builds the
 * case's checklist from it, and the upload form asks for and checks exactly what it says.
 *
 *   Jiko      ("Uploading Documents") every type; PNG, JPEG or PDF under 5 MB; no details.
 *             idVerification: ID front, ID back, and a selfie or a passport;
 *             identificationNumberVerification and addressVerification: their one type each.
 *   Fin.com   (V2 "Document Upload & Attachment") PDF, JPEG or PNG up to 10 MB; a passport, or
 *             an ID card's front and back (NATIONAL_ID), with its number, issuing country and
 *             an expiry date in the future (the front carries them); an optional selfie; one
 *             address document. Fin.com raises no identification-number flag.
 *   KYC       (the generic provider's "Document requirements") JPG, PNG or PDF of 100 KB to
 *             10 MB; a government-issued photo ID — a passport, or an ID card's front (its
 *             back where it has one) — with number, issuing country and an expiry date not in
 *             the past; a proof of address with its issue date, not in the future.
 *
 * A requirement is met by any one of its options; an option needs every one of its types
 * (Fin.com's identity check: a passport, or ID front + ID back).
 */
import type { z } from 'zod';
import {
  clearingDocumentStatuses,
  type DocumentFileRules,
  type DocumentFlag,
  type DocumentFlags,
  type DocumentStatus,
  type DocumentType,
  documentFlags,
  documentTypeLabels,
  documentTypes,
  flagRequirements,
} from './documents.js';
import { alpha3CountrySchema, documentNumberSchema, todayUtc } from './field-formats.js';
import { calendarDateSchema } from './instants.js';
import { type Provider, providerLabels } from './providers.js';

/** Details a document may have to come with, in the order the upload form asks for them. */
export const documentDetailKeys = ['number', 'issuingCountry', 'issueDate', 'expiresOn'] as const;
export type DocumentDetailKey = (typeof documentDetailKeys)[number];
export const documentDetailLabels: Record<DocumentDetailKey, string> = {
  number: 'Document number',
  issuingCountry: 'Issuing country (ISO alpha-3)',
  issueDate: 'Issue date',
  expiresOn: 'Expiry date',
};
/** A document's details by key, as sent with an upload (YYYY-MM-DD dates, alpha-3 country). */
export type DocumentDetails = Partial<Record<DocumentDetailKey, string>>;

/** Each detail's format, whatever the provider (the upload's multipart fields are parsed with these). */
export const documentDetailSchemas = {
  number: documentNumberSchema,
  issuingCountry: alpha3CountrySchema,
  issueDate: calendarDateSchema,
  expiresOn: calendarDateSchema,
} as const satisfies Record<DocumentDetailKey, z.ZodType<string, string>>;

/** What a provider takes as one document type: its file rules and the details it must come with. */
export type DocumentTypeRules = DocumentFileRules & { readonly details: readonly DocumentDetailKey[] };

/** Any one option meets the requirement; an option needs every one of its types. */
export type DocumentRequirement = readonly (readonly DocumentType[])[];

/**
 * How a provider dates an identity document's expiry: `future` (after today: Jiko, Fin.com) or
 * `not_past` (today or later: the generic provider). Days are UTC days.
 */
export const expiryRules = ['future', 'not_past'] as const;
export type ExpiryRule = (typeof expiryRules)[number];

export type ProviderDocumentRules = {
  /** The types the provider takes; a type absent here is refused. */
  readonly types: Partial<Record<DocumentType, DocumentTypeRules>>;
  /** The flags the provider raises, each with its requirements (every one must be met). */
  readonly flags: Partial<Record<DocumentFlag, readonly DocumentRequirement[]>>;
  readonly expiry: ExpiryRule;
};

const mb = 1024 * 1024;
const identityDetails = ['number', 'issuingCountry', 'expiresOn'] as const satisfies readonly DocumentDetailKey[];

function typesWith(
  types: readonly DocumentType[],
  file: DocumentFileRules,
  details: Partial<Record<DocumentType, readonly DocumentDetailKey[]>> = {},
): Partial<Record<DocumentType, DocumentTypeRules>> {
  const out: Partial<Record<DocumentType, DocumentTypeRules>> = {};
  for (const type of types) out[type] = { ...file, details: details[type] ?? [] };
  return out;
}

/** Jiko's flags as the documents module has them: each alternative type is an option of its own. */
function jikoFlags(): Partial<Record<DocumentFlag, readonly DocumentRequirement[]>> {
  const out: Partial<Record<DocumentFlag, readonly DocumentRequirement[]>> = {};
  for (const flag of documentFlags) out[flag] = flagRequirements[flag].map((anyOf) => anyOf.map((type) => [type]));
  return out;
}

export const providerDocumentRules: Record<Provider, ProviderDocumentRules> = {
  jiko: {
    types: typesWith(documentTypes, {
      contentTypes: ['image/png', 'image/jpeg', 'application/pdf'],
      minBytes: 1,
      maxBytes: 5 * mb,
    }),
    flags: jikoFlags(),
    expiry: 'future',
  },
  fin: {
    types: typesWith(
      ['PASSPORT', 'ID_FRONT', 'ID_BACK', 'SELFIE', 'ADDRESS_VERIFICATION'],
      { contentTypes: ['application/pdf', 'image/jpeg', 'image/png'], minBytes: 1, maxBytes: 10 * mb },
      { PASSPORT: identityDetails, ID_FRONT: identityDetails },
    ),
    flags: {
      idVerification: [[['PASSPORT'], ['ID_FRONT', 'ID_BACK']]],
      addressVerification: [[['ADDRESS_VERIFICATION']]],
    },
    expiry: 'future',
  },
  kyc: {
    types: typesWith(
      ['PASSPORT', 'ID_FRONT', 'ID_BACK', 'ADDRESS_VERIFICATION'],
      { contentTypes: ['image/jpeg', 'image/png', 'application/pdf'], minBytes: 100 * 1024, maxBytes: 10 * mb },
      { PASSPORT: identityDetails, ID_FRONT: identityDetails, ADDRESS_VERIFICATION: ['issueDate'] },
    ),
    flags: {
      idVerification: [[['PASSPORT'], ['ID_FRONT']]],
      addressVerification: [[['ADDRESS_VERIFICATION']]],
    },
    expiry: 'not_past',
  },
};

/** The provider's rules for one type; null when it does not take the type. */
export function documentTypeRulesOf(provider: Provider, type: DocumentType): DocumentTypeRules | null {
  return providerDocumentRules[provider].types[type] ?? null;
}

/** The flags the provider raises, in the desk's order. */
export function flagsOf(provider: Provider): DocumentFlag[] {
  return documentFlags.filter((flag) => providerDocumentRules[provider].flags[flag] !== undefined);
}

/** Every type named by the provider's requirements of one flag, in order. */
export function typesOfFlag(provider: Provider, flag: DocumentFlag): DocumentType[] {
  const out: DocumentType[] = [];
  for (const requirement of providerDocumentRules[provider].flags[flag] ?? [])
    for (const option of requirement) for (const type of option) if (!out.includes(type)) out.push(type);
  return out;
}

/** The first option of the requirement whose every type is held; null when none is. */
export function metOption(
  requirement: DocumentRequirement,
  held: Iterable<DocumentType>,
): readonly DocumentType[] | null {
  const have = new Set(held);
  return requirement.find((option) => option.every((type) => have.has(type))) ?? null;
}

/** "ID front" for "ID front (…)": a type's label without its examples. */
export function shortTypeLabel(type: DocumentType): string {
  return documentTypeLabels[type].replace(/ \(.*\)$/, '');
}

/** "Passport, or ID front + ID back"; "Selfie or Passport" when every option is one type. */
export function describeRequirement(requirement: DocumentRequirement): string {
  const options = requirement.map((option) => option.map(shortTypeLabel).join(' + '));
  return options.join(requirement.some((option) => option.length > 1) ? ', or ' : ' or ');
}

/** Whether a requirement is met by documents delivered to the provider, by some still on their way, or not. */
export const requirementStates = ['satisfied', 'awaiting_delivery', 'missing'] as const;
export type RequirementState = (typeof requirementStates)[number];

/**
 * A document as the checklist counts it: its type and status, and whether it is a desk upload
 * still waiting to be delivered to the provider (its file held by the desk, not yet sent).
 */
export type ChecklistDocument = { type: DocumentType; status: DocumentStatus; awaitingDelivery: boolean };

export type ChecklistRequirement = {
  anyOf: DocumentType[][];
  state: RequirementState;
  /** The requirement's types the desk holds (uploaded or accepted). */
  held: DocumentType[];
};
export type ChecklistEntry = { flag: DocumentFlag; raised: boolean; requirements: ChecklistRequirement[] };

/**
 * The provider's flags, raised or not, each with its requirements and how far the documents
 * go to meet them: satisfied when the provider has every type of an option (uploaded or
 * accepted), awaiting delivery when the rest of one is a desk upload still on its way, missing
 * otherwise.
 */
export function documentChecklist(
  provider: Provider,
  flags: DocumentFlags,
  documents: readonly ChecklistDocument[],
): ChecklistEntry[] {
  const delivered = new Set(documents.filter((d) => clearingDocumentStatuses.includes(d.status)).map((d) => d.type));
  const held = new Set([...delivered, ...documents.filter((d) => d.awaitingDelivery).map((d) => d.type)]);
  return flagsOf(provider).map((flag) => ({
    flag,
    raised: flags[flag],
    requirements: (providerDocumentRules[provider].flags[flag] ?? []).map((requirement) => {
      const state: RequirementState = metOption(requirement, delivered)
        ? 'satisfied'
        : metOption(requirement, held)
          ? 'awaiting_delivery'
          : 'missing';
      return {
        anyOf: requirement.map((option) => [...option]),
        state,
        held: [...new Set(requirement.flat())].filter((type) => held.has(type)),
      };
    }),
  }));
}

/** Types that would help meet the raised flags' unmet requirements, in checklist order. */
export function typesClearingChecklist(checklist: readonly ChecklistEntry[]): DocumentType[] {
  const out: DocumentType[] = [];
  for (const entry of checklist) {
    if (!entry.raised) continue;
    for (const requirement of entry.requirements) {
      if (requirement.state !== 'missing') continue;
      for (const type of requirement.anyOf.flat()) if (!out.includes(type)) out.push(type);
    }
  }
  return out;
}

/** The day after `day` (YYYY-MM-DD). */
export function dayAfter(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** The dates a date detail may take at the provider (YYYY-MM-DD, both ends included). */
export function detailDateRange(
  provider: Provider,
  key: 'issueDate' | 'expiresOn',
  today: string = todayUtc(),
): { min?: string; max?: string } {
  if (key === 'issueDate') return { max: today };
  return { min: providerDocumentRules[provider].expiry === 'future' ? dayAfter(today) : today };
}

/**
 * What is wrong with the details given for a document of `type` at `provider`, by detail, in
 * the words the server answers with (a field error: "must not be in the future"): each detail
 * the type needs must be given, in its format, within its dates (an issue date not in the
 * future; an expiry date in the future or not past, as the provider rules; an expiry date
 * after the issue date). Details the type does not need are not looked at. Empty: all good.
 */
export function documentDetailProblems(
  provider: Provider,
  type: DocumentType,
  details: DocumentDetails,
  today: string = todayUtc(),
): DocumentDetails {
  const rules = documentTypeRulesOf(provider, type);
  const problems: DocumentDetails = {};
  const read: DocumentDetails = {};
  for (const key of rules?.details ?? []) {
    const value = details[key]?.trim() ?? '';
    if (value === '') {
      problems[key] = `is required by ${providerLabels[provider]} with ${shortTypeLabel(type)} documents`;
      continue;
    }
    const parsed = documentDetailSchemas[key].safeParse(value);
    if (!parsed.success) {
      problems[key] = parsed.error.issues[0]?.message ?? 'is not valid';
      continue;
    }
    if (key === 'issueDate' || key === 'expiresOn') {
      const { min, max } = detailDateRange(provider, key, today);
      if (max !== undefined && parsed.data > max) {
        problems[key] = 'must not be in the future';
        continue;
      }
      if (min !== undefined && parsed.data < min) {
        problems[key] = min > today ? 'must be in the future' : 'must not be in the past';
        continue;
      }
    }
    read[key] = parsed.data;
  }
  if (read.issueDate !== undefined && read.expiresOn !== undefined && read.expiresOn <= read.issueDate)
    problems.expiresOn = 'must be after the issue date';
  return problems;
}

/** The details a document of `type` keeps at `provider`: those its rules name, trimmed; others dropped. */
export function detailsFor(provider: Provider, type: DocumentType, details: DocumentDetails): DocumentDetails {
  const out: DocumentDetails = {};
  for (const key of documentTypeRulesOf(provider, type)?.details ?? []) {
    const value = details[key]?.trim();
    if (value) out[key] = value;
  }
  return out;
}

/** The detail fields of an upload: each optional, in its format; which are required is the provider's rule. */
export const documentDetailFieldsShape = {
  number: documentDetailSchemas.number.optional(),
  issuingCountry: documentDetailSchemas.issuingCountry.optional(),
  issueDate: documentDetailSchemas.issueDate.optional(),
  expiresOn: documentDetailSchemas.expiresOn.optional(),
} satisfies Record<DocumentDetailKey, z.ZodOptional>;
