/**
 * What the upload dialog checks before sending, with the rules the server published for this
 * case (`actions.upload`): the chosen type's own rules (`byType`), the very ones the server
 * holds the upload to, and the server's words for what breaks them; and the details the case's
 * provider needs with the type, checked by the provider's document rules as the server checks
 * them (`documentDetailProblems`) — so a wrong file or a missing or wrong document detail is
 * explained at once instead of by a 400, 413, 415 or 422.
 */
import {
  type ApplicationDetail,
  type DocumentDetailKey,
  type DocumentDetails,
  type DocumentFileRules,
  type DocumentType,
  documentDetailKeys,
  documentDetailLabels,
  documentDetailProblems,
  documentFileProblem,
  documentFlagLabels,
  errorBodySchema,
  type Provider,
  shortTypeLabel,
  todayUtc,
  typesClearingChecklist,
} from '@desk/shared';
import { HttpError } from 'react-admin';
import { formatBytes } from '../common/formatBytes';

export type UploadRules = ApplicationDetail['actions']['upload'];
/** What the provider accepts for one document type: file rules and required details. */
export type TypeRules = NonNullable<UploadRules['byType'][DocumentType]>;

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

/** "Issue date" for "Issue date", "Issuing country" for "Issuing country (ISO alpha-3)". */
export const detailName = (key: DocumentDetailKey): string => documentDetailLabels[key].replace(/ \(.*\)$/, '');

/**
 * Why the details given for a document of `type` cannot be sent, by detail, as sentences
 * ("Issue date must not be in the future."): the provider's rules for the type, checked with
 * the server's own check and words. Empty when they can be sent.
 */
export function detailProblems(
  provider: Provider,
  type: DocumentType | '',
  details: DocumentDetails,
  today: string = todayUtc(),
): DocumentDetails {
  if (type === '') return {};
  const out: DocumentDetails = {};
  for (const [key, problem] of Object.entries(documentDetailProblems(provider, type, details, today)) as [
    DocumentDetailKey,
    string,
  ][]) {
    out[key] = `${detailName(key)} ${problem}.`;
  }
  return out;
}

/**
 * What a document of `type` counts towards at the case's provider, from the served checklist:
 * "Counts towards ID verification." when it meets a requirement alone, "Counts towards ID
 * verification (with ID back)." when it does with other types; null when it counts for nothing.
 */
export function typePurpose(checklist: ApplicationDetail['checklist'], type: DocumentType): string | null {
  const parts: string[] = [];
  for (const entry of checklist) {
    const options = entry.requirements.flatMap((r) => r.anyOf).filter((option) => option.includes(type));
    if (options.length === 0) continue;
    const alone = options.some((option) => option.length === 1);
    const others = options.flatMap((option) => option.filter((t) => t !== type));
    const flag = documentFlagLabels[entry.flag];
    parts.push(alone ? flag : `${flag} (with ${others.map(shortTypeLabel).join(' + ')})`);
  }
  return parts.length > 0 ? `Counts towards ${parts.join(' and ')}.` : null;
}

/** The accepted types, those that would meet an unmet requirement of a raised flag first. */
export function groupTypes(detail: ApplicationDetail): { clearing: DocumentType[]; others: DocumentType[] } {
  const accepted = detail.actions.upload.types;
  const clearing = typesClearingChecklist(detail.checklist).filter((type) => accepted.includes(type));
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
