/**
 * The mixed load of the cluster benchmark: what analysts, support agents and an auditor do,
 * through the load balancer in front of the API processes. Every request is timed by kind;
 * every case "next" hands out is recorded, with who was given it.
 */
import { randomUUID } from 'node:crypto';
import type { ApplicationDetail, ApplicationSummary } from '@desk/shared';
import { applicant, intakeRequest } from '../../support/applicants.js';
import { deskClient, type SignedInClient } from '../../support/desk.js';
import { realFile, uploadDocument } from '../../support/uploads.js';

export type Kind = 'intake' | 'apply' | 'next' | 'case' | 'upload' | 'outcome' | 'search' | 'export' | 'verify';

export type Sample = { kind: Kind; ms: number; status: number; at: number };

export type LoadRecord = {
  samples: Sample[];
  /** Every case "next" answered, with the analyst it was handed to. */
  handedOut: { caseId: string; analystId: string }[];
  /** Applications created, by provider. */
  created: { provider: string; id: string }[];
  lastNames: string[];
};

export function newRecord(): LoadRecord {
  return { samples: [], handedOut: [], created: [], lastNames: [] };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Times one request; a request that fails outright (no answer) counts as status 0. */
async function timed<T extends { status: number }>(
  record: LoadRecord,
  kind: Kind,
  send: () => Promise<T>,
): Promise<T | null> {
  const started = performance.now();
  try {
    const answer = await send();
    record.samples.push({ kind, ms: performance.now() - started, status: answer.status, at: Date.now() });
    return answer;
  } catch {
    record.samples.push({ kind, ms: performance.now() - started, status: 0, at: Date.now() });
    return null;
  }
}

const providers = ['jiko', 'fin', 'kyc'] as const;

/**
 * The applicant of the n-th intake: Jiko cases go to manual review or ask for an ID document
 * (the sandbox reads the identification number); Fin.com cases are approved or put on hold;
 * generic-provider cases become active or get an RFI (both read the email).
 */
function nthApplicant(n: number) {
  const provider = providers[n % providers.length] ?? 'jiko';
  const second = Math.floor(n / providers.length) % 2 === 0;
  if (provider === 'jiko') return { provider, person: applicant(second ? '3' : '21') };
  if (provider === 'fin')
    return { provider, person: applicant('222', { email: `bench.${n}${second ? '' : '+on_hold'}@example.com` }) };
  return {
    provider,
    person: applicant('111', { email: second ? 'test-success@example.com' : 'test-rfi@example.com' }),
  };
}

export type LoadOptions = { lb: string; until: () => boolean; record: LoadRecord };

/** Creates applications at the three providers in turn, `everyMs` apart; submits each Jiko one. */
export async function intakeLoop(
  options: LoadOptions,
  client: SignedInClient,
  counter: { n: number },
  everyMs: number,
): Promise<void> {
  const desk = deskClient(options.lb, client.cookie);
  while (!options.until()) {
    const n = counter.n++;
    const { provider, person } = nthApplicant(n);
    // As a careful client does: one key per application, and a lost answer asked again with it.
    const key = randomUUID();
    let answer: { status: number; body: { id: string } } | null = null;
    for (let attempt = 0; attempt < 5 && (!answer || answer.status === 0 || answer.status >= 500); attempt++) {
      if (attempt > 0) await pause(500);
      answer = await timed(options.record, 'intake', async () => {
        const res = await desk.fetch('/api/applications', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(intakeRequest(provider, person)),
        });
        return { status: res.status, body: (await res.json().catch(() => ({ id: '' }))) as { id: string } };
      });
    }
    if (answer && answer.status >= 200 && answer.status < 300) {
      options.record.created.push({ provider, id: answer.body.id });
      options.record.lastNames.push(person.lastName);
      // A Jiko application is decided once it is applied: submit it, so that its decision (and,
      // for the `21…` applicants, the ID document it then waits for) comes into the load.
      if (provider === 'jiko' && answer.body.id) {
        const id = answer.body.id;
        await timed(options.record, 'apply', () => desk.post(`/api/applications/${id}/reapply`));
      }
    }
    await pause(everyMs);
  }
}

/**
 * An analyst: asks for the next case, uploads the ID a Jiko case waits for, records an
 * escalation (which needs no settled case) and asks again; waits a little when none is waiting.
 */
export async function analystLoop(options: LoadOptions, client: SignedInClient, index: number): Promise<void> {
  const desk = deskClient(options.lb, client.cookie);
  const { record } = options;
  // Analysts work the cases a provider has decided, each stage in turn from a different one
  // (an unfiltered "next" hands out cases still waiting for the provider, and a case claimed
  // then would never come back when it needs documents).
  const decided = ['needs_documents', 'manual_review', 'rfi'] as const;
  let asked = index;
  while (!options.until()) {
    const stage = decided[asked++ % decided.length];
    const next = await timed(record, 'next', () => desk.post<ApplicationSummary>('/api/applications/next', { stage }));
    if (next?.status !== 200) {
      await pause(next?.status === 404 ? 250 : 100);
      continue;
    }
    const summary = next.body;
    record.handedOut.push({ caseId: summary.id, analystId: client.me.id });
    if (summary.provider === 'jiko' && summary.stage === 'needs_documents') {
      await timed(record, 'upload', () =>
        uploadDocument(desk, summary.id, 'ID_FRONT', realFile('image/png', 20_000), 'id-front.png'),
      );
    }
    for (let attempt = 0; attempt < 3 && !options.until(); attempt++) {
      const detail = await timed(record, 'case', () => desk.get<ApplicationDetail>(`/api/applications/${summary.id}`));
      if (detail?.status !== 200) break;
      const outcome = await timed(record, 'outcome', () =>
        desk.post(`/api/applications/${summary.id}/outcomes`, {
          outcome: 'escalated',
          reasonCode: 'other',
          note: 'Escalated by the cluster benchmark.',
          version: detail.body.version,
        }),
      );
      if (outcome?.status !== 409) break;
    }
  }
}

/** A support agent: looks customers up by a name the intake used, or by a prefix of it. */
export async function supportLoop(options: LoadOptions, client: SignedInClient, everyMs: number): Promise<void> {
  const desk = deskClient(options.lb, client.cookie);
  let i = 0;
  while (!options.until()) {
    const names = options.record.lastNames;
    const name = names.length > 0 ? (names[(i * 7919) % names.length] ?? 'Tester') : 'Tester';
    const q = i % 2 === 0 ? name : name.slice(0, 8);
    i++;
    await timed(options.record, 'search', () => desk.get(`/api/customers?q=${encodeURIComponent(q)}&limit=20`));
    await pause(everyMs);
  }
}

/** An auditor's export of the status history, read to its end; resolves with its row count. */
export async function exportOnce(options: LoadOptions, client: SignedInClient): Promise<number> {
  const desk = deskClient(options.lb, client.cookie);
  let rows = 0;
  await timed(options.record, 'export', async () => {
    const res = await desk.fetch('/api/exports/status-history?format=csv');
    const text = await res.text();
    rows = Math.max(0, text.split('\n').filter(Boolean).length - 1);
    return { status: res.status };
  });
  return rows;
}
