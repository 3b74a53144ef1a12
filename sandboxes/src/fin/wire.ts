/**
 * Fin.com's wire shapes that the guide leaves open, as the sandbox defines them (attach
 * documents follow the guide's example exactly):
 *
 *   required_actions (ACTION_REQUIRED)  [{ category, document_types, reason }]: what to
 *       re-attach; any valid attach answers it.
 *   rfi (ON_HOLD)  { id, customer_id, status: OPEN | ANSWERED, sections: [{ section,
 *       fields: [{ field, status, description }], documents: [{ document_type, status,
 *       description }] }], created_at, answered_at }, item status MISSING | INVALID | EXPIRED.
 *   RFI answer  { fields: { "<section>.<field>": "value" }, documents: [{ type, expiry_date?,
 *       files: [{ uri, side? }] }] }: exactly the requested items, nothing else.
 */
export const identityDocumentTypes = [
  'PASSPORT',
  'NATIONAL_ID',
  'DRIVERS_LICENSE',
  'RESIDENCE_PERMIT',
  'SELFIE',
] as const;
export type IdentityDocumentType = (typeof identityDocumentTypes)[number];
export const addressDocumentTypes = ['UTILITY_BILL', 'BANK_STATEMENT', 'GOVERNMENT_LETTER'] as const;
export type AddressDocumentType = (typeof addressDocumentTypes)[number];
export const fileSides = ['FRONT', 'BACK'] as const;
export type FileSide = (typeof fileSides)[number];

export type FinFileRef = { uri: string; side?: FileSide };

export type FinIdentityDocument = {
  type: IdentityDocumentType;
  number?: string;
  country?: string;
  state?: string;
  issue_date?: string;
  expiry_date?: string;
  files: FinFileRef[];
};

export type FinAddressDocument = {
  type: AddressDocumentType;
  country: string;
  issue_date?: string;
  files: FinFileRef[];
};

export type FinAttachDocuments = {
  identifying_documents: FinIdentityDocument[];
  address_documents: FinAddressDocument[];
};

export const requiredActionCategories = ['IDENTITY_DOCUMENT', 'ADDRESS_DOCUMENT', 'SELFIE'] as const;
export type RequiredAction = {
  category: (typeof requiredActionCategories)[number];
  document_types: string[];
  reason: string;
};

export const rfiItemStatuses = ['MISSING', 'INVALID', 'EXPIRED'] as const;
export type RfiItemStatus = (typeof rfiItemStatuses)[number];
export const rfiSections = [
  'basic_info',
  'address',
  'financial_profile',
  'identifying_documents',
  'address_documents',
] as const;
export type RfiSectionName = (typeof rfiSections)[number];

export type FinRfiSection = {
  section: RfiSectionName;
  fields: { field: string; status: RfiItemStatus; description: string }[];
  documents: {
    document_type: IdentityDocumentType | AddressDocumentType;
    status: RfiItemStatus;
    description: string;
  }[];
};

export type FinRfiDocumentAnswer = {
  type: IdentityDocumentType | AddressDocumentType;
  expiry_date?: string;
  files: FinFileRef[];
};
export type FinRfiAnswer = { fields: Record<string, string>; documents: FinRfiDocumentAnswer[] };

export type FinRfi = {
  id: string;
  customer_id: string;
  status: 'OPEN' | 'ANSWERED';
  sections: FinRfiSection[];
  created_at: string;
  answered_at: string | null;
};
