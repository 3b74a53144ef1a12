/**
 * A running desk for a test file: real HTTP server, real database, one signed-in staff member
 * per role, optional demo data seeded at a fixed reference time so ages and counts are
 * reproducible. `desk.get/post/fetch` act as a senior analyst (who may work every case);
 * `desk.as(role)` acts as someone else, `desk.anonymous` as nobody. The built-in provider
 * sandboxes are mounted on it (as `pnpm start` does), so every provider answers offline.
 * Every answer is held to its route's entry in the route table: an answer the table does not
 * declare fails the request that got it (the client throws) and the file (`stop()` throws).
 */
import { mountSandboxes, seedDemoData } from '@desk/sandboxes';
import {
  type AuthSettings,
  createLogger,
  createStaff,
  generatePiiKeys,
  type JikoSettings,
  type RunningDesk,
  sandboxJikoSettings,
  startDesk,
} from '@desk/server';
import { type Me, type StaffRole, staffRoles } from '@desk/shared';
import { createTestDatabase, type TestDatabaseKind } from './databases.js';

export type Reply<T> = { status: number; body: T; headers: Headers };

/** An HTTP client for the desk, signed in or not. */
export type DeskClient = {
  /** The raw fetch, with the session cookie (if any) and the desk's own Origin. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  get<T>(path: string): Promise<Reply<T>>;
  post<T>(path: string, body?: unknown): Promise<Reply<T>>;
  patch<T>(path: string, body?: unknown): Promise<Reply<T>>;
};

export type SignedInClient = DeskClient & { me: Me; cookie: string };

export type TestDesk = RunningDesk &
  DeskClient & {
    kind: TestDatabaseKind;
    /** The staff member of each role, signed in. */
    as(role: StaffRole): SignedInClient;
    anonymous: DeskClient;
    /** Signs in with an email and password (a new session each time). */
    signIn(email: string, password: string): Promise<SignedInClient>;
    stop(): Promise<void>;
  };

export const referenceNow = new Date('2026-11-01T12:00:00Z');
export const testPassword = 'correct horse battery staple';
export const emailOf = (role: StaffRole) => `${role.replace('_', '.')}@test.desk`;

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * `afterAnswer` runs after every answer (the test desk's check that the desk answered within its
 * route table).
 */
export function deskClient(url: string, cookie: string | null, afterAnswer: () => void = () => undefined): DeskClient {
  const doFetch = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookie && !headers.has('cookie')) headers.set('cookie', cookie);
    if (!headers.has('origin') && init.method && init.method !== 'GET') headers.set('origin', url);
    const res = await fetch(`${url}${path}`, { ...init, headers });
    afterAnswer();
    return res;
  };
  const send = async <T>(method: string, path: string, body?: unknown): Promise<Reply<T>> => {
    const res = await doFetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await readBody(res)) as T, headers: res.headers };
  };
  return {
    fetch: doFetch,
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
    patch: (path, body) => send('PATCH', path, body),
  };
}

export async function signInClient(
  url: string,
  email: string,
  password: string,
  afterAnswer?: () => void,
): Promise<SignedInClient> {
  const res = await deskClient(url, null, afterAnswer).fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  return { ...deskClient(url, cookie, afterAnswer), me: (await res.json()) as Me, cookie };
}

/** A bearer token of the desk's Jiko sandbox: its own login, with the credentials the desk's adapter uses. */
export async function jikoSandboxToken(deskUrl: string, jiko: JikoSettings = sandboxJikoSettings): Promise<string> {
  const res = await fetch(`${deskUrl}/sandbox/jiko/api/v1/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: jiko.username, password: jiko.password }),
  });
  if (res.status !== 200) throw new Error(`Jiko sandbox login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Resolves a manual review at the desk's Jiko sandbox as its operator; `token` null sends no credentials. */
export async function resolveAtJikoSandbox(
  deskUrl: string,
  applicationId: string,
  decision: string,
  token: string | null,
): Promise<Response> {
  return fetch(`${deskUrl}/sandbox/jiko/operator/applications/${applicationId}/resolve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ decision }),
  });
}

export async function startTestDesk(
  kind: TestDatabaseKind,
  options: {
    demoCount?: number;
    clientDir?: string;
    jiko?: JikoSettings;
    sandboxDecisionDelayMs?: number;
    /**
     * The origin the generic provider's sandbox fetches document images from (default: the
     * desk's own), for a test that serves the images itself.
     */
    kycDocumentOrigin?: string;
    jobExpireSeconds?: number;
    /** Where providers send webhooks (default: the desk itself). */
    publicUrl?: string;
    /** Polling is off in tests unless asked for. */
    reconcileEverySeconds?: number;
    staleAfterSeconds?: number;
    auth?: AuthSettings;
    /** When set, `/metrics` needs `Authorization: Bearer <token>`. */
    metricsToken?: string;
    /** Collect every log line (at debug level) here instead of discarding them. */
    logLines?: string[];
    /** Run the job workers and the webhook applier in the desk (default true). */
    worker?: boolean;
  } = {},
): Promise<TestDesk> {
  const database = await createTestDatabase(kind);
  // Answers outside the route table, as the desk reports them (a 500 alone could go unnoticed).
  const mismatches: string[] = [];
  let mismatchesSeen = 0;
  const assertAnsweredByTheTable = () => {
    if (mismatches.length === mismatchesSeen) return;
    const fresh = mismatches.slice(mismatchesSeen);
    mismatchesSeen = mismatches.length;
    throw new Error(`The desk answered outside its route table:\n${fresh.join('\n')}`);
  };
  const desk = await startDesk({
    database: database.target,
    port: 0,
    logger: options.logLines
      ? createLogger('debug', { write: (line: string) => void options.logLines?.push(line) })
      : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    clientDir: options.clientDir,
    jiko: options.jiko,
    sandboxes: mountSandboxes({
      decisionDelayMs: options.sandboxDecisionDelayMs ?? 100,
      kycDocumentOrigin: options.kycDocumentOrigin,
    }),
    jobExpireSeconds: options.jobExpireSeconds,
    publicUrl: options.publicUrl,
    reconcileEverySeconds: options.reconcileEverySeconds ?? 0,
    worker: options.worker,
    staleAfterSeconds: options.staleAfterSeconds,
    auth: options.auth,
    metricsToken: options.metricsToken,
    pii: generatePiiKeys(),
    checkResponses: (mismatch) => mismatches.push(mismatch.message),
  });
  try {
    if (options.demoCount)
      await seedDemoData(desk.db, { count: options.demoCount, now: referenceNow, seed: 7, pii: desk.pii });
    const clients = new Map<StaffRole, SignedInClient>();
    for (const role of staffRoles) {
      await createStaff(
        desk.db,
        { email: emailOf(role), name: `Test ${role.replace('_', ' ')}`, role, password: testPassword },
        { kind: 'system' },
      );
      clients.set(role, await signInClient(desk.url, emailOf(role), testPassword, assertAnsweredByTheTable));
    }
    const as = (role: StaffRole): SignedInClient => {
      const client = clients.get(role);
      if (!client) throw new Error(`no ${role} signed in`);
      return client;
    };
    const worker = as('senior_analyst');
    return {
      ...desk,
      kind,
      fetch: worker.fetch,
      get: worker.get,
      post: worker.post,
      patch: worker.patch,
      as,
      anonymous: deskClient(desk.url, null, assertAnsweredByTheTable),
      signIn: (email, password) => signInClient(desk.url, email, password, assertAnsweredByTheTable),
      async stop() {
        await desk.close();
        await database.drop();
        // Also what no client saw: raw requests, and the sandboxes' calls to the desk.
        if (mismatches.length > 0)
          throw new Error(`The desk answered outside its route table:\n${mismatches.join('\n')}`);
      },
    };
  } catch (err) {
    await desk.close();
    await database.drop();
    throw err;
  }
}
