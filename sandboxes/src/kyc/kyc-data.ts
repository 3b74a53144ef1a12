/**
 * The customer's KYC data in the guide's shape (camelCase, as sent in `kycData`), and the
 * closed lists the guide gives. Every top-level field is optional in storage: data may be
 * sent in several PATCHes, and what is still missing at review time is requested (RFI).
 *
 * Document types: the guide spells PASSPORT, DRIVERS_LICENSE and UTILITY_BILL; the other
 * accepted kinds it lists ("National ID Card", "Residence Permit", "State ID Card", "bank
 * statement", "lease agreement") are named here in the same style.
 */
export const employmentStatuses = ['EMPLOYED', 'SELF_EMPLOYED', 'UNEMPLOYED', 'RETIRED', 'STUDENT'] as const;
export const sourcesOfFunds = ['EMPLOYMENT', 'BUSINESS', 'INVESTMENTS', 'INHERITANCE', 'SAVINGS'] as const;
export const accountPurposes = ['PERSONAL_USE', 'BUSINESS_USE', 'INVESTMENT'] as const;
export const expectedMonthlyPayments = ['UNDER_10K', '10K_TO_50K', '50K_TO_100K', 'OVER_100K'] as const;
export const nationalIdTypes = ['SSN', 'TIN', 'NATIONAL_ID'] as const;

export const governmentIdTypes = [
  'PASSPORT',
  'DRIVERS_LICENSE',
  'NATIONAL_ID_CARD',
  'RESIDENCE_PERMIT',
  'STATE_ID_CARD',
] as const;
export const proofOfAddressTypes = ['UTILITY_BILL', 'BANK_STATEMENT', 'LEASE_AGREEMENT'] as const;
export const documentTypes = [...governmentIdTypes, ...proofOfAddressTypes] as const;
export type KycDocumentType = (typeof documentTypes)[number];

export const documentCategories = ['GOVERNMENT_ID', 'PROOF_OF_ADDRESS'] as const;
export type DocumentCategory = (typeof documentCategories)[number];

export const acceptedTypesByCategory: Record<DocumentCategory, readonly KycDocumentType[]> = {
  GOVERNMENT_ID: governmentIdTypes,
  PROOF_OF_ADDRESS: proofOfAddressTypes,
};

export function categoryOf(type: KycDocumentType): DocumentCategory {
  return (governmentIdTypes as readonly string[]).includes(type) ? 'GOVERNMENT_ID' : 'PROOF_OF_ADDRESS';
}

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

export type KycData = {
  legalFirstName?: string;
  legalLastName?: string;
  legalMiddleName?: string;
  phoneNumber?: string;
  dateOfBirth?: string;
  nationality?: string;
  address?: KycAddress;
  nationalIdType?: (typeof nationalIdTypes)[number];
  nationalIdNumber?: string;
  nationalIdIssuingCountry?: string;
  employmentStatus?: (typeof employmentStatuses)[number];
  mostRecentOccupation?: string;
  sourceOfFunds?: (typeof sourcesOfFunds)[number];
  accountPurpose?: (typeof accountPurposes)[number];
  expectedMonthlyPaymentsUsd?: (typeof expectedMonthlyPayments)[number];
  isIntermediary?: boolean;
  documents?: KycDocument[];
};

/** Top-level fields a review needs (legalMiddleName is the only optional one). */
export const requiredKycFields = [
  'legalFirstName',
  'legalLastName',
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
] as const satisfies readonly (keyof KycData)[];
