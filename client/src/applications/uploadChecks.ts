/**
 * What the upload dialog checks before sending, with the limits the server published for this
 * case (`actions.upload`), so a wrong file is explained at once instead of by a 413 or 415.
 */
import { errorBodySchema, typesClearing, type ApplicationDetail, type DocumentType } from '@desk/shared';
import { HttpError } from 'react-admin';
import { formatBytes } from '../common/formatBytes';

export type UploadRules = ApplicationDetail['actions']['upload'];

/** "application/pdf" → "PDF". */
export function contentTypeLabel(contentType: string): string {
  const subtype = contentType.split('/')[1] ?? contentType;
  return subtype.replace(/^x-/, '').toUpperCase();
}

/** "PDF, JPEG or PNG, up to 10 MB". */
export function describeRules(rules: UploadRules): string {
  const labels = rules.contentTypes.map(contentTypeLabel);
  const kinds = labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}` : (labels[0] ?? 'Any file');
  return rules.maxBytes > 0 ? `${kinds}, up to ${formatBytes(rules.maxBytes)}` : kinds;
}

/** Why this file cannot be sent, or null when it can. */
export function fileProblem(file: File | null, rules: UploadRules): string | null {
  if (!file) return 'Choose a file to upload.';
  if (file.size === 0) return `${file.name} is empty.`;
  if (!file.type) return `The type of ${file.name} is not recognised; accepted: ${describeRules(rules)}.`;
  if (!rules.contentTypes.includes(file.type)) {
    return `${contentTypeLabel(file.type)} files (${file.type}) are not accepted; accepted: ${describeRules(rules)}.`;
  }
  if (rules.maxBytes > 0 && file.size > rules.maxBytes) {
    return `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(rules.maxBytes)}.`;
  }
  return null;
}

export function typeProblem(type: DocumentType | '', rules: UploadRules): string | null {
  if (type === '') return 'Choose the document type.';
  return rules.types.includes(type) ? null : 'The provider does not accept this document type.';
}

/** The accepted types, those that help clear the raised flags first. */
export function groupTypes(detail: ApplicationDetail): { clearing: DocumentType[]; others: DocumentType[] } {
  const accepted = detail.actions.upload.types;
  const clearing = typesClearing(detail.flags).filter((type) => accepted.includes(type));
  return { clearing, others: accepted.filter((type) => !clearing.includes(type)) };
}

/** Field errors of a failed upload (`body.type` → `type`), from the server's error body. */
export function serverFieldErrors(error: unknown): { type?: string; file?: string } {
  if (!(error instanceof HttpError)) return {};
  const parsed = errorBodySchema.safeParse(error.body);
  if (!parsed.success || !parsed.data.errors) return {};
  const out: { type?: string; file?: string } = {};
  for (const [key, messages] of Object.entries(parsed.data.errors)) {
    const field = key.split('.').at(-1);
    if ((field === 'type' || field === 'file') && messages.length > 0) out[field] = messages.join('; ');
  }
  return out;
}
