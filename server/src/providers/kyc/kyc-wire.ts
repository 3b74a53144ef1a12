/**
 * The generic KYC provider's wire format (its KYC integration guide), validated: the desk
 * never trusts a provider's answer blindly. Answers are parsed with zod; what the desk sends
 * is built here from the desk's own shapes, holding each value to the guide's rules so that a
 * value the desk cannot express validly is left out (and then asked for by the provider's
 * review) rather than refused with the whole request.
 *
 * Shapes as the guide draws them, with what the guide leaves open:
 *   customer   { id, type, status, email, firstName, lastName, verificationLink, createdAt }
 *              plus updatedAt, kycData, requiredFields, requiredDocuments
 *              ([{ category, acceptedTypes, reason }]) and rejectionReason where the provider
 *              gives them (all optional here).
 *   kycData    camelCase fields; countries ISO 3166-1 alpha-2; documents
 *              [{ type, number, issuingCountry, expirationDate, issueDate, frontImageUrl,
 *              backImageUrl }] where every government ID needs number, issuingCountry,
 *              expirationDate (not past) and a proof of address an issueDate (not future).
 *   PATCH      a merge patch of kycData: `documents` replaces the whole stored list.
 *   errors     { error, message, statusCode, customerStatus? }; PATCH_NOT_ALLOWED outside
 *              CREATED / NEEDS_ADDITIONAL_INFORMATION / REJECTED.
 *   webhooks   { id, type, createdAt, payload: { customerId, oldStatus, newStatus, … } }.
 */

import { alpha2Of, type FieldFormat, isAlpha2, isoCountryCodes, kycStatuses, type RfiItemReason } from '@desk/shared';
import { z } from 'zod';
import type { NewApplicant, ProviderRfi, ProviderSnapshot } from '../provider-adapter.js';

/* ------------------------------------------------------------------ enumerations */

export const kycEmploymentStatuses = ['EMPLOYED', 'SELF_EMPLOYED', 'UNEMPLOYED', 'RETIRED', 'STUDENT'] as const;
export type KycEmploymentStatus = (typeof kycEmploymentStatuses)[number];
export const kycSourcesOfFunds = ['EMPLOYMENT', 'BUSINESS', 'INVESTMENTS', 'INHERITANCE', 'SAVINGS'] as const;
export type KycSourceOfFunds = (typeof kycSourcesOfFunds)[number];

export const kycGovernmentIdTypes = [
  'PASSPORT',
  'DRIVERS_LICENSE',
  'NATIONAL_ID_CARD',
  'RESIDENCE_PERMIT',
  'STATE_ID_CARD',
] as const;
export const kycProofOfAddressTypes = ['UTILITY_BILL', 'BANK_STATEMENT', 'LEASE_AGREEMENT'] as const;
export const kycDocumentTypes = [...kycGovernmentIdTypes, ...kycProofOfAddressTypes] as const;
export type KycDocumentType = (typeof kycDocumentTypes)[number];

/** The categories the provider asks documents by (`requiredDocuments[].category`). */
export const kycDocumentCategories = ['GOVERNMENT_ID', 'PROOF_OF_ADDRESS'] as const;
export type KycDocumentCategory = (typeof kycDocumentCategories)[number];

export const kycCategoryLabels: Record<KycDocumentCategory, string> = {
  GOVERNMENT_ID: 'Government-issued photo ID',
  PROOF_OF_ADDRESS: 'Proof of address',
};

/** The same, as a noun inside a sentence. */
const categoryNouns: Record<KycDocumentCategory, string> = {
  GOVERNMENT_ID: 'government-issued photo ID',
  PROOF_OF_ADDRESS: 'proof of address document',
};

export function isKycCategory(value: string): value is KycDocumentCategory {
  return (kycDocumentCategories as readonly string[]).includes(value);
}

export function kycCategoryOf(type: KycDocumentType): KycDocumentCategory {
  return (kycGovernmentIdTypes as readonly string[]).includes(type) ? 'GOVERNMENT_ID' : 'PROOF_OF_ADDRESS';
}

/** Top-level kycData fields other than `documents` (the provider refuses any other key). */
export const kycDataFields = [
  'legalFirstName',
  'legalLastName',
  'legalMiddleName',
  'phoneNumber',
  'dateOfBirth',
  'nationality',
  'address',
  'nationalIdType',
  'nationalIdNumber',
  'nationalIdIssuingCountry',
  'employmentStatus',
  'mostRecentOccupation',
  'sourceOfFunds',
  'accountPurpose',
  'expectedMonthlyPaymentsUsd',
  'isIntermediary',
] as const;
export type KycDataField = (typeof kycDataFields)[number];

export function isKycDataField(value: string): value is KycDataField {
  return (kycDataFields as readonly string[]).includes(value);
}

/** Plain names of the fields, for sentences. */
const fieldNames: Record<KycDataField, string> = {
  legalFirstName: 'legal first name',
  legalLastName: 'legal last name',
  legalMiddleName: 'legal middle name',
  phoneNumber: 'phone number',
  dateOfBirth: 'date of birth',
  nationality: 'nationality',
  address: 'residential address',
  nationalIdType: 'national ID type',
  nationalIdNumber: 'national ID number',
  nationalIdIssuingCountry: 'national ID issuing country',
  employmentStatus: 'employment status',
  mostRecentOccupation: 'most recent occupation',
  sourceOfFunds: 'source of funds',
  accountPurpose: 'account purpose',
  expectedMonthlyPaymentsUsd: 'expected monthly payments (USD)',
  isIntermediary: 'whether the customer acts on behalf of others',
};

/** RFI item labels: what the value is and how to write it. */
const fieldLabels: Record<KycDataField, string> = {
  legalFirstName: 'Legal first name',
  legalLastName: 'Legal last name',
  legalMiddleName: 'Legal middle name',
  phoneNumber: 'Phone number (E.164, e.g. +14155551234)',
  dateOfBirth: 'Date of birth (YYYY-MM-DD)',
  nationality: 'Nationality (country code, e.g. US)',
  address:
    'Residential address (JSON: {"addressLine1", "addressLine2"?, "city", "state", "stateCode", "postalCode", "country", "locale"})',
  nationalIdType: 'National ID type (SSN, TIN or NATIONAL_ID)',
  nationalIdNumber: 'National ID number',
  nationalIdIssuingCountry: 'National ID issuing country (country code, e.g. US)',
  employmentStatus: 'Employment status (EMPLOYED, SELF_EMPLOYED, UNEMPLOYED, RETIRED or STUDENT)',
  mostRecentOccupation: 'Most recent occupation',
  sourceOfFunds: 'Source of funds (EMPLOYMENT, BUSINESS, INVESTMENTS, INHERITANCE or SAVINGS)',
  accountPurpose: 'Account purpose (PERSONAL_USE, BUSINESS_USE or INVESTMENT)',
  expectedMonthlyPaymentsUsd: 'Expected monthly payments in USD (UNDER_10K, 10K_TO_50K, 50K_TO_100K or OVER_100K)',
  isIntermediary: 'Acts on behalf of others (true or false)',
};

function humanise(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const kycFieldLabel = (field: string): string => (isKycDataField(field) ? fieldLabels[field] : humanise(field));
const fieldName = (field: string): string =>
  isKycDataField(field) ? fieldNames[field] : humanise(field).toLowerCase();
export const kycCategoryLabel = (category: string): string =>
  isKycCategory(category) ? kycCategoryLabels[category] : humanise(category);
const categoryNoun = (category: string): string =>
  isKycCategory(category) ? categoryNouns[category] : humanise(category).toLowerCase();

/**
 * Details the provider requires with every document of a category. The desk asks for them in
 * the RFI as field items keyed `<category>.<detail>` (`GOVERNMENT_ID.expirationDate`) next to
 * the document item, since an RFI answer's files carry no details of their own.
 */
export const kycDocumentDetails = {
  GOVERNMENT_ID: ['number', 'issuingCountry', 'expirationDate'],
  PROOF_OF_ADDRESS: ['issueDate'],
} as const satisfies Record<KycDocumentCategory, readonly string[]>;
export type KycDocumentDetail = (typeof kycDocumentDetails)[KycDocumentCategory][number];

const detailLabels: Record<KycDocumentDetail, string> = {
  number: 'document number',
  issuingCountry: 'issuing country (country code, e.g. US)',
  expirationDate: 'expiry date (YYYY-MM-DD, not past)',
  issueDate: 'issue date (YYYY-MM-DD, not in the future)',
};

export const kycDetailKey = (category: KycDocumentCategory, detail: KycDocumentDetail): string =>
  `${category}.${detail}`;

/* ------------------------------------------------------------------ answers */

const documentSchema = z.looseObject({
  type: z.string(),
  number: z.string().optional(),
  issuingCountry: z.string().optional(),
  expirationDate: z.string().optional(),
  issueDate: z.string().optional(),
  frontImageUrl: z.string(),
  backImageUrl: z.string().optional(),
});
export type KycStoredDocument = z.infer<typeof documentSchema>;

export const kycCustomerSchema = z.object({
  id: z.string().min(1),
  status: z.enum(kycStatuses),
  email: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }).optional(),
  kycData: z.looseObject({ documents: z.array(documentSchema).optional() }).default({}),
  requiredFields: z.array(z.string()).default([]),
  requiredDocuments: z
    .array(
      z.object({
        category: z.string(),
        acceptedTypes: z.array(z.string()).default([]),
        reason: z.string().default(''),
      }),
    )
    .default([]),
  rejectionReason: z.string().nullable().optional(),
});
export type KycCustomer = z.infer<typeof kycCustomerSchema>;

export const kycErrorSchema = z.object({
  error: z.string(),
  message: z.string().optional(),
  statusCode: z.number().optional(),
  customerStatus: z.string().optional(),
});

/** Ids and types are bounded: the event id keys the inbox (a btree index holds ~2.7 kB at most). */
export const kycWebhookSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  createdAt: z.string().min(1),
  payload: z.looseObject({ customerId: z.string().min(1).max(200) }),
});

/* ------------------------------------------------------------------ snapshots */

/** Ends the provider's phrase as a sentence. */
function sentence(text: string): string {
  const trimmed = text.trim().replace(/[\s.]+$/, '');
  return trimmed ? `${trimmed}.` : '';
}

/**
 * The RFI id of a customer's request for information. The provider gives its requests no id;
 * each one is raised by a review, which stamps `updatedAt`, and nothing changes the customer
 * again until the next accepted PATCH (which answers it). So `<customer id>:<updatedAt>` is
 * the same for as long as one request stands and differs for the next.
 */
export function kycRfiId(customer: KycCustomer): string {
  return `${customer.id}:${customer.updatedAt ?? customer.createdAt}`;
}

const documentReason = (reason: string): RfiItemReason =>
  /could not be accepted/i.test(reason) ? 'INVALID' : 'MISSING';

/** The formats the guide documents for the fields and document details the provider asks for. */
const kycFieldFormats: Record<string, FieldFormat> = {
  phoneNumber: 'e164_phone',
  dateOfBirth: 'birth_date',
  nationality: 'country_code',
  nationalIdIssuingCountry: 'country_code',
  'GOVERNMENT_ID.number': 'document_number',
  'GOVERNMENT_ID.issuingCountry': 'country_code',
  'GOVERNMENT_ID.expirationDate': 'future_date',
  'PROOF_OF_ADDRESS.issueDate': 'past_date',
};

/** The format of a field item the provider asks for, by its key (null: its own words, an enum or JSON). */
export function kycFieldFormat(key: string): FieldFormat | null {
  return kycFieldFormats[key] ?? null;
}

function kycRfiOf(customer: KycCustomer): ProviderRfi {
  const items: ProviderRfi['items'] = [];
  for (const field of customer.requiredFields) {
    items.push({
      kind: 'field',
      key: field,
      label: kycFieldLabel(field),
      section: null,
      reason: 'MISSING',
      note: null,
      format: kycFieldFormat(field),
    });
  }
  for (const doc of customer.requiredDocuments) {
    const label = kycCategoryLabel(doc.category);
    const reason = sentence(doc.reason) || `The provider needs a ${categoryNoun(doc.category)}.`;
    const accepted = doc.acceptedTypes.length > 0 ? ` Accepted: ${doc.acceptedTypes.join(', ')}` : '';
    items.push({
      kind: 'document',
      key: doc.category,
      label,
      section: null,
      reason: documentReason(doc.reason),
      note: `${reason}${accepted}`,
      format: null,
    });
    if (isKycCategory(doc.category)) {
      for (const detail of kycDocumentDetails[doc.category]) {
        const key = kycDetailKey(doc.category, detail);
        items.push({
          kind: 'field',
          key,
          format: kycFieldFormat(key),
          label: `${label}: ${detailLabels[detail]}`,
          section: null,
          reason: 'MISSING',
          note: `The provider takes a ${categoryNouns[doc.category]} only with its ${detailLabels[detail].replace(/ \(.*$/, '')}.`,
        });
      }
    }
  }
  const requested = customer.requiredFields.length + customer.requiredDocuments.length;
  const raisedAt = new Date(customer.updatedAt ?? customer.createdAt);
  return {
    providerRfiId: kycRfiId(customer),
    title: `The provider needs ${requested} item${requested === 1 ? '' : 's'}`,
    raisedAt,
    dueAt: null,
    items,
  };
}

function requirementsOf(customer: KycCustomer): string[] {
  if (customer.status === 'REJECTED') {
    return [sentence(customer.rejectionReason ?? '') || 'The provider rejected the customer.'];
  }
  if (customer.status !== 'NEEDS_ADDITIONAL_INFORMATION') return [];
  return [
    ...customer.requiredFields.map((field) => `The provider needs the ${fieldName(field)} (${field}).`),
    ...customer.requiredDocuments.map((doc) => {
      const accepted = doc.acceptedTypes.length > 0 ? ` Accepted: ${doc.acceptedTypes.join(', ')}.` : '';
      const reason = sentence(doc.reason) || `The provider needs a ${categoryNoun(doc.category)}.`;
      return `${kycCategoryLabel(doc.category)}: ${reason}${accepted}`;
    }),
  ];
}

export function kycCustomerToSnapshot(customer: KycCustomer): ProviderSnapshot {
  const asking = customer.status === 'NEEDS_ADDITIONAL_INFORMATION';
  const categories = asking ? customer.requiredDocuments.map((d) => d.category) : [];
  return {
    providerApplicationId: customer.id,
    status: customer.status,
    providerCustomerId: customer.id,
    flags: {
      idVerification: categories.includes('GOVERNMENT_ID'),
      identificationNumberVerification: false,
      addressVerification: categories.includes('PROOF_OF_ADDRESS'),
    },
    // The provider keeps no documents of its own: it fetches the images from the desk's URLs
    // at review and answers only in terms of what it still needs.
    documents: [],
    requirements: requirementsOf(customer),
    rfi: asking ? kycRfiOf(customer) : null,
  };
}

/* ------------------------------------------------------------------ what the desk sends */

export type KycAddress = {
  addressLine1: string;
  addressLine2?: string;
  city: string;
  state: string;
  stateCode: string;
  postalCode: string;
  country: string;
  locale: string;
};

export type KycDocument = {
  type: KycDocumentType;
  number?: string;
  issuingCountry?: string;
  expirationDate?: string;
  issueDate?: string;
  frontImageUrl: string;
  backImageUrl?: string;
};

/** A PATCH's `kycData`: only what is sent; values are checked by the provider. */
export type KycDataPatch = { [K in KycDataField]?: unknown } & { documents?: KycDocument[] };

/** A stored document as it may be sent back (known keys only), or null when it cannot be. */
export function kycDocumentToResend(stored: KycStoredDocument): KycDocument | null {
  const type = kycDocumentTypes.find((t) => t === stored.type);
  if (!type) return null;
  const document: KycDocument = { type, frontImageUrl: stored.frontImageUrl };
  if (stored.number !== undefined) document.number = stored.number;
  if (stored.issuingCountry !== undefined) document.issuingCountry = stored.issuingCountry;
  if (stored.expirationDate !== undefined) document.expirationDate = stored.expirationDate;
  if (stored.issueDate !== undefined) document.issueDate = stored.issueDate;
  if (stored.backImageUrl !== undefined) document.backImageUrl = stored.backImageUrl;
  return document;
}

/** Today (UTC) as YYYY-MM-DD, and the same day `yearsAgo` years back. */
export function kycToday(now = new Date(), yearsAgo = 0): string {
  return new Date(Date.UTC(now.getUTCFullYear() - yearsAgo, now.getUTCMonth(), now.getUTCDate()))
    .toISOString()
    .slice(0, 10);
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A non-blank string of at most 200 characters (the provider's limit), trimmed; else undefined. */
function text(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed && trimmed.length <= 200 ? trimmed : undefined;
}

/** Every (alpha-3, alpha-2) pair the desk converts between: the shared ISO 3166-1 table. */
export const kycCountryCodes: readonly (readonly [alpha3: string, alpha2: string])[] = isoCountryCodes;

/** The alpha-2 code of an alpha-3 or alpha-2 code (any case), or null when it names no country. */
export function toAlpha2(code: string): string | null {
  const upper = code.trim().toUpperCase();
  if (upper.length === 2) return isAlpha2(upper) ? upper : null;
  return alpha2Of(upper);
}

/** Names of the subdivisions whose codes the desk's applicants carry, for `address.state`. */
const subdivisionNames: Record<string, Record<string, string>> = {
  US: {
    AL: 'Alabama',
    AK: 'Alaska',
    AZ: 'Arizona',
    AR: 'Arkansas',
    CA: 'California',
    CO: 'Colorado',
    CT: 'Connecticut',
    DE: 'Delaware',
    DC: 'District of Columbia',
    FL: 'Florida',
    GA: 'Georgia',
    HI: 'Hawaii',
    ID: 'Idaho',
    IL: 'Illinois',
    IN: 'Indiana',
    IA: 'Iowa',
    KS: 'Kansas',
    KY: 'Kentucky',
    LA: 'Louisiana',
    ME: 'Maine',
    MD: 'Maryland',
    MA: 'Massachusetts',
    MI: 'Michigan',
    MN: 'Minnesota',
    MS: 'Mississippi',
    MO: 'Missouri',
    MT: 'Montana',
    NE: 'Nebraska',
    NV: 'Nevada',
    NH: 'New Hampshire',
    NJ: 'New Jersey',
    NM: 'New Mexico',
    NY: 'New York',
    NC: 'North Carolina',
    ND: 'North Dakota',
    OH: 'Ohio',
    OK: 'Oklahoma',
    OR: 'Oregon',
    PA: 'Pennsylvania',
    RI: 'Rhode Island',
    SC: 'South Carolina',
    SD: 'South Dakota',
    TN: 'Tennessee',
    TX: 'Texas',
    UT: 'Utah',
    VT: 'Vermont',
    VA: 'Virginia',
    WA: 'Washington',
    WV: 'West Virginia',
    WI: 'Wisconsin',
    WY: 'Wyoming',
    AS: 'American Samoa',
    GU: 'Guam',
    MP: 'Northern Mariana Islands',
    PR: 'Puerto Rico',
    VI: 'U.S. Virgin Islands',
  },
  CA: {
    AB: 'Alberta',
    BC: 'British Columbia',
    MB: 'Manitoba',
    NB: 'New Brunswick',
    NL: 'Newfoundland and Labrador',
    NS: 'Nova Scotia',
    NT: 'Northwest Territories',
    NU: 'Nunavut',
    ON: 'Ontario',
    PE: 'Prince Edward Island',
    QC: 'Quebec',
    SK: 'Saskatchewan',
    YT: 'Yukon',
  },
};

/**
 * The provider's address, or undefined when the applicant's cannot be one the provider
 * accepts: it needs a 2-letter `stateCode` and a state name, which an applicant without a
 * subdivision (or with a longer code) does not have. The state's name is the code where the
 * desk knows no name for it; the locale is English in the address's country.
 */
export function kycAddressOf(address: NewApplicant['address']): KycAddress | undefined {
  const country = toAlpha2(address.country);
  const stateCode = address.state?.trim().toUpperCase() ?? '';
  const addressLine1 = text(address.street);
  const city = text(address.city);
  const postalCode = text(address.postalCode);
  if (!country || !/^[A-Z]{2}$/.test(stateCode) || !addressLine1 || !city || !postalCode) return undefined;
  return {
    addressLine1,
    city,
    state: subdivisionNames[country]?.[stateCode] ?? stateCode,
    stateCode,
    postalCode,
    country,
    locale: `en-${country}`,
  };
}

const employmentSynonyms: Record<string, KycEmploymentStatus> = {
  EMPLOYED: 'EMPLOYED',
  EMPLOYEE: 'EMPLOYED',
  FULL_TIME: 'EMPLOYED',
  PART_TIME: 'EMPLOYED',
  SELF_EMPLOYED: 'SELF_EMPLOYED',
  SELFEMPLOYED: 'SELF_EMPLOYED',
  CONTRACTOR: 'SELF_EMPLOYED',
  FREELANCE: 'SELF_EMPLOYED',
  FREELANCER: 'SELF_EMPLOYED',
  BUSINESS_OWNER: 'SELF_EMPLOYED',
  UNEMPLOYED: 'UNEMPLOYED',
  NOT_EMPLOYED: 'UNEMPLOYED',
  HOMEMAKER: 'UNEMPLOYED',
  RETIRED: 'RETIRED',
  STUDENT: 'STUDENT',
};

/** The provider's employment status for the desk's, or undefined when it names none. */
export function kycEmploymentStatusOf(value: string): KycEmploymentStatus | undefined {
  const normalised = value
    .trim()
    .toUpperCase()
    .replace(/[^A-Z]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return employmentSynonyms[normalised];
}

/** Where the money comes from, as far as the employment status tells. */
function sourceOfFundsFor(status: KycEmploymentStatus): KycSourceOfFunds {
  if (status === 'EMPLOYED') return 'EMPLOYMENT';
  if (status === 'SELF_EMPLOYED') return 'BUSINESS';
  return 'SAVINGS';
}

/**
 * The full kycData of a new applicant, without documents (the provider's review then asks for
 * them). The desk collects no nationality: the applicant's country of residence stands for
 * it and for the national ID's issuing country (an SSN in the USA, a national ID elsewhere).
 * The desk's onboarding is for personal accounts of ordinary volume, on the customer's own
 * behalf: accountPurpose PERSONAL_USE, expectedMonthlyPaymentsUsd UNDER_10K, isIntermediary
 * false. Values that would break the guide's rules are left out for the review to ask for.
 */
export function kycDataFromApplicant(applicant: NewApplicant, now = new Date()): KycDataPatch {
  const data: KycDataPatch = {};
  const country = toAlpha2(applicant.address.country);
  const firstName = text(applicant.firstName);
  const lastName = text(applicant.lastName);
  if (firstName) data.legalFirstName = firstName;
  if (lastName) data.legalLastName = lastName;
  if (/^\+[1-9]\d{1,14}$/.test(applicant.phone.trim())) data.phoneNumber = applicant.phone.trim();
  const dob = applicant.dateOfBirth.trim();
  if (isCalendarDate(dob) && dob >= '1900-01-01' && dob <= kycToday(now, 18)) data.dateOfBirth = dob;
  if (country) data.nationality = country;
  const address = kycAddressOf(applicant.address);
  if (address) data.address = address;
  data.nationalIdType = country === 'US' ? 'SSN' : 'NATIONAL_ID';
  const idNumber = text(applicant.identificationNumber);
  if (idNumber) data.nationalIdNumber = idNumber;
  if (country) data.nationalIdIssuingCountry = country;
  const employment = kycEmploymentStatusOf(applicant.investmentProfile.employmentStatus);
  if (employment) {
    data.employmentStatus = employment;
    data.sourceOfFunds = sourceOfFundsFor(employment);
  }
  const occupation = text(applicant.investmentProfile.occupation);
  if (occupation) data.mostRecentOccupation = occupation;
  data.accountPurpose = 'PERSONAL_USE';
  data.expectedMonthlyPaymentsUsd = 'UNDER_10K';
  data.isIntermediary = false;
  return data;
}
