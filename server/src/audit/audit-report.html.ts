/**
 * The audit report as one self-contained, printable HTML page: inline styles, no scripts, no
 * external assets. Every value goes through `html`, which escapes whatever is not already
 * markup, so nothing read from the database can become markup.
 */
import {
  type AuditReport,
  auditActionLabel,
  documentTypeLabels,
  providerActionKindLabels,
  providerLabels,
  reasonCodeLabels,
  reviewOutcomeLabels,
  roleLabels,
  type StaffSummary,
  stageLabels,
  statusChangeSourceLabels,
} from '@desk/shared';

class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = Markup | string | number | boolean | null | undefined | readonly Interpolation[];

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function render(value: Interpolation): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Markup with every interpolated value escaped (markup made by `html` stays as it is). */
function html(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Markup(out);
}

const dash = html`<span class="muted">—</span>`;
const text = (value: string | null | undefined) =>
  value === null || value === undefined || value === '' ? dash : html`${value}`;
const instant = (iso: string | null | undefined) =>
  iso ? html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</time>` : dash;
const code = (value: string | null | undefined) => (value ? html`<code>${value}</code>` : dash);
const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
const staff = (s: StaffSummary | null) =>
  s ? html`${s.name} <span class="muted">(${s.email}, ${roleLabels[s.role]})</span>` : null;

function fields(rows: [string, Interpolation][]): Markup {
  return html`<table class="fields"><tbody>${rows.map(([label, value]) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`)}</tbody></table>`;
}

function grid(headers: string[], rows: Interpolation[][], empty: string): Markup {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<table class="grid"><thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows.map(
    (cells) => html`<tr>${cells.map((c) => html`<td>${c}</td>`)}</tr>`,
  )}</tbody></table>`;
}

function section(id: string, title: string, body: Markup): Markup {
  return html`<section id="${id}"><h2>${title}</h2>${body}</section>`;
}

const styles = `
  :root { color-scheme: light; }
  body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  h2 { font-size: 15px; margin: 24px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #d0d7de; }
  .muted { color: #57606a; }
  code, pre, .hash { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11.5px; }
  .hash { word-break: break-all; }
  pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #eaeef2; }
  table.fields th { width: 220px; font-weight: 600; color: #424a53; }
  table.grid thead th { background: #f6f8fa; border-bottom: 1px solid #d0d7de; font-weight: 600; }
  .chain { padding: 10px 12px; border-radius: 6px; border: 1px solid; margin: 16px 0; }
  .chain.ok { background: #dafbe1; border-color: #4ac26b; }
  .chain.broken { background: #ffebe9; border-color: #ff8182; }
  .chain ul.heads { margin: 4px 0 0; padding-left: 18px; }
  @media print {
    body { margin: 0; max-width: none; font-size: 10.5px; }
    section { break-inside: auto; }
    tr { break-inside: avoid; }
    a { color: inherit; text-decoration: none; }
  }
`;

export function renderAuditReportHtml(report: AuditReport): string {
  const { application: app, applicant, consent, chain } = report;
  const name = `${applicant.firstName} ${applicant.lastName}`;
  const a = applicant.address;

  const chainBox = html`<div class="chain ${chain.ok ? 'ok' : 'broken'}" id="chain" data-ok="${String(chain.ok)}">
    <strong>${chain.ok ? 'Audit chain verified' : 'Audit chain BROKEN'}</strong> —
    ${chain.checked} events checked${chain.firstBrokenId ? html`; first broken event: <strong>#${chain.firstBrokenId}</strong>` : ''}.
    <div>Lane heads at report time: ${
      chain.heads.length === 0
        ? dash
        : html`<ul class="heads">${chain.heads.map(
            (head) => html`<li>lane ${String(head.lane)}: #${head.id} <span class="hash">${head.hash}</span></li>`,
          )}</ul>`
    }</div>
  </div>`;

  const body = html`
<header>
  <h1>Audit report — ${name}</h1>
  <div class="muted">Case <code>${app.id}</code> · generated ${instant(report.generatedAt)} by ${report.generatedBy}</div>
</header>
${chainBox}
${section(
  'case',
  'Case',
  fields([
    ['Application id', code(app.id)],
    ['Provider', providerLabels[app.provider]],
    ['Provider application id', code(app.providerApplicationId)],
    ['Provider customer id', code(app.providerCustomerId)],
    ['Stage', stageLabels[app.stage]],
    ['Provider status', code(app.providerStatus)],
    ['Created', instant(app.createdAt)],
    ['Last updated', instant(app.updatedAt)],
  ]),
)}
${section(
  'applicant',
  'Applicant',
  fields([
    ['Name', name],
    ['Customer id', code(applicant.customerId)],
    ['Email', applicant.email],
    ['Phone', applicant.phone],
    ['Date of birth', applicant.dateOfBirth],
    ['Address', [a.street, a.city, a.postalCode, a.state, a.country].filter((p): p is string => !!p).join(', ')],
    [
      'Identification number',
      html`<span data-field="identification-number">${applicant.identificationNumberMasked}</span> <span class="muted">(masked)</span>`,
    ],
  ]),
)}
${section(
  'consent',
  'Consent',
  fields([
    ['Agreement version', code(consent.agreementVersion)],
    ['Consented at', instant(consent.consentedAt)],
    ['Version released', instant(consent.versionReleasedAt)],
    ['Latest version at consent', code(consent.latestVersionAtConsent)],
    ['Consented to the latest version', yesNo(consent.wasLatestAtConsent)],
  ]),
)}
${section(
  'status-history',
  'Status history',
  grid(
    ['At', 'Provider status', 'Stage', 'Caused by', 'Who', 'Reason'],
    report.statusHistory.map((h) => [
      instant(h.at),
      html`${h.fromStatus ? html`${code(h.fromStatus)} → ` : ''}${code(h.toStatus)}`,
      html`${h.fromStage ? `${stageLabels[h.fromStage]} → ` : ''}${stageLabels[h.toStage]}`,
      statusChangeSourceLabels[h.source],
      staff(h.actor) ?? dash,
      text(h.reason),
    ]),
    'No status changes recorded.',
  ),
)}
${section(
  'documents',
  'Documents',
  grid(
    ['Type', 'Status', 'File', 'Size', 'SHA-256', 'Uploaded by', 'Created', 'Updated'],
    report.documents.map((d) => [
      documentTypeLabels[d.type],
      code(d.status),
      text(d.fileName),
      d.sizeBytes === null ? dash : `${d.sizeBytes} bytes`,
      d.sha256 ? html`<span class="hash">${d.sha256}</span>` : dash,
      staff(d.uploadedBy) ?? html`<span class="muted">provider</span>`,
      instant(d.createdAt),
      instant(d.updatedAt),
    ]),
    'No documents.',
  ),
)}
${section(
  'rfis',
  'Requests for information',
  grid(
    ['Title', 'Origin', 'Status', 'Raised', 'Due', 'Answered', 'Closed'],
    report.rfis.map((r) => [
      r.title,
      r.origin,
      html`${r.status}${r.overdue ? html` <strong>(overdue)</strong>` : ''}`,
      instant(r.createdAt),
      instant(r.dueAt),
      instant(r.answeredAt),
      instant(r.closedAt),
    ]),
    'No RFIs.',
  ),
)}
${section(
  'outcomes',
  'Internal review outcomes',
  grid(
    ['At', 'Outcome', 'Reason', 'Note', 'Override', 'By'],
    report.outcomes.map((o) => [
      instant(o.createdAt),
      reviewOutcomeLabels[o.outcome],
      html`${reasonCodeLabels[o.reasonCode] ?? o.reasonCode} <span class="muted">(${o.reasonCode})</span>`,
      text(o.note),
      o.overrideReason === null
        ? dash
        : html`<span data-field="override-reason"><strong>Recorded over open items:</strong> ${o.overrideReason}</span>`,
      staff(o.actor),
    ]),
    'No review outcomes recorded.',
  ),
)}
${section(
  'provider-actions',
  'Provider actions',
  grid(
    ['Requested', 'Action', 'State', 'Attempts', 'Last error', 'Requested by', 'Completed'],
    report.providerActions.map((p) => [
      instant(p.createdAt),
      html`${providerActionKindLabels[p.kind]}${p.document ? html` <span class="muted">(${documentTypeLabels[p.document.type]})</span>` : ''}`,
      html`${p.state}${p.gaveUp ? ' (gave up)' : ''}`,
      p.attempts,
      text(p.lastError),
      staff(p.requestedBy) ?? html`<span class="muted">the desk</span>`,
      instant(p.completedAt),
    ]),
    'No provider actions.',
  ),
)}
${section(
  'audit-events',
  `Audit events (${report.auditEvents.length})`,
  grid(
    ['#', 'At', 'Actor', 'Action', 'Entity', 'IP', 'Data', 'Lane and hashes'],
    report.auditEvents.map((e) => [
      html`<span data-audit-id="${e.id}">${e.id}</span>`,
      instant(e.at),
      e.actor,
      html`${auditActionLabel(e.action)}<br>${code(e.action)}`,
      html`${e.entityType}${e.entityId ? html`<br><code>${e.entityId}</code>` : ''}`,
      text(e.ip),
      Object.keys(e.data).length === 0 ? dash : html`<pre>${JSON.stringify(e.data, null, 2)}</pre>`,
      html`<div class="muted">lane ${String(e.lane)}</div><div class="hash"><span class="muted">prev</span> ${e.prevHash}</div><div class="hash"><span class="muted">hash</span> ${e.hash}</div>`,
    ]),
    'No audit events for this case.',
  ),
)}
<footer class="muted"><p>The audit chain runs in lanes: each audit event's hash covers the hash of the event before it in its lane and its own content. Every lane was checked in full when this report was generated.</p></footer>`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Audit report — ${name} — ${app.id}`)}</title>
<style>${styles}</style>
</head>
<body>${body.value}
</body>
</html>
`;
}
