/**
 * Staff sign-in for react-admin. The session is an HttpOnly cookie the browser sends by itself
 * (same-origin); the SPA never sees it. Who is signed in comes from `GET /api/auth/me`, read once
 * and kept until sign-out, and `canAccess` answers from the shared permission matrix so the UI
 * only offers what the server would allow.
 */
import { type Me, meSchema, roleLabels, type StaffRole } from '@desk/shared';
import { type AuthProvider, HttpError, type UserIdentity } from 'react-admin';
import { getJson, postJson, sendEmpty } from '../api/httpClient';
import { mayAccess } from './access';

export interface DeskIdentity extends UserIdentity {
  id: string;
  fullName: string;
  email: string;
  role: StaffRole;
  roleLabel: string;
}

export interface LoginParams {
  email: string;
  password: string;
}

export const signInMessages = {
  wrongCredentials: 'Email or password is wrong',
  throttled: 'Too many failed sign-ins — wait a few minutes and try again.',
  sessionEnded: 'Your session has ended; sign in again.',
} as const;

function statusOf(error: unknown): number | null {
  if (error instanceof HttpError) return error.status;
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number')
    return error.status;
  return null;
}

export function identityOf(me: Me): DeskIdentity {
  return { id: me.id, fullName: me.name, email: me.email, role: me.role, roleLabel: roleLabels[me.role] };
}

export function createAuthProvider(): AuthProvider {
  let current: Me | null = null;
  let reading: Promise<Me | null> | null = null;

  /** The signed-in staff member, or null when there is no session. */
  function loadMe(): Promise<Me | null> {
    if (current) return Promise.resolve(current);
    reading ??= getJson('/api/auth/me', meSchema)
      .then((me) => {
        current = me;
        return me;
      })
      .catch((error: unknown) => {
        if (statusOf(error) === 401) return null;
        throw error;
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  }

  return {
    async login({ email, password }: LoginParams) {
      current = null;
      try {
        current = await postJson('/api/auth/login', meSchema, { json: { email, password } });
      } catch (error) {
        const status = statusOf(error);
        if (status === 401) throw new Error(signInMessages.wrongCredentials);
        if (status === 429) throw new Error(signInMessages.throttled);
        if (status === 400) throw new Error('Enter your email address and your password.');
        throw error instanceof Error ? error : new Error('Signing in failed.');
      }
    },

    async logout() {
      const hadSession = current !== null;
      current = null;
      if (!hadSession) return;
      try {
        await sendEmpty('POST', '/api/auth/logout');
      } catch {
        // The session is gone either way (expired, or the server cannot be reached).
      }
    },

    async checkAuth() {
      const me = await loadMe();
      // No toast: the sign-in page says what to do.
      if (!me) throw { message: false };
    },

    async checkError(error: unknown) {
      const status = statusOf(error);
      // 401: the session ended (idle, revoked, a role change) — back to the sign-in page.
      if (status === 401) throw new Error(signInMessages.sessionEnded);
      // 403 and anything else: stay; the screen shows the server's message.
    },

    async getIdentity() {
      const me = await loadMe();
      if (!me) throw new Error('Not signed in');
      return identityOf(me);
    },

    async getPermissions() {
      const me = await loadMe();
      return me?.permissions ?? [];
    },

    async canAccess({ resource, action }: { resource: string; action: string }) {
      return mayAccess(await loadMe(), resource, action);
    },
  };
}

export const authProvider = createAuthProvider();
