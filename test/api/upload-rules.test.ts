/**
 * The upload rules a case serves (`actions.upload.byType`) are the rules its uploads are held
 * to, type by type: for every provider and every document type, a file breaking one of its
 * type's rules is refused naming the field, in the very words `documentFileProblem` (what the
 * upload form shows) gives for that rule; a file at the edge of the rule passes it; a type the
 * provider does not take is refused; and a file refused as one type for what that type needs
 * is taken as another type whose served rule does not ask it.
 */

import {
  type ApplicationDetail,
  type DocumentFileRules,
  type DocumentType,
  documentFileProblem,
  documentTypes,
  type ErrorBody,
  type Provider,
  providers,
  uploadLimits,
} from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, intakeRequest } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { realFile, uploadDocument } from '../support/uploads.js';

const makeable = ['application/pdf', 'image/png', 'image/jpeg'] as const;
type Makeable = (typeof makeable)[number];

/** A type's first media type the tests can make a real file of. */
function makeableType(rules: DocumentFileRules): Makeable {
  const found = makeable.find((type) => rules.contentTypes.includes(type));
  if (!found) throw new Error(`no makeable type among ${rules.contentTypes.join(', ')}`);
  return found;
}

/**
 * A file of `bytes` that starts as its type but does not end as one: it passes every rule
 * of the served ones and is then refused by its bytes (415), so a size at the edge of the
 * range is shown to be inside it without anything being written.
 */
async function cutShort(contentType: Makeable, bytes: number): Promise<Blob> {
  const whole = Buffer.from(await realFile(contentType, bytes).arrayBuffer());
  whole.fill(0, whole.length - 16);
  return new Blob([new Uint8Array(whole)], { type: contentType });
}

describe.each(databaseKinds)('Upload rules served per document type on %s database', (kind) => {
  let desk: TestDesk;
  const cases = new Map<Provider, string>();
  /** A case of its own at `provider`, never submitted for review: it stays open to uploads whatever is sent. */
  const newCase = async (provider: Provider): Promise<string> => {
    const person = applicant('3', { email: `uploads.${provider}.${Date.now()}.${Math.random()}@example.com` });
    const res = await desk.post<{ id: string } & ErrorBody>('/api/applications', intakeRequest(provider, person));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  };
  beforeAll(async () => {
    desk = await startTestDesk(kind);
    for (const provider of providers) cases.set(provider, await newCase(provider));
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const idOf = (provider: Provider) => {
    const id = cases.get(provider);
    if (!id) throw new Error(`no ${provider} case`);
    return id;
  };
  const caseOf = async (provider: Provider) => {
    const res = await desk.get<ApplicationDetail>(`/api/applications/${idOf(provider)}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const upload = (provider: Provider, type: DocumentType, file: Blob) =>
    uploadDocument(desk, idOf(provider), type, file, 'scan');

  it.each(providers)('%s: the rules merged over every type are those served per type', async (provider) => {
    const rules = (await caseOf(provider)).actions.upload;
    const served = Object.entries(rules.byType);
    expect(served.length).toBeGreaterThan(0);
    expect(Object.keys(rules.byType)).toEqual(rules.types);
    expect(new Set(rules.contentTypes)).toEqual(new Set(served.flatMap(([, r]) => r.contentTypes)));
    expect(rules.minBytes).toBe(Math.min(...served.map(([, r]) => r.minBytes)));
    expect(rules.maxBytes).toBe(Math.max(...served.map(([, r]) => r.maxBytes)));
    for (const [type, rule] of served) {
      expect(rules.requiredDetails[type as DocumentType] ?? []).toEqual(rule.requiredDetails);
      // The request's own limit is above every type's, so the type's limit is what answers.
      expect(rule.maxBytes).toBeLessThan(uploadLimits.documentBytes);
    }
  });

  it.each(providers)('%s: a type the provider does not take is refused, naming the type', async (provider) => {
    const rules = (await caseOf(provider)).actions.upload;
    for (const type of documentTypes.filter((t) => rules.byType[t] === undefined)) {
      const res = await upload(provider, type, realFile('application/pdf'));
      expect(res.status, type).toBe(422);
      expect(Object.keys(res.body.errors ?? {}), type).toEqual(['type']);
    }
  });

  it.each(providers)(
    '%s: every type refuses what breaks its own served rules, in the words the form shows',
    async (provider) => {
      // A case no other test uploads to: what it holds changes only by what this test sends.
      const id = await newCase(provider);
      const read = async () => {
        const res = await desk.get<ApplicationDetail>(`/api/applications/${id}`);
        expect(res.status).toBe(200);
        return res.body;
      };
      const { actions, documents, providerActions } = await read();
      const rules = actions.upload;
      const upload = (type: DocumentType, file: Blob) => uploadDocument(desk, id, type, file, 'scan');
      for (const [type, rule] of Object.entries(rules.byType) as [DocumentType, DocumentFileRules][]) {
        const media = makeableType(rule);
        const refused = async (file: Blob, status: number) => {
          const res = await upload(type, file);
          expect(res.status, `${type} ${file.type} ${file.size}`).toBe(status);
          const predicted = documentFileProblem(rule, { contentType: file.type, size: file.size });
          expect(predicted, `${type} ${file.type} ${file.size}`).not.toBeNull();
          expect(res.body.errors, `${type} ${file.type} ${file.size}`).toEqual({ file: [predicted?.message] });
        };
        // A media type outside the type's rule; then an empty file of one inside it.
        await refused(new Blob(['Payslip, March: 4,200.00\n'], { type: 'text/plain' }), 415);
        await refused(new Blob([], { type: media }), 415);
        // One byte over the type's largest size; exactly the largest passes the size rule.
        await refused(realFile(media, rule.maxBytes + 1), 413);
        const atMost = await upload(type, await cutShort(media, rule.maxBytes));
        expect(atMost.status, type).toBe(415);
        expect(atMost.body.errors?.file?.[0], type).toMatch(/does not end like one/);
        expect(documentFileProblem(rule, { contentType: media, size: rule.maxBytes })).toBeNull();
        // One byte under the type's smallest size (where it has one); exactly the smallest passes.
        if (rule.minBytes > 1) {
          await refused(realFile(media, rule.minBytes - 1), 422);
          const atLeast = await upload(type, await cutShort(media, rule.minBytes));
          expect(atLeast.status, type).toBe(415);
          expect(atLeast.body.errors?.file?.[0], type).toMatch(/does not end like one/);
        }
      }
      // Nothing refused was kept or sent.
      const after = await read();
      expect(after.documents).toEqual(documents);
      expect(after.providerActions).toEqual(providerActions);
    },
  );

  it.each(providers)(
    '%s: a file refused as one type for what that type needs is taken as a type whose served rule does not ask it',
    async (provider) => {
      const rules = (await caseOf(provider)).actions.upload;
      const served = Object.entries(rules.byType) as [DocumentType, NonNullable<(typeof rules.byType)[DocumentType]>][];
      for (const [type, rule] of served) {
        const file = realFile(makeableType(rule), Math.max(rule.minBytes, 4096));
        const res = await upload(provider, type, file);
        if (rule.requiredDetails.length > 0) {
          // The served rule names the details this type needs; the refusal names exactly those.
          expect(res.status, type).toBe(400);
          expect(Object.keys(res.body.errors ?? {}).sort(), type).toEqual([...rule.requiredDetails].sort());
          const other = served.find(
            ([, r]) =>
              r.requiredDetails.length === 0 &&
              documentFileProblem(r, { contentType: file.type, size: file.size }) === null,
          );
          if (other) expect((await upload(provider, other[0], file)).status, `${other[0]} after ${type}`).toBe(202);
        } else expect(res.status, type).toBe(202);
      }
      // Where types differ in what they need, both sides were shown.
      if (provider !== 'jiko') {
        expect(served.some(([, r]) => r.requiredDetails.length > 0)).toBe(true);
        expect(served.some(([, r]) => r.requiredDetails.length === 0)).toBe(true);
      }
    },
  );
});
