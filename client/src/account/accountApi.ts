/**
 * The signed-in member's own account: their time zone, their second factor (status, adding an
 * authenticator, new recovery codes) and their live sessions. Every role has these; gathered into the data
 * provider (`dataProvider.ts`).
 */
import type { RecoveryCodes, SecondFactorStatus, StaffPreferences, StaffSession, TotpEnrolment } from '@desk/shared';
import type { Identifier } from 'react-admin';
import { callApi } from '../api/callApi';

export const accountApi = {
  /** Your settings: the time zone times are shown in (null: your browser's). */
  getOwnPreferences: async (signal?: AbortSignal): Promise<StaffPreferences> => ({
    timeZone: (await callApi('getMe', { signal })).timeZone,
  }),

  /** Stores your time zone (an IANA name, or null for your browser's). */
  updateOwnPreferences: (timeZone: string | null): Promise<StaffPreferences> =>
    callApi('updateOwnPreferences', { body: { timeZone } }),

  /** Whether you have a second factor, how many recovery codes are left, whether the policy asks you for one. */
  getOwnSecondFactor: (signal?: AbortSignal): Promise<SecondFactorStatus> => callApi('getOwnSecondFactor', { signal }),

  /** A new authenticator secret with its QR code, shown once (409: you have one already). */
  beginOwnEnrolment: (): Promise<TotpEnrolment> => callApi('beginOwnEnrolment'),

  /** The new authenticator's first code: it holds, and the recovery codes are shown once (422: wrong code). */
  confirmOwnEnrolment: (code: string): Promise<RecoveryCodes> => callApi('confirmOwnEnrolment', { body: { code } }),

  /** New recovery codes for a current code; the unused old ones stop working. */
  renewOwnRecoveryCodes: (code: string): Promise<RecoveryCodes> => callApi('renewOwnRecoveryCodes', { body: { code } }),

  /** Your live sessions, newest first, the one of this browser marked. */
  listOwnSessions: async (signal?: AbortSignal): Promise<StaffSession[]> =>
    (await callApi('listOwnSessions', { signal })).data,

  /** Ends one of your sessions (this browser's signs you out). */
  endOwnSession: (id: Identifier): Promise<void> => callApi('endOwnSession', { params: { id: String(id) } }),
};

export type AccountApi = typeof accountApi;
