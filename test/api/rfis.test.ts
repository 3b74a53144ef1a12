/**
 * Internal RFIs: raised on a case, queued by due time, answered with exactly what was asked,
 * closed; every bad request is named and changes nothing.
 */

import type { ErrorBody, Rfi, RfiList } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { realFile } from '../support/uploads.js';

const day = 24 * 60 * 60 * 1000;

describe.each(databaseKinds)('RFIs on %s database', (kind) => {
  let desk: TestDesk;
  let openCase: string;
  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 60 });
    const row = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('stage', '=', 'manual_review')
      .executeTakeFirstOrThrow();
    openCase = row.id;
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const raise = (applicationId: string, body: unknown) =>
    desk.post<Rfi & ErrorBody>(`/api/applications/${applicationId}/rfis`, body);
  const request = (dueInDays: number, title = 'Source of funds') => ({
    title,
    dueAt: new Date(Date.now() + dueInDays * day).toISOString(),
    items: [
      { kind: 'field', key: 'employer', label: 'Current employer' },
      { kind: 'document', key: 'PAYSLIP', label: 'A recent payslip' },
      { kind: 'text', key: 'explanation', label: 'Explain the large deposit' },
    ],
  });
  async function answer(
    id: string,
    parts: { text?: string; fields?: Record<string, string>; files?: Record<string, Blob> },
  ) {
    const form = new FormData();
    if (parts.text !== undefined) form.set('text', parts.text);
    if (parts.fields) form.set('fields', JSON.stringify(parts.fields));
    for (const [key, blob] of Object.entries(parts.files ?? {})) form.set(key, blob, `${key}.pdf`);
    const res = await desk.fetch(`/api/rfis/${id}/answers`, { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as Rfi & ErrorBody };
  }
  // The smallest whole PDF by the desk's content check: header and `%%EOF`, 16 bytes.
  const pdf = () => realFile('application/pdf', 16);

  it('When an analyst raises an RFI, then it is open, lists what was asked, and appears in the queue', async () => {
    const res = await raise(openCase, request(3));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'open', origin: 'internal', overdue: false, applicationId: openCase });
    expect(res.body.items.map((i) => [i.kind, i.key])).toEqual([
      ['field', 'employer'],
      ['document', 'PAYSLIP'],
      ['text', 'explanation'],
    ]);
    const queue = await desk.get<RfiList>(`/api/rfis?status=open&applicationId=${openCase}`);
    expect(queue.body.data.map((r) => r.id)).toContain(res.body.id);
  });

  it('When RFIs are due at different times, then the queue is soonest first, pages by keyset, and marks the overdue', async () => {
    const late = await raise(openCase, request(-2, 'Overdue question'));
    const soon = await raise(openCase, request(1, 'Soon'));
    const later = await raise(openCase, request(10, 'Later'));
    const seen: Rfi[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: RfiList } = await desk.get<RfiList>(
        `/api/rfis?applicationId=${openCase}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    const dues = seen.map((r) => Date.parse(r.dueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    const ids = seen.map((r) => r.id);
    expect(ids.indexOf(late.body.id)).toBeLessThan(ids.indexOf(soon.body.id));
    expect(ids.indexOf(soon.body.id)).toBeLessThan(ids.indexOf(later.body.id));
    expect(seen.find((r) => r.id === late.body.id)?.overdue).toBe(true);
    const overdue = await desk.get<RfiList>(
      `/api/rfis?status=open&dueBefore=${encodeURIComponent(new Date().toISOString())}`,
    );
    expect(overdue.body.data.map((r) => r.id)).toEqual([late.body.id]);
  });

  it('When an answer gives exactly what was asked, then it is recorded with its file and the RFI is answered', async () => {
    const rfi = (await raise(openCase, request(2))).body;
    const res = await answer(rfi.id, {
      text: 'A bonus from my employer',
      fields: { employer: 'Acme Corp' },
      files: { PAYSLIP: pdf() },
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('answered');
    expect(res.body.answers).toHaveLength(1);
    expect(res.body.answers[0]).toMatchObject({
      text: 'A bonus from my employer',
      fieldValues: { employer: 'Acme Corp' },
    });
    expect(res.body.answers[0]?.documents[0]).toMatchObject({
      itemKey: 'PAYSLIP',
      contentType: 'application/pdf',
      sizeBytes: 16,
    });
    const again = await answer(rfi.id, { text: 'more', fields: { employer: 'x' }, files: { PAYSLIP: pdf() } });
    expect(again.status).toBe(409);
    const closed = await desk.post<Rfi>(`/api/rfis/${rfi.id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.closedAt).not.toBeNull();
    expect((await desk.post<ErrorBody>(`/api/rfis/${rfi.id}/close`)).status).toBe(409);
  });

  it('When an answer leaves something out or adds what was not asked, then it is 400 naming each and nothing is stored', async () => {
    const rfi = (await raise(openCase, request(2))).body;
    const res = await answer(rfi.id, { fields: { employer: 'Acme', salary: '100' } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors ?? {}).sort()).toEqual(['PAYSLIP', 'salary', 'text']);
    const bad = await answer(rfi.id, {
      text: 'x',
      fields: { employer: 'Acme' },
      files: { PAYSLIP: new Blob(['hi'], { type: 'text/plain' }) },
    });
    expect(bad.status).toBe(415);
    const malformed = await desk.fetch(`/api/rfis/${rfi.id}/answers`, {
      method: 'POST',
      body: (() => {
        const f = new FormData();
        f.set('fields', '{not json');
        return f;
      })(),
    });
    expect(malformed.status).toBe(400);
    const after = await desk.get<Rfi>(`/api/rfis/${rfi.id}`);
    expect(after.body).toMatchObject({ status: 'open', answers: [] });
  });

  it.each([
    [{}, 'title'],
    [{ ...request(1), title: '' }, 'title'],
    [{ ...request(1), dueAt: 'tomorrow' }, 'dueAt'],
    [{ ...request(1), items: [] }, 'items'],
    [{ ...request(1), items: [{ kind: 'photo', key: 'a', label: 'b' }] }, 'items.0.kind'],
    [{ ...request(1), assigneeId: 'bob' }, 'assigneeId'],
    [{ ...request(1), extra: true }, 'extra'],
  ])('When an RFI is raised with %j, then it is 400 naming %s', async (body, field) => {
    const res = await raise(openCase, body);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors ?? {})).toContain(field);
  });

  it('When an RFI is raised on a decided case or a missing one, then it is 409 or 404', async () => {
    const approved = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('stage', '=', 'approved')
      .executeTakeFirstOrThrow();
    expect((await raise(approved.id, request(1))).status).toBe(409);
    expect((await raise('6ba7b810-9dad-41d1-80b4-00c04fd430c8', request(1))).status).toBe(404);
    expect((await desk.get<ErrorBody>('/api/rfis/6ba7b810-9dad-41d1-80b4-00c04fd430c8')).status).toBe(404);
    expect((await desk.get<ErrorBody>('/api/rfis?status=lost')).body.errors?.status).toBeDefined();
  });
});
