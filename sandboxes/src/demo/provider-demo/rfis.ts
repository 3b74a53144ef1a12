/**
 * Internal RFIs of the provider demo, raised on open Jiko cases: open (some overdue), answered
 * and closed, with their items and answers.
 */
import type { RfiStatus } from '@desk/shared';
import type { Builder } from './builder.js';
import { day, hour, minute, shuffled } from './common.js';
import { demoPdf, demoPng } from './files.js';

type Template = {
  title: string;
  items: { kind: 'field' | 'document' | 'text'; key: string; label: string; note?: string }[];
  text: string;
  fields: Record<string, string>;
};

const internalTemplates: readonly Template[] = [
  {
    title: 'Source of funds for the initial deposit',
    items: [
      { kind: 'field', key: 'employer', label: 'Current employer' },
      { kind: 'document', key: 'PAYSLIP', label: 'A recent payslip', note: 'From the last two months' },
      { kind: 'text', key: 'explanation', label: 'Where does the initial deposit come from?' },
    ],
    text: 'Savings from salary over the last two years; the payslip shows the monthly net pay.',
    fields: { employer: 'Northwind Logistics' },
  },
  {
    title: 'Confirm the residential address',
    items: [
      { kind: 'document', key: 'ADDRESS_PROOF', label: 'A utility bill or bank statement from the last 90 days' },
      { kind: 'text', key: 'moved', label: 'Has the applicant moved in the last twelve months?' },
    ],
    text: 'No move in the last year; the bill is from last month.',
    fields: {},
  },
  {
    title: 'Name differs from the ID document',
    items: [
      {
        kind: 'text',
        key: 'name_change',
        label: 'Explain the difference between the name given and the name on the ID',
      },
      { kind: 'document', key: 'NAME_CHANGE_PROOF', label: 'Marriage certificate or court order' },
    ],
    text: 'The applicant took their spouse\u2019s name; the marriage certificate is attached.',
    fields: {},
  },
  {
    title: 'Occupation and expected activity',
    items: [
      { kind: 'field', key: 'occupation', label: 'Occupation' },
      { kind: 'field', key: 'monthly_volume', label: 'Expected monthly volume (USD)' },
      { kind: 'text', key: 'purpose', label: 'What will the account be used for?' },
    ],
    text: 'Long-term savings and occasional transfers to family.',
    fields: { occupation: 'Physical therapist', monthly_volume: '4000' },
  },
  {
    title: 'Politically exposed person check',
    items: [
      {
        kind: 'text',
        key: 'pep',
        label: 'Does the applicant or a close family member hold public office?',
        note: 'Include past roles within five years',
      },
    ],
    text: 'Neither the applicant nor any close family member holds or held public office.',
    fields: {},
  },
];

export function internalRfis(b: Builder): void {
  const { now, perProvider, jikoCases } = b.ctx;
  const rng = b.rngFor('internal', 0);
  const wanted: { status: RfiStatus; overdue: boolean }[] = [];
  const open = Math.max(2, Math.round(perProvider * 0.15));
  for (let i = 0; i < open; i++) wanted.push({ status: 'open', overdue: i % 3 === 0 });
  for (let i = 0; i < Math.max(1, Math.round(perProvider * 0.1)); i++)
    wanted.push({ status: 'answered', overdue: false });
  for (let i = 0; i < Math.max(1, Math.round(perProvider * 0.075)); i++)
    wanted.push({ status: 'closed', overdue: false });
  // One RFI per case, on the oldest open cases (room for RFIs raised a while ago).
  const cases = shuffled(jikoCases.slice(0, Math.max(wanted.length * 3, 1)), rng).slice(0, wanted.length);
  cases.forEach((app, i) => {
    const want = wanted[i];
    if (!want) return;
    const template = rng.pick(internalTemplates);
    const earliest = app.created_at.getTime() + hour;
    let createdAt: Date;
    let dueAt: Date;
    if (want.status === 'open') {
      createdAt = new Date(
        Math.max(earliest, b.ago(want.overdue ? rng.int(6 * day, 12 * day) : rng.int(2 * hour, 4 * day)).getTime()),
      );
      dueAt = want.overdue
        ? new Date(createdAt.getTime() + rng.int(3, 5) * day)
        : new Date(now.getTime() + rng.int(1 * day, 6 * day));
    } else {
      createdAt = new Date(Math.max(earliest, b.ago(rng.int(4 * day, 20 * day)).getTime()));
      dueAt = new Date(createdAt.getTime() + rng.int(5, 10) * day);
    }
    const answeredAt = new Date(Math.min(now.getTime() - hour, createdAt.getTime() + rng.int(6 * hour, 3 * day)));
    const closedAt =
      want.status === 'closed'
        ? new Date(Math.min(now.getTime() - minute, answeredAt.getTime() + rng.int(hour, day)))
        : null;
    const raisedBy = b.analyst(rng);
    const id = rng.uuid();
    b.demo.rfis.push({
      id,
      application_id: app.id,
      origin: 'internal',
      provider_rfi_id: null,
      status: want.status,
      title: template.title,
      due_at: dueAt,
      assignee_id: rng.chance(0.7) ? (b.analyst(rng) ?? raisedBy) : null,
      raised_by: raisedBy,
      created_at: createdAt,
      updated_at: closedAt ?? (want.status === 'answered' ? answeredAt : createdAt),
      closed_at: closedAt,
    });
    template.items.forEach((item, position) => {
      b.demo.rfiItems.push({
        id: rng.uuid(),
        rfi_id: id,
        position,
        kind: item.kind,
        key: item.key,
        label: item.label,
        section: null,
        reason: null,
        note: item.note ?? null,
      });
    });
    if (want.status === 'open') return;
    b.addAnswer({
      rng,
      rfiId: id,
      text: template.text,
      fields: template.fields,
      files: template.items
        .filter((item) => item.kind === 'document')
        .map((item, k) =>
          k % 2 === 0
            ? {
                itemKey: item.key,
                fileName: `${item.key.toLowerCase()}.pdf`,
                contentType: 'application/pdf',
                bytes: demoPdf([item.label, template.title, 'Compliance Desk demo file']),
              }
            : {
                itemKey: item.key,
                fileName: `${item.key.toLowerCase()}.png`,
                contentType: 'image/png',
                bytes: demoPng(64, 40, [rng.int(160, 200), 180, 170]),
              },
        ),
      answeredBy: b.analyst(rng),
      answeredAt,
    });
  });
}
