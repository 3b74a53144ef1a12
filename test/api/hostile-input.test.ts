/**
 * No input yields a 5xx: what a fuzzer or an attacker sends is answered with the 4xx it
 * deserves, naming the field, leaves the database as it was, and the desk answers the next
 * request as ever. Class by class: object keys named like built-in members, NUL and unpaired
 * surrogates, malformed multipart, JSON of the wrong type, dates out of range, correctly signed
 * webhooks with junk inside, and odd numbers, repeats, lengths and file names.
 */
import { randomUUID } from 'node:crypto';
import { signFinWebhook, signKycWebhook } from '@desk/sandboxes';
import { jikoWebhookSignature, sandboxFinSettings, sandboxJikoSettings, sandboxKycSettings } from '@desk/server';
import type { ErrorBody, Rfi } from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, intakeRequest } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { type DeskClient, startTestDesk, type TestDesk } from '../support/desk.js';
import { realFile } from '../support/uploads.js';

const reservedKeys = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/**
 * What a refused request must leave as it was: rows only people's requests write (background
 * work — provider webhooks, snapshots — may add status changes, documents or provider RFIs
 * meanwhile, and is not what is checked here).
 */
const footprintCounts = {
  loginAttempts: sql<{ n: number }>`SELECT count(*)::int AS n FROM login_attempts`,
  sessions: sql<{ n: number }>`SELECT count(*)::int AS n FROM staff_sessions`,
  notes: sql<{ n: number }>`SELECT count(*)::int AS n FROM application_notes`,
  outcomes: sql<{ n: number }>`SELECT count(*)::int AS n FROM application_outcomes`,
  savedFilters: sql<{ n: number }>`SELECT count(*)::int AS n FROM saved_filters`,
  internalRfis: sql<{ n: number }>`SELECT count(*)::int AS n FROM rfis WHERE origin = 'internal'`,
  rfiAnswers: sql<{ n: number }>`SELECT count(*)::int AS n FROM rfi_answers`,
  uploadedFiles: sql<{ n: number }>`SELECT count(*)::int AS n FROM document_contents`,
  providerActions: sql<{ n: number }>`SELECT count(*)::int AS n FROM provider_actions`,
  exportRuns: sql<{ n: number }>`SELECT count(*)::int AS n FROM export_runs`,
  staff: sql<{ n: number }>`SELECT count(*)::int AS n FROM staff`,
  auditByPeople: sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM audit_events WHERE actor_id IS NOT NULL OR actor = 'anonymous'`,
};

type Answer = { status: number; body: ErrorBody };

describe.each(databaseKinds)('hostile input on %s database', (kind) => {
  let desk: TestDesk;
  let caseId: string;
  /** An open RFI no test answers. */
  let rfiId: string;

  /** An internal RFI asking for an employer, a field named `constructor` and a payslip. */
  const raiseRfi = async () => {
    const raised = await desk.as('analyst').post<Rfi>(`/api/applications/${caseId}/rfis`, {
      title: 'Employment',
      dueAt: '2030-01-01T00:00:00Z',
      items: [
        { kind: 'field', key: 'employer', label: 'Employer' },
        // A key named like a built-in member is an ordinary key.
        { kind: 'field', key: 'constructor', label: 'Who built it' },
        { kind: 'document', key: 'PAYSLIP', label: 'A payslip' },
      ],
    });
    expect(raised.status).toBe(201);
    return raised.body.id;
  };

  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 6 });
    const app = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('stage', 'not in', ['approved', 'rejected'])
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    caseId = app.id;
    rfiId = await raiseRfi();
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const footprint = async () => {
    const counts: Record<string, number> = {};
    for (const [name, query] of Object.entries(footprintCounts))
      counts[name] = (await query.execute(desk.db)).rows[0]?.n ?? -1;
    return counts;
  };

  /** Sends, reads the answer as an error body. */
  const send = async (client: Pick<DeskClient, 'fetch'>, path: string, init: RequestInit = {}): Promise<Answer> => {
    const res = await client.fetch(path, init);
    const text = await res.text();
    let body: ErrorBody;
    try {
      body = JSON.parse(text) as ErrorBody;
    } catch {
      body = { message: text, code: 'internal' };
    }
    return { status: res.status, body };
  };

  /**
   * Every request is refused with `status`, naming at least `fields`; nothing is written; and
   * the desk answers a signed-in request afterwards.
   */
  const expectRefused = async (requests: (() => Promise<Answer>)[], status: number, fields: (string | string[])[]) => {
    const before = await footprint();
    for (const [i, request] of requests.entries()) {
      const answer = await request();
      const expected = fields[i] ?? fields[0] ?? [];
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      expect(Object.keys(answer.body.errors ?? {})).toEqual(
        expect.arrayContaining(Array.isArray(expected) ? expected : [expected]),
      );
    }
    expect(await footprint()).toEqual(before);
    expect((await desk.as('analyst').get('/api/auth/me')).status).toBe(200);
  };

  const json = (body: string, method = 'POST'): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body,
  });
  /** A multipart body written by hand, so any part header or name can be sent. */
  const multipart = (parts: string[], boundary = 'hostile-boundary'): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: `${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`,
  });
  const textPart = (name: string, value: string) => `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;
  const filePart = (name: string, fileName: string, type = 'image/png', bytes = '\x89PNG\r\n\x1a\n') =>
    `Content-Disposition: form-data; name="${name}"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n${bytes}`;
  const analyst = () => desk.as('analyst');

  describe('object keys named like built-in members', () => {
    it.each(reservedKeys)(
      'When a query, body or multipart key is %s, then it is an unknown field: 400 naming it, also at sign-in',
      async (key) => {
        await expectRefused(
          [
            () => send(analyst(), `/api/applications?${key}=1`),
            () => send(analyst(), `/api/applications?${key}=1&${key}=2`),
            () =>
              send(
                desk.anonymous,
                '/api/auth/login',
                json(`{"email":"analyst@test.desk","password":"x","${key}":{"polluted":true}}`),
              ),
            () => send(analyst(), `/api/applications/${caseId}/notes`, json(`{"body":"a note","${key}":"x"}`)),
            () =>
              send(
                analyst(),
                `/api/applications/${caseId}/documents`,
                multipart([textPart('type', 'ID_FRONT'), textPart(key, 'x'), filePart('file', 'a.png')]),
              ),
            () =>
              send(
                analyst(),
                '/api/saved-filters',
                json(JSON.stringify({ name: `by ${key}`, query: `${key}=1&${key}=2` })),
              ),
            () =>
              send(
                analyst(),
                `/api/rfis/${rfiId}/answers`,
                multipart([
                  textPart(
                    'fields',
                    `{"employer":"Acme","constructor":"Acme","${key === 'constructor' ? '__proto__' : key}":"x"}`,
                  ),
                ]),
              ),
          ],
          400,
          [key, key, key, key, key, `query.${key}`, [key === 'constructor' ? '__proto__' : key, 'PAYSLIP']],
        );
      },
    );

    it('When an RFI asks for a field named constructor, then leaving it out is named and giving it is an answer', async () => {
      const ownRfi = await raiseRfi();
      const form = (fields: Record<string, string>) => {
        const data = new FormData();
        data.set('fields', JSON.stringify(fields));
        data.set('PAYSLIP', realFile('application/pdf'), 'payslip.pdf');
        return { method: 'POST', body: data };
      };
      const missing = await send(analyst(), `/api/rfis/${ownRfi}/answers`, form({ employer: 'Acme' }));
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toEqual({ constructor: ['is requested: give a value'] });
      const answered = await analyst().fetch(
        `/api/rfis/${ownRfi}/answers`,
        form({ employer: 'Acme', constructor: 'Ada' }),
      );
      expect(answered.status).toBe(201);
      const rfi = (await analyst().get<Rfi>(`/api/rfis/${ownRfi}`)).body;
      expect(rfi.answers[0]?.fieldValues).toEqual({ employer: 'Acme', constructor: 'Ada' });
    });
  });

  describe('NUL and unpaired surrogates', () => {
    it('When text anywhere in a request holds NUL or a lone surrogate, then it is 400 naming each field and nothing reaches the database', async () => {
      await expectRefused(
        [
          () =>
            send(analyst(), `/api/applications/${caseId}/notes`, json(JSON.stringify({ body: 'before\u0000after' }))),
          () =>
            send(analyst(), `/api/applications/${caseId}/notes`, json(JSON.stringify({ body: 'half a pair: \ud83d' }))),
          () =>
            send(analyst(), `/api/applications/${caseId}/notes`, json(JSON.stringify({ body: 'x', 'a\u0000b': 1 }))),
          () =>
            send(
              desk.as('senior_analyst'),
              `/api/applications/${caseId}/outcomes`,
              json(JSON.stringify({ outcome: 'cleared', reasonCode: 'other', note: '\udc00', version: 1 })),
            ),
          () =>
            send(
              analyst(),
              `/api/applications/${caseId}/rfis`,
              json(
                JSON.stringify({
                  title: 't',
                  dueAt: '2030-01-01T00:00:00Z',
                  items: [{ kind: 'text', key: 'k', label: 'l\u0000' }],
                }),
              ),
            ),
          () => send(analyst(), '/api/customers?q=a%00b'),
          () => send(analyst(), '/api/applications/a%00b'),
          () =>
            send(
              desk.anonymous,
              '/api/auth/login',
              json(JSON.stringify({ email: 'analyst@test.desk\u0000', password: 'x' })),
            ),
          () =>
            send(
              analyst(),
              `/api/applications/${caseId}/documents`,
              multipart([textPart('type', 'ID\u0000FRONT'), filePart('file', 'a.png')]),
            ),
          () =>
            send(
              analyst(),
              `/api/applications/${caseId}/documents`,
              multipart([
                textPart('type', 'ID_FRONT'),
                `Content-Disposition: form-data; name="file"; filename*=utf-8''scan%00.png\r\nContent-Type: image/png\r\n\r\n\x89PNG`,
              ]),
            ),
          () =>
            send(analyst(), `/api/rfis/${rfiId}/answers`, multipart([textPart('fields', '{"employer":"\\u0000"}')])),
        ],
        400,
        ['body', 'body', 'a\\u0000b', 'note', 'items.0.label', 'q', 'id', 'email', 'type', 'file', 'fields.employer'],
      );
    });
  });

  describe('malformed multipart', () => {
    const upload = (init: RequestInit) => () => send(analyst(), `/api/applications/${caseId}/documents`, init);

    it('When a multipart body has no boundary, is cut short, has a malformed part header, too many parts or a part too long, then it is 400', async () => {
      await expectRefused(
        [
          upload({ method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: '--x\r\n\r\n' }),
          upload({
            method: 'POST',
            headers: { 'content-type': 'multipart/form-data; boundary=b' },
            body: '--b\r\nContent-Disposition: form-data; name="type"\r\n\r\nID_FR',
          }),
          upload(multipart(['No-Colon-Here\r\n\r\nx'])),
          upload(multipart(Array.from({ length: 30 }, (_, i) => textPart(`f${i}`, 'x')))),
          upload(multipart([textPart('type', 'x'.repeat(300 * 1024))])),
          upload(multipart([textPart('type', 'ID_FRONT'), filePart('file', 'a.png'), filePart('file', 'b.png')])),
          upload(multipart([textPart('type', 'ID_FRONT'), filePart('other', 'a.png')])),
          upload(multipart([textPart('type[nested]', 'ID_FRONT')])),
        ],
        400,
        ['(body)', '(body)', '(body)', '(body)', 'type', '(body)', 'other', 'type[nested]'],
      );
    });

    it('When the body is not multipart, then it is 415; when a file is over the limit, then it is 413 naming the part', async () => {
      await expectRefused([upload(json('{"type":"ID_FRONT"}')), upload({ method: 'POST', body: 'plain' })], 415, [
        '(body)',
      ]);
      const tooLarge = new FormData();
      tooLarge.set(
        'PAYSLIP',
        new Blob([Buffer.alloc(10 * 1024 * 1024 + 1, 1)], { type: 'application/pdf' }),
        'big.pdf',
      );
      await expectRefused(
        [() => send(analyst(), `/api/rfis/${rfiId}/answers`, { method: 'POST', body: tooLarge })],
        413,
        ['PAYSLIP'],
      );
    });

    it('When a file name carries control characters (a header injection), then it is 400 naming the part', async () => {
      await expectRefused(
        [upload(multipart([textPart('type', 'ID_FRONT'), filePart('file', 'scan%0D%0AX-Injected: yes.png')]))],
        400,
        ['file'],
      );
    });
  });

  describe('JSON of the wrong type', () => {
    it.each(['[]', '[{"outcome":"cleared"}]', '"cleared"', '42', 'null', 'true'])(
      'When an outcome body is %s, then it is 400 naming (body)',
      async (body) => {
        await expectRefused(
          [() => send(desk.as('senior_analyst'), `/api/applications/${caseId}/outcomes`, json(body))],
          400,
          ['(body)'],
        );
      },
    );

    it('When other bodies are arrays, then they are 400 naming (body) too', async () => {
      await expectRefused(
        [
          () => send(desk.anonymous, '/api/auth/login', json('[]')),
          () => send(analyst(), `/api/applications/${caseId}/notes`, json('[{"body":"x"}]')),
          () => send(analyst(), '/api/saved-filters', json('[]')),
          () => send(desk.as('admin'), '/api/staff', json('[]')),
        ],
        400,
        ['(body)'],
      );
    });
  });

  describe('dates', () => {
    it('When a date parameter is past year 9999 (an offset included) or before 1900, then it is 400 naming it', async () => {
      const auditor = desk.as('auditor');
      const person = applicant('4');
      const intake = (change: (body: ReturnType<typeof intakeRequest>) => void) => {
        const body = intakeRequest('jiko', person);
        change(body);
        return () => send(analyst(), '/api/applications', json(JSON.stringify(body)));
      };
      const thisYear = new Date().getUTCFullYear();
      await expectRefused(
        [
          () => send(analyst(), '/api/applications?createdFrom=9999-12-31T23:00:00-02:00'),
          () => send(analyst(), '/api/applications/stats?createdTo=1899-12-31'),
          () => send(analyst(), '/api/rfis?dueBefore=0000-01-01'),
          () => send(auditor, '/api/audit-events?from=0001-01-01T00:00:00Z'),
          () => send(auditor, '/api/exports/status-history?to=9999-12-31T23:30:00-01:00'),
          () => send(auditor, '/api/exports/consents?from=1800-01-01&format=ndjson'),
          () =>
            send(
              analyst(),
              `/api/applications/${caseId}/rfis`,
              json(
                JSON.stringify({
                  title: 't',
                  dueAt: '9999-12-31T22:00:00-05:00',
                  items: [{ kind: 'text', key: 'k', label: 'l' }],
                }),
              ),
            ),
          () =>
            send(
              analyst(),
              `/api/applications/${caseId}/documents`,
              multipart([textPart('type', 'PASSPORT'), textPart('expiresOn', '0001-01-01'), filePart('file', 'a.png')]),
            ),
          intake((b) => (b.consent.consentedAt = '9999-12-31T23:59:59-00:01')),
          intake((b) => (b.applicant.dateOfBirth = `${thisYear - 10}-01-01`)),
          intake((b) => (b.applicant.dateOfBirth = '1850-06-01')),
        ],
        400,
        [
          'createdFrom',
          'createdTo',
          'dueBefore',
          'from',
          'to',
          'from',
          'dueAt',
          'expiresOn',
          'consent.consentedAt',
          'applicant.dateOfBirth',
          'applicant.dateOfBirth',
        ],
      );
    });

    it('When the dates are the last instants of the range, then the export streams whole', async () => {
      const res = await desk
        .as('auditor')
        .fetch('/api/exports/status-history?from=1900-01-01&to=9999-12-31T23:59:59.999Z&format=ndjson');
      expect(res.status).toBe(200);
      const lines = (await res.text()).split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    });
  });

  describe('correctly signed webhooks with invalid content', () => {
    const seconds = () => String(Math.floor(Date.now() / 1000));
    const providers = {
      jiko: {
        sign: (body: string) => {
          const t = seconds();
          return {
            'x-jiko-timestamp': t,
            'x-jiko-signature': jikoWebhookSignature(sandboxJikoSettings.webhookSecret, t, body),
          };
        },
        event: (id: string, ref: string) => ({
          id,
          type: 'application.updated',
          created_at: new Date().toISOString(),
          data: { application_id: ref },
        }),
        refPath: 'data.application_id',
      },
      fin: {
        sign: (body: string) => {
          const t = seconds();
          return { 'x-fin-timestamp': t, 'x-fin-signature': signFinWebhook(sandboxFinSettings.webhookSecret, t, body) };
        },
        event: (id: string, ref: string) => ({
          id,
          type: 'customer.status',
          created_at: new Date().toISOString(),
          data: { customer_id: ref },
        }),
        refPath: 'data.customer_id',
      },
      kyc: {
        sign: (body: string, id: string) => {
          const t = seconds();
          return {
            'x-webhook-id': id,
            'x-webhook-timestamp': t,
            'x-webhook-signature': signKycWebhook(sandboxKycSettings.webhookSecret, t, body),
          };
        },
        event: (id: string, ref: string) => ({
          id,
          type: 'customer.state_changed',
          createdAt: new Date().toISOString(),
          payload: { customerId: ref },
        }),
        refPath: 'payload.customerId',
      },
    } as const;

    const rejectedTotal = async (provider: string) => {
      const text = await (await fetch(`${desk.url}/metrics`)).text();
      const totals: Record<string, number> = {};
      for (const m of text.matchAll(/^desk_webhooks_rejected_total\{provider="(\w+)",reason="(\w+)"\} (\d+)$/gm)) {
        if (m[1] === provider) totals[m[2] ?? ''] = Number(m[3]);
      }
      return totals;
    };

    it.each(Object.keys(providers) as (keyof typeof providers)[])(
      'When %s signs junk, then it is 422 naming the problem, stored once, audited, counted, never applied, and a good event still lands',
      async (provider) => {
        const { sign, event, refPath } = providers[provider];
        const id = randomUUID();
        const bodies: [string, string, string][] = [
          [`not json ${id}`, 'not_json', '(body)'],
          [JSON.stringify({ ...event(id, 'x'), id: undefined }), 'not_an_event', 'id'],
          [JSON.stringify(event(`${id}\u0000`, 'x')), 'unsafe_text', 'id'],
          [JSON.stringify(event(id, 'half \ud800')), 'unsafe_text', refPath],
        ];
        const post = (body: string) =>
          fetch(`${desk.url}/api/webhooks/${provider}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...sign(body, id) },
            body,
          });
        for (const [body, , field] of bodies) {
          // The provider retries what it was not told was fine: the second delivery changes nothing.
          for (let attempt = 0; attempt < 2; attempt++) {
            const res = await post(body);
            const answer = (await res.json()) as ErrorBody;
            expect(res.status).toBe(422);
            expect(answer.code).toBe('unprocessable');
            expect(Object.keys(answer.errors ?? {})).toContain(field);
          }
        }
        const stored = await desk.db
          .selectFrom('webhook_rejections')
          .select(['id', 'reason', 'body'])
          .where('provider', '=', provider)
          .execute();
        // Kept byte for byte (JSON.stringify wrote the NUL and the lone surrogate as \u escapes).
        expect(stored.map((r) => [r.body.toString('utf8'), r.reason]).sort()).toEqual(
          bodies.map(([body, reason]) => [body, reason]).sort(),
        );
        const audited = await desk.db
          .selectFrom('audit_events')
          .select(['entity_id', 'actor'])
          .where('action', '=', 'webhook.rejected')
          .where('actor', '=', `provider:${provider}`)
          .execute();
        expect(audited.map((a) => a.entity_id).sort()).toEqual(stored.map((r) => r.id).sort());
        expect(await rejectedTotal(provider)).toEqual({ not_json: 1, not_an_event: 1, unsafe_text: 2 });
        expect(
          await desk.db.selectFrom('webhook_inbox').select('id').where('event_id', 'like', `${id}%`).execute(),
        ).toEqual([]);

        const good = JSON.stringify(event(randomUUID(), 'someone-the-desk-does-not-hold'));
        const accepted = await fetch(`${desk.url}/api/webhooks/${provider}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...sign(good, (JSON.parse(good) as { id: string }).id) },
          body: good,
        });
        expect(accepted.status).toBe(200);
      },
    );

    it('When junk is not signed, then it is 401 and nothing is kept', async () => {
      const before = (await desk.db.selectFrom('webhook_rejections').select('id').execute()).length;
      const res = await fetch(`${desk.url}/api/webhooks/jiko`, {
        method: 'POST',
        headers: { 'x-jiko-timestamp': seconds(), 'x-jiko-signature': 'AAAA' },
        body: 'not json',
      });
      expect(res.status).toBe(401);
      expect((await desk.db.selectFrom('webhook_rejections').select('id').execute()).length).toBe(before);
    });
  });

  describe('odd numbers, repeats and lengths', () => {
    it('When a limit is huge, negative, not a number or repeated, or a one-value parameter is repeated or too long, then it is 400 naming it', async () => {
      await expectRefused(
        [
          () => send(analyst(), '/api/applications?limit=1e309'),
          () => send(analyst(), '/api/applications?limit=-1'),
          () => send(analyst(), '/api/rfis?limit=NaN'),
          () => send(analyst(), '/api/customers?q=ada&limit=1&limit=2'),
          () => send(analyst(), '/api/customers?q=ada&q=bob'),
          () => send(analyst(), `/api/customers?q=${'a'.repeat(10_000)}`),
          () =>
            send(
              desk.as('senior_analyst'),
              `/api/applications/${caseId}/outcomes`,
              json('{"outcome":"cleared","reasonCode":"other","note":"x","version":1e400}'),
            ),
          () =>
            send(
              desk.anonymous,
              '/api/auth/login',
              json(`{"email":"a@b.co","password":"x","deep":${'['.repeat(50_000)}${']'.repeat(50_000)}}`),
            ),
        ],
        400,
        ['limit', 'limit', 'limit', 'limit', 'q', 'q', 'version', 'deep'],
      );
    });

    it('When a search term is odd Unicode, then it is searched like any other', async () => {
      for (const q of ['\u202egnp.exe', '🙂🙂', 'e\u0301', 'a\ufeffb', '%_\\', "O'Brien"]) {
        const res = await analyst().get(`/api/customers?q=${encodeURIComponent(q)}`);
        expect(res.status, q).toBe(200);
        const queue = await analyst().get(`/api/applications?q=${encodeURIComponent(q)}`);
        expect(queue.status, q).toBe(200);
      }
    });
  });
});
