/**
 * The staff directory and its admin page over HTTP: `GET /api/staff` (everyone; the admin page
 * shows every column), `POST /api/staff` and `PATCH /api/staff/:id` (admins, with the version
 * last read). Server errors come back in the shape react-admin's forms show inline: each field's
 * messages under its name, anything else under `root.serverError`.
 */
import {
  listResponseSchema,
  type StaffCreate,
  type StaffMember,
  type StaffRole,
  type StaffUpdate,
  staffMemberSchema,
  staffRoles,
} from '@desk/shared';
import { HttpError, type Identifier, type SortPayload } from 'react-admin';
import { type ApiErrorBody, getJson, patchJson, postJson } from '../api/httpClient';

const staffMemberListSchema = listResponseSchema(staffMemberSchema);

/** The fields the staff forms have; anything else the server names goes to the form's root. */
const formFields = new Set(['name', 'email', 'role', 'password', 'active']);

export async function listStaffMembers(signal?: AbortSignal): Promise<StaffMember[]> {
  return (await getJson('/api/staff?limit=200', staffMemberListSchema, { signal })).data;
}

export async function findStaffMember(id: Identifier, signal?: AbortSignal): Promise<StaffMember> {
  const member = (await listStaffMembers(signal)).find((m) => m.id === String(id));
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
    password: text(data.password) ?? '',
  };
}

/**
 * What the edit form changed, with the version it was loaded at. The email is not editable;
 * an empty password field means "keep the password".
 */
export function staffUpdateBody(
  data: Readonly<Record<string, unknown>>,
  previous: Readonly<Record<string, unknown>> | undefined,
): StaffUpdate {
  const version =
    typeof data.version === 'number' ? data.version : typeof previous?.version === 'number' ? previous.version : -1;
  const name = text(data.name);
  const password = text(data.password);
  return {
    version,
    ...(name !== undefined ? { name: name.trim() } : {}),
    ...(isRole(data.role) ? { role: data.role } : {}),
    ...(typeof data.active === 'boolean' ? { active: data.active } : {}),
    ...(password !== undefined && password !== '' ? { password } : {}),
  };
}

/** Errors a react-admin form can show: `{ field: message, root: { serverError } }`. */
export type StaffFormErrors = Record<string, string | { serverError: string }>;

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  return typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string';
}

/** The server's first sentence, without the field details httpClient appends. */
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

export async function createStaffMember(data: Readonly<Record<string, unknown>>): Promise<StaffMember> {
  try {
    return await postJson('/api/staff', staffMemberSchema, { json: staffCreateBody(data) });
  } catch (error) {
    throw asStaffFormError(error);
  }
}

export async function updateStaffMember(
  id: Identifier,
  data: Readonly<Record<string, unknown>>,
  previous: Readonly<Record<string, unknown>> | undefined,
): Promise<StaffMember> {
  try {
    return await patchJson(`/api/staff/${encodeURIComponent(String(id))}`, staffMemberSchema, {
      json: staffUpdateBody(data, previous),
    });
  } catch (error) {
    throw asStaffFormError(error);
  }
}
