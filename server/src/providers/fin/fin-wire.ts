/**
 * Fin.com's wire format (individual customers, API V2, and V1's create, read and attach), both
 * ways: zod schemas of what Fin.com answers (the desk never trusts a provider's answer
 * blindly), the request bodies the adapter sends, and the mapping of a customer to the desk's
 * snapshot.
 *
 * Successful answers are `{ data, meta }`; errors are `{ message, errors: { "<path>": [..] } }`
 * (400), `{ message }` (423) or `{ error: { code, message } }` (everything else).
 */

import { type FieldFormat, type FinStatus, finStatuses, type RfiItemReason, rfiItemReasons } from '@desk/shared';
import { z } from 'zod';
import type { NewApplicant, ProviderRfi, ProviderSnapshot } from '../provider-adapter.js';

/** `{ data: T, meta }`: every successful Fin.com answer. */
export const finData = <T extends z.ZodType>(data: T) => z.object({ data });

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

const catalogueEntrySchema = z.object({ id: z.number().int(), name: z.string() });
export const finCatalogueSchema = finData(z.array(catalogueEntrySchema));
export type FinCatalogueEntry = z.infer<typeof catalogueEntrySchema>;

/** What to re-attach while ACTION_REQUIRED. Categories and types are read as text, so a new one does not break the parse. */
const requiredActionSchema = z.object({
  category: z.string(),
  document_types: z.array(z.string()).default([]),
  reason: z.string().default(''),
});
export type FinRequiredAction = z.infer<typeof requiredActionSchema>;

const rfiItemStatusSchema = z.string();

export const finRfiSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  sections: z
    .array(
      z.object({
        section: z.string().min(1),
        fields: z
          .array(
            z.object({ field: z.string().min(1), status: rfiItemStatusSchema, description: z.string().default('') }),
          )
          .default([]),
        documents: z
          .array(
            z.object({
              document_type: z.string().min(1),
              status: rfiItemStatusSchema,
              description: z.string().default(''),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  created_at: z.iso.datetime({ offset: true }),
  answered_at: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type FinRfi = z.infer<typeof finRfiSchema>;

export const finCustomerSchema = z.object({
  id: z.string().min(1),
  status: z.enum(finStatuses),
  required_actions: z.array(requiredActionSchema).nullable().optional(),
  rejection_reason: z.string().nullable().optional(),
  rfi: finRfiSchema.nullable().optional(),
});
export type FinCustomer = z.infer<typeof finCustomerSchema>;

export const finCustomerAnswerSchema = finData(finCustomerSchema);
export const finRfiListSchema = finData(z.array(finRfiSchema));
export const finRfiAnswerResultSchema = finData(finRfiSchema);
export const finAttachAnswerSchema = finData(z.object({ customer_id: z.string() }));
/** `{ data: { files: [{ "<field name>": "<uri>" }, ...] } }`, in the order the files were sent. */
export const finUploadSchema = finData(z.object({ files: z.array(z.record(z.string(), z.string().min(1))).min(1) }));

/** Fin.com's individual onboarding APIs a partner may be on (V2 is current; V1 as its guide). */
export const finApiVersions = ['v2', 'v1'] as const;
export type FinApiVersion = (typeof finApiVersions)[number];
export const defaultFinApiVersion: FinApiVersion = 'v2';

/** V1's status lifecycle: INCOMPLETE → REVIEWING → APPROVED, ON_HOLD or REJECTED (no ACTION_REQUIRED). */
export const finV1Statuses = [
  'INCOMPLETE',
  'REVIEWING',
  'APPROVED',
  'ON_HOLD',
  'REJECTED',
] as const satisfies readonly FinStatus[];

/**
 * A V1 customer (create and attach answers, and its read): V1 has no required actions or
 * RFIs; `tos_policies_url` carries the `tos_policies_value` the attach must send back.
 */
export const finV1CustomerSchema = z.object({
  id: z.string().min(1),
  status: z.enum(finV1Statuses),
  tos_policies_url: z.url(),
  rejection_reason: z.string().nullable().optional(),
});
export type FinV1Customer = z.infer<typeof finV1CustomerSchema>;
export const finV1CustomerAnswerSchema = finData(finV1CustomerSchema);

/** The `tos_policies_value` query parameter of a customer's `tos_policies_url`, or null. */
export function tosPoliciesValueOf(tosPoliciesUrl: string): string | null {
  const value = new URL(tosPoliciesUrl).searchParams.get('tos_policies_value')?.trim();
  return value ? value : null;
}

/** Ids and types are bounded: the event id keys the inbox (a btree index holds ~2.7 kB at most). */
export const finWebhookSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  created_at: z.string(),
  data: z.object({ customer_id: z.string().min(1).max(200) }).loose(),
});

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

export const finEmploymentStatuses = ['EMPLOYED', 'SELF_EMPLOYED', 'RETIRED', 'STUDENT', 'UNEMPLOYED'] as const;
export type FinEmploymentStatus = (typeof finEmploymentStatuses)[number];

export type FinFileRef = { uri: string; side?: 'FRONT' | 'BACK' };
export type FinIdentityDocument = {
  type: 'PASSPORT' | 'NATIONAL_ID' | 'SELFIE';
  number?: string;
  country?: string;
  expiry_date?: string;
  files: FinFileRef[];
};
export type FinAddressDocument = { type: 'UTILITY_BILL'; country: string; files: FinFileRef[] };
export type FinAttachBody = { identifying_documents: FinIdentityDocument[]; address_documents: FinAddressDocument[] };
export type FinRfiAnswerBody = {
  fields: Record<string, string>;
  documents: { type: string; expiry_date?: string; files: FinFileRef[] }[];
};

/** Identity document types of Fin.com that carry an expiry date (every one but SELFIE). */
export const finExpiringIdentityTypes: readonly string[] = [
  'PASSPORT',
  'NATIONAL_ID',
  'DRIVERS_LICENSE',
  'RESIDENCE_PERMIT',
];

/** The ids of the create body that come from Fin.com's catalogue. */
export type FinCatalogue = {
  occupations: readonly FinCatalogueEntry[];
  purposes: readonly FinCatalogueEntry[];
  sourcesOfFunds: readonly FinCatalogueEntry[];
};

/** Printable ASCII: what the guide calls English (Latin) characters. */
export const isAscii = (value: string): boolean => /^[\x20-\x7E]*$/.test(value);

/** Latin letters NFD leaves whole. */
const extraLatin: Record<string, string> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'Th',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
};

/** An ASCII rendering: diacritics stripped (NFD), a few Latin letters spelled out, anything else dropped. */
export function transliterate(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7E]/g, (ch) => extraLatin[ch] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `{ key, key_en }` for a field Fin.com wants in Latin characters, `_en` only when needed and derivable. */
function withEnglish(key: string, value: string): Record<string, string> {
  if (isAscii(value)) return { [key]: value };
  const en = transliterate(value);
  return en ? { [key]: value, [`${key}_en`]: en } : { [key]: value };
}

const employmentAliases: [RegExp, FinEmploymentStatus][] = [
  [/SELF/, 'SELF_EMPLOYED'],
  [/RETIR/, 'RETIRED'],
  [/STUDENT/, 'STUDENT'],
  [/UNEMPLOY|NOT_EMPLOY|JOBLESS/, 'UNEMPLOYED'],
  [/EMPLOY/, 'EMPLOYED'],
];

/** The desk's employment status in Fin.com's enum; EMPLOYED when it names none of them. */
export function finEmploymentStatus(status: string): FinEmploymentStatus {
  const normalised = status
    .trim()
    .toUpperCase()
    .replace(/[^A-Z]+/g, '_');
  const exact = finEmploymentStatuses.find((s) => s === normalised);
  if (exact) return exact;
  return employmentAliases.find(([pattern]) => pattern.test(normalised))?.[1] ?? 'EMPLOYED';
}

/** Expected monthly volume in whole USD, estimated from the income bracket (the guide's 5000 otherwise). */
const volumeByIncome: Record<string, number> = {
  LESS_THAN_25K: 1_000,
  BETWEEN_25K_AND_50K: 2_000,
  BETWEEN_50K_AND_100K: 5_000,
  BETWEEN_100K_AND_250K: 10_000,
  BETWEEN_250K_AND_500K: 25_000,
  MORE_THAN_500K: 50_000,
};
export const monthlyVolumeUsd = (income: string): number => volumeByIncome[income.trim().toUpperCase()] ?? 5_000;

const byName = (entries: readonly FinCatalogueEntry[], pattern: RegExp) => entries.find((e) => pattern.test(e.name));

/**
 * Catalogue ids for an applicant: the occupation of the same name (case-insensitive), else the
 * one named after a non-working employment status, else the first; a savings/investment
 * purpose, else the first; the source of funds that goes with the employment status, else
 * the first.
 */
export function catalogueChoice(
  catalogue: FinCatalogue,
  occupation: string,
  employment: FinEmploymentStatus,
): { occupation_id: number; purpose_id: number; source_of_fund_ids: number[] } | null {
  const wanted = occupation.trim().toLowerCase();
  const statusOccupation: Partial<Record<FinEmploymentStatus, RegExp>> = {
    RETIRED: /^retired$/i,
    STUDENT: /^student$/i,
    UNEMPLOYED: /^unemployed$/i,
  };
  const statusPattern = statusOccupation[employment];
  const occupationEntry =
    catalogue.occupations.find((o) => o.name.trim().toLowerCase() === wanted) ??
    (statusPattern ? byName(catalogue.occupations, statusPattern) : undefined) ??
    catalogue.occupations[0];
  const purpose = byName(catalogue.purposes, /saving|invest/i) ?? catalogue.purposes[0];
  const sourcePatterns: Record<FinEmploymentStatus, RegExp> = {
    EMPLOYED: /employment|salary/i,
    SELF_EMPLOYED: /business/i,
    RETIRED: /pension/i,
    STUDENT: /saving/i,
    UNEMPLOYED: /saving/i,
  };
  const source = byName(catalogue.sourcesOfFunds, sourcePatterns[employment]) ?? catalogue.sourcesOfFunds[0];
  if (!occupationEntry || !purpose || !source) return null;
  return { occupation_id: occupationEntry.id, purpose_id: purpose.id, source_of_fund_ids: [source.id] };
}

/** A US identification number as an SSN (xxx-xx-xxxx) when it has nine digits; as given otherwise. */
export function ssnFormat(identificationNumber: string): string {
  const digits = identificationNumber.replace(/\D/g, '');
  return digits.length === 9
    ? `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`
    : identificationNumber.trim();
}

/**
 * The ISO 3166-2 code of the applicant's state: as given when it already is one (US-CA),
 * else `<alpha-2>-<state>`; null when there is no state or the country has no alpha-2.
 */
export function subdivisionCode(state: string | null, alpha2: string | null): string | null {
  const code = state?.trim().toUpperCase() ?? '';
  if (!code) return null;
  if (/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(code)) return code;
  return alpha2 ? `${alpha2}-${code}` : null;
}

/**
 * `POST /v2/customers/individual` for a new applicant. `reference` goes into `meta_data`
 * (Fin.com's key-value pairs for internal tracking) so a customer can be traced to the
 * desk's request that made it.
 */
export function createCustomerBody(
  applicant: NewApplicant,
  ids: { occupation_id: number; purpose_id: number; source_of_fund_ids: number[] },
  employment: FinEmploymentStatus,
  subdivision: string,
  reference: string,
): Record<string, unknown> {
  const country = applicant.address.country.trim().toUpperCase();
  const usa = country === 'USA';
  return {
    verification_type: 'STANDARD',
    basic_info: {
      ...withEnglish('first_name', applicant.firstName.trim()),
      ...withEnglish('last_name', applicant.lastName.trim()),
      dob: applicant.dateOfBirth,
      email: applicant.email.trim().toLowerCase(),
      phone: applicant.phone.trim(),
      country_of_residence: country,
      primary_nationality: country,
      tax_info: [{ country_code: country, document_type: usa ? 'SSN' : 'TIN', document_id: taxIdOf(applicant) }],
    },
    address: {
      ...withEnglish('street_line_1', applicant.address.street.trim()),
      // City and postal code have no `_en` field: they go in Latin characters.
      city: isAscii(applicant.address.city) ? applicant.address.city.trim() : transliterate(applicant.address.city),
      subdivision_code: subdivision,
      postal_code: isAscii(applicant.address.postalCode)
        ? applicant.address.postalCode.trim()
        : transliterate(applicant.address.postalCode),
      country,
    },
    financial_profile: {
      employment_status: employment,
      occupation_id: ids.occupation_id,
      purpose_id: ids.purpose_id,
      source_of_fund_ids: ids.source_of_fund_ids,
      monthly_volume_usd: monthlyVolumeUsd(applicant.investmentProfile.income),
    },
    meta_data: deskReference(reference),
  };
}

/** The applicant's tax id as Fin.com checks it: an SSN (xxx-xx-xxxx) in the USA, as given elsewhere. */
function taxIdOf(applicant: NewApplicant): string {
  return applicant.address.country.trim().toUpperCase() === 'USA'
    ? ssnFormat(applicant.identificationNumber)
    : applicant.identificationNumber.trim();
}

/** `meta_data` tracing a customer to the desk's request that made it. */
const deskReference = (reference: string) => ({ desk_reference: reference.slice(0, 500) });

/** V1's attach body: one identity document, one address proof, and the accepted terms. */
export type FinV1AttachBody = {
  customer_id: string;
  proof_of_identity: Omit<FinIdentityDocument, 'type'> & { type: 'PASSPORT' | 'NATIONAL_ID' };
  proof_of_address: { type: 'UTILITY_BILL'; country: string; files: FinFileRef[] };
  tos_policies_value: string;
};

/**
 * `POST /v1/customers/individual` for a new applicant: V1's fields (a single `tin`, `street`,
 * `state`, `source_of_fund_id`, `nationality`) with no `_en` fields, so names and the address
 * go in Latin characters (transliterated where needed). STANDARD verification, as V2.
 */
export function createV1CustomerBody(
  applicant: NewApplicant,
  ids: { occupation_id: number; purpose_id: number; source_of_fund_ids: number[] },
  subdivision: string,
  reference: string,
): Record<string, unknown> {
  const latin = (value: string) => (isAscii(value) ? value.trim() : transliterate(value));
  const country = applicant.address.country.trim().toUpperCase();
  return {
    verification_type: 'STANDARD',
    basic_info: {
      first_name: latin(applicant.firstName),
      last_name: latin(applicant.lastName),
      dob: applicant.dateOfBirth,
      email: applicant.email.trim().toLowerCase(),
      phone: applicant.phone.trim(),
      country_of_residence: country,
      nationality: country,
      tin: taxIdOf(applicant),
    },
    address: {
      street: latin(applicant.address.street),
      city: latin(applicant.address.city),
      state: subdivision,
      postal_code: latin(applicant.address.postalCode),
      country,
    },
    financial_profile: {
      occupation_id: ids.occupation_id,
      source_of_fund_id: ids.source_of_fund_ids[0],
      purpose_id: ids.purpose_id,
      monthly_volume_usd: monthlyVolumeUsd(applicant.investmentProfile.income),
    },
    meta_data: deskReference(reference),
  };
}

// ---------------------------------------------------------------------------------------------
// Customer → snapshot
// ---------------------------------------------------------------------------------------------

const documentLabels: Record<string, string> = {
  PASSPORT: 'Passport',
  NATIONAL_ID: 'National ID',
  DRIVERS_LICENSE: "Driver's license",
  RESIDENCE_PERMIT: 'Residence permit',
  SELFIE: 'Selfie',
  UTILITY_BILL: 'Utility bill',
  BANK_STATEMENT: 'Bank statement',
  GOVERNMENT_LETTER: 'Government letter',
};

const fieldLabels: Record<string, string> = {
  dob: 'Date of birth',
  tax_info: 'Tax identification',
  street_line_1: 'Street',
  street_line_1_en: 'Street (Latin characters)',
  street_line_2: 'Street, second line',
  subdivision_code: 'State or region (ISO 3166-2)',
  postal_code: 'Postal code',
  occupation_id: 'Occupation',
  purpose_id: 'Purpose',
  source_of_fund_ids: 'Sources of funds',
  monthly_volume_usd: 'Monthly volume (USD)',
};

const humanise = (name: string): string => {
  const words = name.replace(/_/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export const finDocumentLabel = (type: string): string => documentLabels[type] ?? humanise(type);
export const finFieldLabel = (field: string): string => fieldLabels[field] ?? humanise(field);

const reasonOf = (status: string): RfiItemReason | null =>
  rfiItemReasons.find((r) => r === status.toUpperCase()) ?? null;

/** Item key of a requested document: `<section>.<document_type>`; its expiry date goes under `<key>.expiry_date`. */
export const rfiDocumentKey = (section: string, documentType: string): string => `${section}.${documentType}`;
const expiryField = 'expiry_date';
export const rfiExpiryKey = (documentKey: string): string => `${documentKey}.${expiryField}`;

/** Fields of Fin.com's whose format its guide documents beyond "English (Latin) characters". */
const finFieldFormats: Record<string, FieldFormat> = {
  'basic_info.phone': 'e164_phone',
  'basic_info.email': 'lowercase_email',
  'basic_info.dob': 'birth_date',
  'basic_info.country_of_residence': 'alpha3_country',
  'basic_info.primary_nationality': 'alpha3_country',
  'basic_info.secondary_nationality': 'alpha3_country',
  'address.country': 'alpha3_country',
};

/**
 * The format of a field item of a Fin.com RFI, by its key: the guide's E.164 phone, lowercase
 * email, date of birth and ISO alpha-3 countries; a document's expiry date lies in the
 * future; every other value is English (Latin) text of at most 255 characters.
 */
export function finFieldFormat(key: string): FieldFormat {
  if (key.endsWith(`.${expiryField}`)) return 'future_date';
  return finFieldFormats[key] ?? 'latin_text';
}

/** Fin.com's RFI as the desk's, one item per requested field and document, plus the expiry date of each identity document. */
export function finRfiToProviderRfi(rfi: FinRfi): ProviderRfi {
  const items: ProviderRfi['items'] = [];
  let requested = 0;
  for (const { section, fields, documents } of rfi.sections) {
    for (const f of fields) {
      requested++;
      const key = `${section}.${f.field}`;
      items.push({
        kind: 'field',
        key,
        label: finFieldLabel(f.field),
        section,
        reason: reasonOf(f.status),
        note: f.description || null,
        format: finFieldFormat(key),
      });
    }
    for (const d of documents) {
      requested++;
      const key = rfiDocumentKey(section, d.document_type);
      const label = finDocumentLabel(d.document_type);
      const reason = reasonOf(d.status);
      items.push({ kind: 'document', key, label, section, reason, note: d.description || null, format: null });
      if (finExpiringIdentityTypes.includes(d.document_type)) {
        const expiryKey = rfiExpiryKey(key);
        items.push({
          kind: 'field',
          key: expiryKey,
          label: `${label} expiry date (YYYY-MM-DD)`,
          section,
          reason,
          note: "Fin.com needs the new document's expiry date",
          format: finFieldFormat(expiryKey),
        });
      }
    }
  }
  return {
    providerRfiId: rfi.id,
    title: `Fin.com needs ${requested} item${requested === 1 ? '' : 's'}`,
    raisedAt: new Date(rfi.created_at),
    dueAt: null,
    items,
  };
}

function listOr(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1) ?? ''}`;
}

/** One sentence per required action: Fin.com's reason and what it accepts. */
export function requiredActionSentence(action: FinRequiredAction): string {
  const reason =
    action.reason.trim().replace(/[.\s]+$/, '') || `Fin.com needs a new ${humanise(action.category).toLowerCase()}`;
  const accepted = action.document_types.map(finDocumentLabel);
  return accepted.length > 0 ? `${reason} (accepted: ${listOr(accepted)}).` : `${reason}.`;
}

export function finCustomerToSnapshot(customer: FinCustomer): ProviderSnapshot {
  const actions = customer.status === 'ACTION_REQUIRED' ? (customer.required_actions ?? []) : [];
  const requirements = actions.map(requiredActionSentence);
  if (customer.status === 'REJECTED' && customer.rejection_reason) requirements.push(customer.rejection_reason);
  const openRfi = customer.rfi && customer.rfi.status === 'OPEN' ? customer.rfi : null;
  return {
    providerApplicationId: customer.id,
    status: customer.status,
    providerCustomerId: customer.id,
    flags: {
      idVerification: actions.some((a) => a.category === 'IDENTITY_DOCUMENT' || a.category === 'SELFIE'),
      identificationNumberVerification: false,
      addressVerification: actions.some((a) => a.category === 'ADDRESS_DOCUMENT'),
    },
    // Fin.com lists no documents: it keeps files, and documents only once attached.
    documents: [],
    requirements,
    rfi: openRfi ? finRfiToProviderRfi(openRfi) : null,
  };
}
