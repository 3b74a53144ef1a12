/**
 * The staff directory and its admin page: the list (everyone; the admin page shows every
 * column), creating and changing a member (admins, with the version last read), and what an
 * admin does about a member's access: a new set-password link, the role grants waiting for a
 * second admin, resetting a lost second factor, ending sessions. Server errors of the forms
 * come back in the shape react-admin's forms show inline: each field's messages under its
 * name, anything else under `root.serverError`.
 */
import {
  type RoleGrant,
  type RoleGrantState,
  type StaffAccessPending,
  type StaffCreate,
  type StaffCreated,
  type StaffInvitation,
  type StaffMember,
  type StaffRole,
  type StaffSession,
  type StaffUpdate,
  staffRoles,
} from '@desk/shared';
import { HttpError, type Identifier, type SortPayload } from 'react-admin';
import type { ApiErrorBody } from '../api/apiErrors';
import { callApi } from '../api/callApi';

/** The fields the staff forms have; anything else the server names goes to the form's root. */
const formFields = new Set(['name', 'email', 'role', 'active']);

export const staffApi = {
  /** Every staff member (one page holds them all). */
  listStaff: async (signal?: AbortSignal): Promise<StaffMember[]> => (await callApi('listStaff', { signal })).data,

  /**
   * A new set-password link for the member, shown once; their open links stop working. For a
   * privileged member the answer is the request waiting for a second admin instead.
   */
  reissueInvitation: (id: Identifier): Promise<StaffInvitation | StaffAccessPending> =>
    callApi('reissueInvitation', { params: { id: String(id) } }),

  /** The link of an approved link request, shown once to the admin who asked for it. */
  takeGrantLink: (id: Identifier): Promise<StaffInvitation> => callApi('takeGrantLink', { params: { id: String(id) } }),

  /** Privileged role grants in a state (pending by default), newest first. */
  listRoleGrants: async (state: RoleGrantState | 'all', signal?: AbortSignal): Promise<RoleGrant[]> =>
    (await callApi('listRoleGrants', { query: { state }, signal })).data,

  /** A second admin approves a grant: it takes effect, and the member signs in again. */
  approveRoleGrant: (id: Identifier): Promise<RoleGrant> => callApi('approveRoleGrant', { params: { id: String(id) } }),

  /** Refuses a pending grant (the admin who asked withdraws it the same way). */
  refuseRoleGrant: (id: Identifier, reason?: string): Promise<RoleGrant> =>
    callApi('refuseRoleGrant', { params: { id: String(id) }, body: reason ? { reason } : {} }),

  /** Removes a member's second factor and recovery codes (a lost phone): their sessions end, they enrol again. */
  resetStaffSecondFactor: async (id: Identifier): Promise<StaffAccessPending | null> =>
    (await callApi('resetStaffSecondFactor', { params: { id: String(id) } })) ?? null,

  /** A member's live sessions, newest first. */
  listStaffSessions: async (id: Identifier, signal?: AbortSignal): Promise<StaffSession[]> =>
    (await callApi('listStaffSessions', { params: { id: String(id) }, signal })).data,

  /** Ends every live session of a member. */
  endStaffSessions: (id: Identifier): Promise<void> => callApi('endStaffSessions', { params: { id: String(id) } }),

  /** Ends one live session of a member. */
  endStaffSession: (id: Identifier, sessionId: string): Promise<void> =>
    callApi('endStaffSession', { params: { id: String(id), sessionId } }),
};

export type StaffApi = typeof staffApi;

export async function findStaffMember(id: Identifier, signal?: AbortSignal): Promise<StaffMember> {
  const member = (await staffApi.listStaff(signal)).find((m) => m.id === String(id));
  if (!member) {
    const message = 'This staff member does not exist.';
    throw new HttpError(message, 404, { message, code: 'not_found' });
  }
  return member;
}

type SortableValue = string | number | boolean | null;

function sortValue(member: StaffMember, field: string): SortableValue {
  switch (field) {
    case 'email':
      return member.email;
    case 'role':
      return member.role;
    case 'active':
      return member.active;
    case 'lastSignInAt':
      return member.lastSignInAt;
    case 'createdAt':
      return member.createdAt;
    default:
      return member.name.toLowerCase();
  }
}

function compare(a: SortableValue, b: SortableValue): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** The directory is one page: sorted here, by the column the admin clicked. */
export function sortStaff(members: readonly StaffMember[], sort: SortPayload | undefined): StaffMember[] {
  const field = sort?.field ?? 'name';
  const direction = sort?.order === 'DESC' ? -1 : 1;
  return [...members].sort((a, b) => direction * compare(sortValue(a, field), sortValue(b, field)));
}

function isRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (staffRoles as readonly string[]).includes(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** What the create form holds, as the server takes it (the server checks every field again). */
export function staffCreateBody(data: Readonly<Record<string, unknown>>): StaffCreate {
  return {
    name: text(data.name)?.trim() ?? '',
    email: text(data.email)?.trim() ?? '',
    role: isRole(data.role) ? data.role : 'analyst',
  };
}

/** What the edit form changed, with the version it was loaded at. The email is not editable. */
export function staffUpdateBody(
  data: Readonly<Record<string, unknown>>,
  previous: Readonly<Record<string, unknown>> | undefined,
): StaffUpdate {
  const version =
    typeof data.version === 'number' ? data.version : typeof previous?.version === 'number' ? previous.version : -1;
  const name = text(data.name);
  return {
    version,
    ...(name !== undefined ? { name: name.trim() } : {}),
    ...(isRole(data.role) ? { role: data.role } : {}),
    ...(typeof data.active === 'boolean' ? { active: data.active } : {}),
  };
}

/** Errors a react-admin form can show: `{ field: message, root: { serverError } }`. */
export type StaffFormErrors = Record<string, string | { serverError: string }>;

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  return typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string';
}

/** The server's first sentence, without the field details `apiErrors` appends. */
function headline(body: ApiErrorBody): string {
  const cut = body.errors ? body.message.indexOf(': ') : -1;
  return cut > 0 ? body.message.slice(0, cut) : body.message;
}

/** Turns a failed save into an error whose body the form shows inline (400, 409). */
export function asStaffFormError(error: unknown): unknown {
  if (!(error instanceof HttpError) || (error.status !== 400 && error.status !== 409)) return error;
  const body: unknown = error.body;
  if (!isApiErrorBody(body)) return error;

  const errors: StaffFormErrors = {};
  const elsewhere: string[] = [];
  for (const [key, messages] of Object.entries(body.errors ?? {})) {
    const field = key.replace(/^body\./, '');
    if (formFields.has(field)) errors[field] = messages.join('; ');
    else if (field !== 'version') elsewhere.push(`${field} ${messages.join('; ')}`);
  }
  if (body.code === 'stale_version') {
    errors.root = { serverError: `${headline(body)}. Reload to see the current values, then make your change again.` };
  } else if (elsewhere.length > 0 || Object.keys(errors).length === 0) {
    errors.root = { serverError: elsewhere.length > 0 ? `${headline(body)}: ${elsewhere.join('; ')}` : body.message };
  }
  return new HttpError(error.message, error.status, { ...body, errors });
}

/**
 * A member just created, as react-admin's create hands it to the page: the member, with the
 * set-password link to show once and the grant their role waits for.
 */
export type CreatedStaffMember = StaffMember & Pick<StaffCreated, 'invitation' | 'grant'>;

export async function createStaffMember(data: Readonly<Record<string, unknown>>): Promise<CreatedStaffMember> {
  try {
    const { member, invitation, grant } = await callApi('createStaff', { body: staffCreateBody(data) });
    return { ...member, invitation, grant };
  } catch (error) {
    throw asStaffFormError(error);
  }
}

/**
 * A member as the edit page holds them; once saved, `pendingGrant` says whether the role part
 * waits for a second admin (202) — absent on a member merely read.
 */
export type SavedStaffMember = StaffMember & { pendingGrant?: RoleGrant | null };

export async function updateStaffMember(
  id: Identifier,
  data: Readonly<Record<string, unknown>>,
  previous: Readonly<Record<string, unknown>> | undefined,
): Promise<SavedStaffMember> {
  try {
    const answer = await callApi('updateStaff', { params: { id: String(id) }, body: staffUpdateBody(data, previous) });
    // 202: the other changes are made; a privileged role waits for a second admin.
    return 'grant' in answer ? { ...answer.member, pendingGrant: answer.grant } : { ...answer, pendingGrant: null };
  } catch (error) {
    throw asStaffFormError(error);
  }
}
