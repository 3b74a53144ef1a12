/**
 * Staff sign-in for react-admin. The session is an HttpOnly cookie the browser sends by itself
 * (same-origin); the SPA never sees it. Who is signed in comes from `getMe`, read once
 * and kept until sign-out, and `canAccess` answers from the shared permission matrix so the UI
 * only offers what the server would allow.
 *
 * Signing in takes one step or several (a password, then a code or enrolling an authenticator;
 * or the identity provider): the sign-in pages run them (`authApi.ts`) and hand the one that
 * completes to `login`, which keeps who signed in.
 */
import { type Me, roleLabels, type StaffRole } from '@desk/shared';
import { type AuthProvider, HttpError, type UserIdentity } from 'react-admin';
import { callApi } from '../api/callApi';
import { mayAccess } from './access';

export interface DeskIdentity extends UserIdentity {
  id: string;
  fullName: string;
  email: string;
  role: StaffRole;
  roleLabel: string;
}

/** A completed sign-in: the server has set the session cookie, and answered who it is for. */
export interface LoginParams {
  me: Me;
}

const sessionEnded = 'Your session has ended; sign in again.';

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
    reading ??= callApi('getMe')
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
    async login({ me }: LoginParams) {
      current = me;
    },

    async logout() {
      const hadSession = current !== null;
      current = null;
      if (!hadSession) return;
      try {
        await callApi('signOut');
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
      if (status === 401) throw new Error(sessionEnded);
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
