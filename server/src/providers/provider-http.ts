/**
 * The HTTP shell the provider adapters share: a fetch with a timeout whose network failures
 * are `unavailable`, and the reading of an answer (5xx and 429 `unavailable`, other non-2xx
 * refused with the provider's message, a 2xx body parsed with the call's schema).
 */
import type { z } from 'zod';
import { ProviderCallError } from './provider-adapter.js';

/** Builds the error for a refused answer from its parsed JSON body (null when none) and its text. */
export type RefusalOf = (status: number, json: unknown, text: string) => ProviderCallError;

/** `fetch` with a timeout; a timeout or network failure is `<name> timed out` / `<name> could not be reached`. */
export async function providerFetch(
  name: string,
  url: string,
  init: RequestInit,
  timeoutMs = 10_000,
): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const why = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    throw new ProviderCallError('unavailable', `${name} ${why}`);
  }
}

/** The usual refusal: `<name> answered <status>: <detail>`, the detail from `describe` or the body's first 200 characters. */
export function refusalWith(name: string, describe: (json: unknown) => string | null): RefusalOf {
  return (status, json, text) =>
    new ProviderCallError('refused', `${name} answered ${status}: ${describe(json) ?? text.slice(0, 200)}`, status);
}

/** The answer's body parsed with `schema`, or the error the answer amounts to. */
export async function readProviderAnswer<S extends z.ZodType>(
  name: string,
  res: Response,
  schema: S,
  refusal: RefusalOf,
): Promise<z.output<S>> {
  const text = await res.text().catch(() => '');
  if (res.status >= 500 || res.status === 429) {
    throw new ProviderCallError('unavailable', `${name} answered ${res.status}`, res.status);
  }
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) throw refusal(res.status, json, text);
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new ProviderCallError('unavailable', `${name} answered with a body the desk does not understand`, res.status);
  return parsed.data;
}
