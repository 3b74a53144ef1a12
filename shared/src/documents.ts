/**
 * Document flags and the document types that clear them (Jiko Partner API, "Uploading
 * Documents"). A flag is cleared when every requirement group is satisfied; a group is
 * satisfied by any one of its types having been uploaded.
 *
 *   idVerification                    ID_FRONT, ID_BACK, and SELFIE or PASSPORT
 *   identificationNumberVerification  IDENTIFICATION_NUMBER_VERIFICATION
 *   addressVerification               ADDRESS_VERIFICATION
 */
import { z } from 'zod';

export const documentFlags = ['idVerification', 'identificationNumberVerification', 'addressVerification'] as const;
export type DocumentFlag = (typeof documentFlags)[number];
export const documentFlagSchema = z.enum(documentFlags);

export const documentFlagLabels: Record<DocumentFlag, string> = {
  idVerification: 'ID verification',
  identificationNumberVerification: 'Identification number verification',
  addressVerification: 'Address verification',
};

export const documentTypes = [
  'ID_FRONT',
  'ID_BACK',
  'SELFIE',
  'PASSPORT',
  'IDENTIFICATION_NUMBER_VERIFICATION',
  'ADDRESS_VERIFICATION',
  'OTHER',
] as const;
export type DocumentType = (typeof documentTypes)[number];
export const documentTypeSchema = z.enum(documentTypes);

export const documentTypeLabels: Record<DocumentType, string> = {
  ID_FRONT: 'ID front',
  ID_BACK: 'ID back',
  SELFIE: 'Selfie',
  PASSPORT: 'Passport',
  IDENTIFICATION_NUMBER_VERIFICATION: 'Identification number verification (SSN card, W-2, tax return)',
  ADDRESS_VERIFICATION: 'Address verification (utility bill, bank statement, lease, …)',
  OTHER: 'Other',
};

/**
 * Lifecycle of a document requested by or sent to a provider. PENDING_UPLOAD is what the
 * provider lists while it waits for the file; UPLOADED once received; then ACCEPTED or
 * REJECTED once the provider has looked at it.
 */
export const documentStatuses = ['PENDING_UPLOAD', 'UPLOADED', 'ACCEPTED', 'REJECTED'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];
export const documentStatusSchema = z.enum(documentStatuses);

/** Statuses in which a document counts towards clearing a flag. */
export const clearingDocumentStatuses: readonly DocumentStatus[] = ['UPLOADED', 'ACCEPTED'];

/** Each inner array is one requirement: any one of its types satisfies it. */
export const flagRequirements: Record<DocumentFlag, readonly (readonly DocumentType[])[]> = {
  idVerification: [['ID_FRONT'], ['ID_BACK'], ['SELFIE', 'PASSPORT']],
  identificationNumberVerification: [['IDENTIFICATION_NUMBER_VERIFICATION']],
  addressVerification: [['ADDRESS_VERIFICATION']],
};

export type DocumentFlags = Record<DocumentFlag, boolean>;

/** True when the uploaded types satisfy every requirement of the flag. */
export function isFlagCleared(flag: DocumentFlag, uploadedTypes: Iterable<DocumentType>): boolean {
  const have = new Set(uploadedTypes);
  return flagRequirements[flag].every((anyOf) => anyOf.some((type) => have.has(type)));
}

/** The flags still raised once the uploaded documents are taken into account. */
export function remainingFlags(flags: DocumentFlags, uploadedTypes: Iterable<DocumentType>): DocumentFlags {
  const types = [...uploadedTypes];
  return {
    idVerification: flags.idVerification && !isFlagCleared('idVerification', types),
    identificationNumberVerification:
      flags.identificationNumberVerification && !isFlagCleared('identificationNumberVerification', types),
    addressVerification: flags.addressVerification && !isFlagCleared('addressVerification', types),
  };
}

/** Document types that would help clear the given raised flags, in checklist order. */
export function typesClearing(flags: DocumentFlags): DocumentType[] {
  const out: DocumentType[] = [];
  for (const flag of documentFlags) {
    if (!flags[flag]) continue;
    for (const group of flagRequirements[flag]) for (const type of group) if (!out.includes(type)) out.push(type);
  }
  return out;
}

/**
 * What a provider accepts as the file of one document type: its media types and its size
 * range in bytes (both ends included). The server holds every upload to its type's rules and
 * serves them per type on the case (`actions.upload.byType`), so the upload form checks a
 * file against exactly the rules of the type chosen.
 */
export const documentFileRulesSchema = z.object({
  contentTypes: z.array(z.string()),
  minBytes: z.int(),
  maxBytes: z.int(),
});
export type DocumentFileRules = {
  readonly contentTypes: readonly string[];
  readonly minBytes: number;
  readonly maxBytes: number;
};

/** Which of a type's file rules a file breaks. */
export const documentFileProblemKinds = ['content_type', 'empty', 'too_large', 'too_small'] as const;
export type DocumentFileProblemKind = (typeof documentFileProblemKinds)[number];

/**
 * The first rule of its type a file breaks, in the order the server checks them, with the
 * words the server answers for the `file` field; null when the file fits. `contentType` is the
 * declared type as the server compares it (lower case, no parameters). The bytes themselves
 * are checked by the server only, after these.
 */
export function documentFileProblem(
  rules: DocumentFileRules,
  file: { contentType: string; size: number },
): { kind: DocumentFileProblemKind; message: string } | null {
  if (!rules.contentTypes.includes(file.contentType))
    return { kind: 'content_type', message: `must be one of ${rules.contentTypes.join(', ')}` };
  if (file.size === 0) return { kind: 'empty', message: `is empty, not ${file.contentType}` };
  if (file.size > rules.maxBytes) return { kind: 'too_large', message: `must be at most ${rules.maxBytes} bytes` };
  if (file.size < rules.minBytes) return { kind: 'too_small', message: `must be at least ${rules.minBytes} bytes` };
  return null;
}
