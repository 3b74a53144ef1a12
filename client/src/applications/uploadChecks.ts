/**
 * What the upload dialog checks before sending, with the rules the server published for this
 * case (`actions.upload`): the chosen type's own rules (`byType`), the very ones the server
 * holds the upload to, and the server's words for what breaks them — so a wrong file or a
 * missing document detail is explained at once instead of by a 400, 413, 415 or 422.
 */
import {
  type ApplicationDetail,
  type DocumentDetailKey,
  type DocumentFileRules,
  type DocumentType,
  documentDetailKeys,
  documentDetailLabels,
  documentFileProblem,
  documentUploadFieldsSchema,
  errorBodySchema,
  typesClearing,
} from '@desk/shared';
import { HttpError } from 'react-admin';
import { formatBytes } from '../common/formatBytes';

export type UploadRules = ApplicationDetail['actions']['upload'];
/** What the provider accepts for one document type: file rules and required details. */
export type TypeRules = NonNullable<UploadRules['byType'][DocumentType]>;

/** The details sent with a document, by key (only those the provider requires for its type). */
export type DocumentDetails = Partial<Record<DocumentDetailKey, string>>;

/** The rules of the chosen type; null when no type is chosen or the provider does not accept it. */
export function rulesOf(type: DocumentType | '', rules: UploadRules): TypeRules | null {
  return type === '' ? null : (rules.byType[type] ?? null);
}

/** "application/pdf" → "PDF". */
export function contentTypeLabel(contentType: string): string {
  const subtype = contentType.split('/')[1] ?? contentType;
  return subtype.replace(/^x-/, '').toUpperCase();
}

/**
 * "PDF, JPEG or PNG, up to 10 MB", or "JPEG or PNG, 100 KB to 10 MB" when there is a minimum
 * size: of one type's rules, or of every type's together before a type is chosen.
 */
export function describeRules(rules: DocumentFileRules): string {
  const labels = rules.contentTypes.map(contentTypeLabel);
  const kinds = labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}` : (labels[0] ?? 'Any file');
  const min = rules.minBytes > 1 ? formatBytes(rules.minBytes) : null;
  const max = rules.maxBytes > 0 ? formatBytes(rules.maxBytes) : null;
  if (min && max) return `${kinds}, ${min} to ${max}`;
  if (min) return `${kinds}, at least ${min}`;
  if (max) return `${kinds}, up to ${max}`;
  return kinds;
}

/**
 * Why this file cannot be sent as a document of the chosen type (`typeRules`), or null when it
 * can, in the server's words. Without a type there is nothing to hold the file to yet: the
 * type's own problem is shown beside the type.
 */
export function fileProblem(file: File | null, typeRules: TypeRules | null): string | null {
  if (!file) return 'Choose a file to upload.';
  if (!typeRules) return null;
  const problem = documentFileProblem(typeRules, { contentType: file.type.toLowerCase(), size: file.size });
  return problem ? `${file.name} ${problem.message}.` : null;
}

export function typeProblem(type: DocumentType | '', rules: UploadRules): string | null {
  if (type === '') return 'Choose the document type.';
  return rulesOf(type, rules) ? null : 'The provider does not accept this document type.';
}

/** The details the provider requires with a document of the chosen type, in the contract's order. */
export function requiredDetailsOf(typeRules: TypeRules | null): DocumentDetailKey[] {
  const required = typeRules?.requiredDetails ?? [];
  return documentDetailKeys.filter((key) => required.includes(key));
}

/** Today as YYYY-MM-DD in UTC, the day the server compares expiry dates with. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The day after `today` (YYYY-MM-DD), the earliest expiry date accepted. */
export function dayAfter(today: string): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

const detailSchemas = {
  number: documentUploadFieldsSchema.shape.number.unwrap(),
  issuingCountry: documentUploadFieldsSchema.shape.issuingCountry.unwrap(),
  expiresOn: documentUploadFieldsSchema.shape.expiresOn.unwrap(),
} as const;

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Why a required detail cannot be sent, or null when it can: it must be given, match the
 * contract's format (the shared upload schema), and an expiry date must be after today.
 */
export function detailProblem(key: DocumentDetailKey, value: string, today: string = todayUtc()): string | null {
  const trimmed = value.trim();
  if (trimmed === '') return `Enter the ${documentDetailLabels[key].replace(/ \(.*\)$/, '').toLowerCase()}.`;
  const parsed = detailSchemas[key].safeParse(trimmed);
  if (!parsed.success) return `${capitalise(parsed.error.issues[0]?.message ?? 'is not valid')}.`;
  if (key === 'expiresOn' && trimmed <= today) return 'The document has expired; the expiry date must be after today.';
  return null;
}

/** The first problem among the required details, by key. */
export function detailProblems(
  keys: readonly DocumentDetailKey[],
  details: DocumentDetails,
  today: string = todayUtc(),
): DocumentDetails {
  const out: DocumentDetails = {};
  for (const key of keys) {
    const problem = detailProblem(key, details[key] ?? '', today);
    if (problem) out[key] = problem;
  }
  return out;
}

/** The accepted types, those that help clear the raised flags first. */
export function groupTypes(detail: ApplicationDetail): { clearing: DocumentType[]; others: DocumentType[] } {
  const accepted = detail.actions.upload.types;
  const clearing = typesClearing(detail.flags).filter((type) => accepted.includes(type));
  return { clearing, others: accepted.filter((type) => !clearing.includes(type)) };
}

/** An input of the upload form that the server may name in its field errors. */
export type UploadField = 'type' | 'file' | DocumentDetailKey;
const uploadFields: readonly string[] = ['type', 'file', ...documentDetailKeys];
const isUploadField = (field: string | undefined): field is UploadField =>
  field !== undefined && uploadFields.includes(field);

/** Field errors of a failed upload (`body.type` → `type`, `expiresOn` → `expiresOn`), from the server's error body. */
export function serverFieldErrors(error: unknown): Partial<Record<UploadField, string>> {
  if (!(error instanceof HttpError)) return {};
  const parsed = errorBodySchema.safeParse(error.body);
  if (!parsed.success || !parsed.data.errors) return {};
  const out: Partial<Record<UploadField, string>> = {};
  for (const [key, messages] of Object.entries(parsed.data.errors)) {
    const field = key.split('.').at(-1);
    if (isUploadField(field) && messages.length > 0) {
      const text = messages.join('; ');
      out[field] = out[field] ? `${out[field]}; ${text}` : text;
    }
  }
  return out;
}
