/**
 * The sign-in routes, for the pages a visitor sees before the desk knows them: the sign-in page
 * and its second step, the set-password page and the page the identity provider sends the
 * browser back to. Each step's cookie (the sign-in step, the pending single sign-on) is
 * HttpOnly and path-scoped: the browser carries it, the page never sees it. A completed step
 * answers who signed in (`Me`), which the page hands to the auth provider (`login({ me })`).
 */
import type { Me, SignInStep } from '@desk/shared';
import { HttpError } from 'react-admin';
import { fieldErrorsOf } from '../api/apiErrors';
import { type ApiBody, callApi } from '../api/callApi';

export const authApi = {
  /** What the sign-in page offers: password sign-in, and single sign-on under its name. */
  signInOptions: (signal?: AbortSignal) => callApi('getSignInOptions', { signal }),

  /** The password step: signed in (200), or a second step owed (202). */
  signIn: (body: ApiBody<'signIn'>): Promise<Me | SignInStep> => callApi('signIn', { body }),

  /** The second step: a code from the authenticator, or a recovery code (used up). */
  signInWithSecondFactor: (body: ApiBody<'signInSecondFactor'>) => callApi('signInSecondFactor', { body }),

  /** During a sign-in that must enrol first: a new secret and its QR code, shown once. */
  beginSignInEnrolment: () => callApi('beginSignInEnrolment'),

  /** The new authenticator's first code: signed in, and the recovery codes (shown once). */
  confirmSignInEnrolment: (code: string) => callApi('confirmSignInEnrolment', { body: { code } }),

  /** Where to send the browser to sign in at the identity provider. */
  startSingleSignOn: () => callApi('startSingleSignOn'),

  /** Back from the identity provider: the query string it sent the browser back with. */
  completeSingleSignOn: (query: string) => callApi('completeSingleSignOn', { body: { query } }),

  /** Whom a set-password link is for (404: not a link of this desk; 409: used, replaced or expired). */
  inspectInvitation: (token: string, signal?: AbortSignal) => callApi('inspectInvitation', { body: { token }, signal }),

  /** Sets the member's password from the link, which is then used up. */
  acceptInvitation: (token: string, password: string) => callApi('acceptInvitation', { body: { token, password } }),
};

/** A 202 from the password step: the second step it asks for. */
export function isSignInStep(answer: Me | SignInStep): answer is SignInStep {
  return 'next' in answer;
}

const statusOf = (error: unknown) => (error instanceof HttpError ? error.status : null);

/** What the sign-in page says when the password step fails. */
export function passwordStepError(error: unknown): string {
  switch (statusOf(error)) {
    case 401:
      return 'Email or password is wrong';
    case 429:
      return 'Too many failed sign-ins — wait a few minutes and try again.';
    case 400:
      return 'Enter your email address and your password.';
    default:
      return error instanceof Error ? error.message : 'Signing in failed.';
  }
}

/**
 * A refused code: the code itself was wrong (stay on the step and try again), or the step is
 * over — expired, or never started in this browser — and the password comes first again.
 */
export function codeRefusal(error: unknown): { message: string; restart: boolean } {
  const status = statusOf(error);
  if (status === 429) return { message: 'Too many wrong codes — wait a few minutes and try again.', restart: false };
  const fields = Object.keys(fieldErrorsOf(error));
  if (status === 401 && !fields.some((field) => /(^|\.)(code|recoveryCode)$/.test(field))) {
    return { message: 'This sign-in step has expired. Sign in with your password again.', restart: true };
  }
  if (status === 401) {
    return {
      message: error instanceof Error ? withoutFieldDetails(error.message) : 'That code is wrong.',
      restart: false,
    };
  }
  return { message: error instanceof Error ? error.message : 'The code could not be checked.', restart: false };
}

/** "That code is not the one…: code is not…" → its first sentence (the field detail repeats it). */
function withoutFieldDetails(message: string): string {
  const cut = message.indexOf(': ');
  return cut > 0 ? message.slice(0, cut) : message;
}
