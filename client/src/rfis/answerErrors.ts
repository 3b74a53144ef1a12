import { errorBodySchema } from '@desk/shared';
import { HttpError } from 'react-admin';

/**
 * The server's field errors of a refused answer, by the key of the input they belong to: an
 * item key, or `text` / `fields`. A key the server prefixed (`fields.address.line1`,
 * `body.text`) is matched to its input; a key that is itself an item key is kept as it is.
 */
export function answerFieldErrors(error: unknown, itemKeys: readonly string[]): Record<string, string> {
  if (!(error instanceof HttpError)) return {};
  const parsed = errorBodySchema.safeParse(error.body);
  if (!parsed.success || !parsed.data.errors) return {};
  const out: Record<string, string> = {};
  for (const [raw, messages] of Object.entries(parsed.data.errors)) {
    if (messages.length === 0) continue;
    const unprefixed = raw.replace(/^body\./, '').replace(/^(fields|files|documents)\./, '');
    const key = itemKeys.includes(raw) ? raw : unprefixed;
    out[key] = out[key] ? `${out[key]}; ${messages.join('; ')}` : messages.join('; ');
  }
  return out;
}
