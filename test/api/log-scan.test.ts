/**
 * Logs hold no secrets and no personal data: a desk whose every log line (debug level) is
 * captured goes through a full working day — signing in (once wrongly), searching customers by a
 * full identification number and by a name, opening the case and the customer, uploading a
 * document to a generic-provider case and re-applying (the provider fetches it from a signed
 * `/files/…` link), fetching such a link, revealing the number as a senior analyst, signing
 * out — and then every captured line is scanned.
 */

import { createFileUrls, loadFileUrlKey } from '@desk/server/internals';
import type { ApplicationDetail, CustomerSearchResult, ErrorBody, RevealResponse } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually, intakeRequest } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { deskClient, emailOf, startTestDesk, type TestDesk, testPassword } from '../support/desk.js';
import { realFile, uploadDocument } from '../support/uploads.js';

const cookieNamed = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0] ?? '';

describe.each(databaseKinds)('log lines of a working day on %s database', (kind) => {
  let desk: TestDesk;
  const logLines: string[] = [];
  /** Every value that must not appear in any log line. */
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    desk = await startTestDesk(kind, { logLines });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it('When a working day has been logged, then no line carries an identification number, a file-link token, a cookie, a search term or a password', async () => {
    // A generic-provider case whose customer has a known number and name.
    const person = applicant('111', { email: 'test-success@example.com', firstName: 'Philippa', lastName: 'Quennell' });
    const number = person.identificationNumber;
    const formatted = `${number.slice(0, 3)}-${number.slice(3, 5)}-${number.slice(5)}`;
    secrets.set('identification number', number).set('formatted identification number', formatted);
    const created = await desk.post<{ id: string } & ErrorBody>('/api/applications', intakeRequest('kyc', person));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const applicationId = created.body.id;

    // Sign in as a senior analyst, once with a wrong password first.
    const wrongPassword = 'Not-the-password-42';
    secrets.set('wrong password', wrongPassword).set('password', testPassword);
    const login = (password: string) =>
      desk.anonymous.fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: emailOf('senior_analyst'), password }),
      });
    expect((await login(wrongPassword)).status).toBe(401);
    const signedIn = await login(testPassword);
    expect(signedIn.status).toBe(200);
    const session = cookieNamed(signedIn, 'desk_session');
    const device = cookieNamed(signedIn, 'desk_device');
    secrets.set('session cookie', session.split('=')[1] ?? '').set('device cookie', device.split('=')[1] ?? '');
    const me = deskClient(desk.url, `${session}; ${device}`);

    // Search by the full number (both ways it is typed) and by the name.
    const nameTerm = `${person.firstName} ${person.lastName}`;
    secrets.set('name searched for', person.lastName);
    for (const term of [number, formatted, nameTerm]) {
      const found = await me.get<CustomerSearchResult>(`/api/customers?q=${encodeURIComponent(term)}&limit=10`);
      expect(found.status).toBe(200);
    }
    const byName = await me.get<CustomerSearchResult>(`/api/customers?q=${encodeURIComponent(nameTerm)}`);
    const customerId = byName.body.data[0]?.id ?? '';
    expect(customerId).not.toBe('');
    // A number typed where an id belongs is refused, and its URL still logged.
    expect((await me.get<ErrorBody>(`/api/customers/${formatted}`)).status).toBe(400);

    // Open the case and the customer.
    expect((await me.get<ApplicationDetail>(`/api/applications/${applicationId}`)).status).toBe(200);
    expect((await me.get(`/api/customers/${customerId}`)).status).toBe(200);

    // A passport for the generic provider, which fetches it from the desk when the case is re-applied.
    await eventually(
      async () => (await me.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body,
      (c) => c.providerStatus === 'NEEDS_ADDITIONAL_INFORMATION',
      20_000,
    );
    const passportNumber = 'P55512345';
    const upload = await uploadDocument(
      desk,
      applicationId,
      'PASSPORT',
      realFile('image/jpeg', 150 * 1024),
      'passport.jpg',
      {
        number: passportNumber,
        issuingCountry: 'USA',
        expiresOn: `${new Date().getUTCFullYear() + 3}-06-30`,
      },
    );
    expect(upload.status, JSON.stringify(upload.body)).toBe(202);
    await eventually(
      async () => (await me.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body,
      (c) => c.providerActions.every((a) => a.state === 'done') && c.actions.reapply.allowed,
      20_000,
    );
    expect((await me.post(`/api/applications/${applicationId}/reapply`)).status).toBe(202);
    await eventually(
      async () => (await me.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body,
      (c) => c.providerStatus === 'ACTIVE',
      20_000,
    );

    // Fetch the document through a signed link, as the provider does.
    const document = await desk.db
      .selectFrom('application_documents')
      .select('id')
      .where('application_id', '=', applicationId)
      .executeTakeFirstOrThrow();
    const link = createFileUrls(await loadFileUrlKey(desk.db), () => desk.url).urlFor('document', document.id);
    const token = link.slice(link.indexOf('/files/') + '/files/'.length);
    secrets.set('file-link token', token).set('file-link signature', token.split('.')[3] ?? '');
    expect((await fetch(link)).status).toBe(200);

    // Reveal the number, with a reason.
    const reason = 'Comparing the number with the scanned passport page';
    secrets.set('reveal reason', reason);
    const revealed = await me.post<RevealResponse>(`/api/customers/${customerId}/reveal`, {
      field: 'identificationNumber',
      reason,
    });
    expect(revealed.status).toBe(200);
    expect(revealed.body.value.replace(/\D/g, '')).toBe(number);

    expect((await me.post('/api/auth/logout')).status).toBe(204);

    // The day was logged: the searches, the provider's fetches of the file and ours.
    const log = logLines.join('\n');
    expect(log).toMatch(/"url":"\/api\/customers\?q=\[redacted\]&limit=10"/);
    expect(log).toMatch(/"url":"\/files\/\[redacted\]"/);
    expect(logLines.filter((l) => l.includes('/files/[redacted]')).length).toBeGreaterThanOrEqual(2);
    expect(log).toContain('/reveal');

    for (const [what, value] of secrets) {
      expect(value.length, what).toBeGreaterThan(3);
      expect(log.includes(value), `${what} in the log`).toBe(false);
    }
    // No file link keeps its token, in any spelling, and no signed payload appears on its own.
    expect(log).not.toMatch(/files\/(?!\[redacted\])/i);
    expect(log).not.toMatch(/document\.[0-9a-f-]{36}\.\d+/);
    expect(log).not.toMatch(/desk_(session|device)=(?!\[redacted\])/);
    expect(log).not.toMatch(/Bearer (?!\[redacted\])/);
  });
});
