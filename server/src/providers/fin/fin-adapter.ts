/**
 * The Fin.com adapter (individual customers, API V2, or V1 for a partner still on it):
 * `Authorization: Bearer <token>` on every call, the catalogue fetched once per adapter,
 * files uploaded (V1 upload, both versions) before they are attached or given in an RFI
 * answer, status and RFI mapping, webhook verification.
 *
 * On V1 (`apiVersion: 'v1'`, as its guide): create at `POST /v1/customers/individual`, read at
 * `GET /v1/customers/{id}`, attach at `POST /v1/customers/individual/attach` with the
 * customer_id in the body, one `proof_of_identity`, one `proof_of_address` and the
 * `tos_policies_value` parsed from the customer's `tos_policies_url`. V1's attach is
 * synchronous: its answer is the customer, already REVIEWING. V1 accepts documents only while
 * INCOMPLETE, has no selfie, and answers RFIs by email or Slack, not through the API, so an
 * RFI answer is refused and an ON_HOLD customer shows no RFI. Webhooks are the same events.
 *
 * Fin.com defines no idempotency keys, so every write is made safe to repeat by what it does:
 * a repeated upload leaves a second, unused copy; a repeated attach meets a 409 while the
 * first is queued (unavailable: retried later) or a 403 once it moved the customer on (the
 * customer is read and returned); a repeated RFI answer finds the RFI no longer OPEN and
 * returns the customer without sending anything. A create is made once per intake: the
 * customer it made is recorded by the desk (`CreationRecord`, in its database) as soon as the
 * answer comes, and a later attempt reads that customer instead of creating another. The
 * guide documents no lookup of customers (by email or by `meta_data`), and `customer.created`
 * webhooks carry only the customer id: a create whose answer is lost leaves a customer the
 * desk cannot find, and the retry makes a second one. Each customer carries the intake's key
 * in `meta_data.desk_reference`, so such a duplicate can be traced at Fin.com.
 */

import type { DocumentFlag, DocumentType, FinStatus, ProviderStatus } from '@desk/shared';
import {
  alpha2Of,
  clearingDocumentStatuses,
  describeRequirement,
  flagsOf,
  isStatusOf,
  metOption,
  providerDocumentRules,
  readFieldFormat,
} from '@desk/shared';
import type { z } from 'zod';
import {
  type ApplicationContext,
  type CreationRecord,
  type DocumentRules,
  documentRulesFromTable,
  type HeldDocument,
  type NewApplicant,
  type OutgoingFile,
  type ProviderAdapter,
  type ProviderAgreement,
  ProviderCallError,
  type ProviderSnapshot,
  type RfiAnswerDelivery,
  type WebhookVerification,
} from '../provider-adapter.js';
import { providerFetch, type RefusalOf, readProviderAnswer, refusalWith } from '../provider-http.js';
import { headerValue, verifySignedWebhook, type WebhookHeaders } from '../webhook-verification.js';
import { finEventIdHeader, finWebhookSigning } from './fin-signing.js';
import {
  catalogueChoice,
  createCustomerBody,
  createV1CustomerBody,
  type FinApiVersion,
  type FinAttachBody,
  type FinCatalogue,
  type FinFileRef,
  type FinIdentityDocument,
  type FinRfi,
  type FinRfiAnswerBody,
  type FinV1AttachBody,
  finAttachAnswerSchema,
  finCatalogueSchema,
  finCustomerAnswerSchema,
  finCustomerToSnapshot,
  finEmploymentStatus,
  finExpiringIdentityTypes,
  finFieldFormat,
  finRfiAnswerResultSchema,
  finRfiListSchema,
  finUploadSchema,
  finV1CustomerAnswerSchema,
  finWebhookSchema,
  rfiDocumentKey,
  rfiExpiryKey,
  subdivisionCode,
  tosPoliciesValueOf,
} from './fin-wire.js';

export type FinConfig = {
  /** e.g. http://localhost:3000/sandbox/fin or Fin.com's own host; read on every call. */
  baseUrl: () => string;
  /** The Bearer access token. */
  token: string;
  webhookSecret: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Webhooks older or newer than this are refused (replay window). */
  webhookToleranceSeconds?: number;
  /** Fin.com's onboarding API the partner is on; V2 unless set. */
  apiVersion?: FinApiVersion;
};

/** Fin.com's allowed file types, by the extension the file name must carry. */
const extensionByContentType: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};
/** Fin.com's upload limit: 10 files a request (a file's own limits are its document rules). */
const maxFilesPerUpload = 10;
/** Statuses in which Fin.com accepts an attach, by API version (V1 has no ACTION_REQUIRED). */
const attachableStatusesOf: Record<FinApiVersion, readonly FinStatus[]> = {
  v2: ['INCOMPLETE', 'ACTION_REQUIRED'],
  v1: ['INCOMPLETE'],
};

type Held = Pick<HeldDocument, 'type' | 'status' | 'providerDocumentId'>;
type Body = { json: unknown } | { form: FormData } | null;

/** Documents Fin.com holds a file of, in a status that counts: the latest of each type. */
function latestSent<D extends Held>(documents: readonly D[]): Map<DocumentType, D & { providerDocumentId: string }> {
  const latest = new Map<DocumentType, D & { providerDocumentId: string }>();
  for (const d of documents) {
    if (d.providerDocumentId !== null && clearingDocumentStatuses.includes(d.status)) {
      latest.set(d.type, { ...d, providerDocumentId: d.providerDocumentId });
    }
  }
  return latest;
}

/** How an attach refusal names each of Fin.com's requirements (by the flag it clears). */
const requirementWords: Partial<Record<DocumentFlag, string>> = {
  idVerification: 'a passport, or both sides of an ID (ID front and ID back)',
  addressVerification: 'an address verification document',
};

/** What is missing for an attach (every requirement of Fin.com's document rules), or null. */
function missingForAttach(documents: readonly Held[]): string | null {
  const sent = [...latestSent(documents).keys()];
  const missing: string[] = [];
  for (const flag of flagsOf('fin')) {
    for (const requirement of providerDocumentRules.fin.flags[flag] ?? []) {
      if (!metOption(requirement, sent)) missing.push(requirementWords[flag] ?? describeRequirement(requirement));
    }
  }
  return missing.length === 0 ? null : `Fin.com needs ${missing.join(' and ')} before documents can be attached`;
}

/** A file name Fin.com takes: ASCII, with the extension its content type calls for. */
function finFileName(fileName: string | null, fallback: string, contentType: string): string {
  const extension = extensionByContentType[contentType.toLowerCase()];
  if (!extension)
    throw new ProviderCallError('refused', `Fin.com takes PDF, JPEG or PNG files only, not ${contentType}`);
  const stem = (fileName ?? '')
    .replace(/\.[A-Za-z0-9]+$/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  return `${stem || fallback}.${extension}`;
}

/** Idempotency keys are accepted as the interface has them and not sent: Fin.com defines none. */
export class FinAdapter implements ProviderAdapter {
  readonly provider = 'fin' as const;
  readonly resubmitLabel = 'Attach documents';
  private catalogue: Promise<FinCatalogue> | null = null;
  private readonly v1: boolean;
  private readonly attachableStatuses: readonly FinStatus[];

  constructor(private readonly config: FinConfig) {
    const version = config.apiVersion ?? 'v2';
    this.v1 = version === 'v1';
    this.attachableStatuses = attachableStatusesOf[version];
  }

  listAgreements(_idempotencyKey?: string): Promise<ProviderAgreement[]> {
    // Fin.com has no agreement versions API.
    return Promise.resolve([]);
  }

  async createApplication(
    applicant: NewApplicant,
    idempotencyKey: string,
    creation?: CreationRecord,
  ): Promise<ProviderSnapshot> {
    if (creation?.providerApplicationId) return this.getApplication(creation.providerApplicationId);
    const country = applicant.address.country.trim().toUpperCase();
    const subdivision = subdivisionCode(applicant.address.state, alpha2Of(country));
    if (!subdivision) {
      throw new ProviderCallError(
        'refused',
        `Fin.com needs the state or region of the address as an ISO 3166-2 code; none can be made for ${country} from "${applicant.address.state ?? ''}"`,
      );
    }
    const employment = finEmploymentStatus(applicant.investmentProfile.employmentStatus);
    const ids = catalogueChoice(await this.loadCatalogue(), applicant.investmentProfile.occupation, employment);
    if (!ids)
      throw new ProviderCallError(
        'unavailable',
        'Fin.com answered an empty catalogue (occupations, purposes or sources of funds)',
      );
    if (this.v1) {
      const body = createV1CustomerBody(applicant, ids, subdivision, idempotencyKey);
      const answer = await this.call('POST', '/v1/customers/individual', { json: body }, finV1CustomerAnswerSchema);
      return this.created(finCustomerToSnapshot(answer.data), creation);
    }
    const body = createCustomerBody(applicant, ids, employment, subdivision, idempotencyKey);
    const answer = await this.call('POST', '/v2/customers/individual', { json: body }, finCustomerAnswerSchema);
    return this.created(finCustomerToSnapshot(answer.data), creation);
  }

  private async created(snapshot: ProviderSnapshot, creation: CreationRecord | undefined): Promise<ProviderSnapshot> {
    await creation?.record(snapshot.providerApplicationId);
    return snapshot;
  }

  async getApplication(providerApplicationId: string, _idempotencyKey?: string): Promise<ProviderSnapshot> {
    if (this.v1) return finCustomerToSnapshot((await this.getV1Customer(providerApplicationId)).data);
    const answer = await this.call(
      'GET',
      `/v2/customers/${encodeURIComponent(providerApplicationId)}`,
      null,
      finCustomerAnswerSchema,
    );
    return finCustomerToSnapshot(answer.data);
  }

  async sendDocument(
    app: ApplicationContext,
    document: HeldDocument,
    bytes: Buffer,
    _idempotencyKey?: string,
  ): Promise<{ providerDocumentId: string }> {
    if (!document.contentType) throw new ProviderCallError('refused', 'The document has no content type');
    const fileName = finFileName(document.fileName, document.type.toLowerCase(), document.contentType);
    const [uri] = await this.upload(app.providerApplicationId, [
      { fileName, contentType: document.contentType, bytes },
    ]);
    if (!uri) throw new ProviderCallError('unavailable', 'Fin.com answered the upload without a file uri');
    return { providerDocumentId: uri };
  }

  async resubmit(app: ApplicationContext, _idempotencyKey?: string): Promise<ProviderSnapshot> {
    const missing = missingForAttach(app.documents);
    if (missing) throw new ProviderCallError('refused', missing);
    if (this.v1) return this.attachV1(app);
    const path = `/v2/customers/${encodeURIComponent(app.providerApplicationId)}/individual/attach`;
    try {
      await this.call('POST', path, { json: attachBody(app) }, finAttachAnswerSchema);
    } catch (err) {
      if (!(err instanceof ProviderCallError)) throw err;
      if (err.status === 409) {
        throw new ProviderCallError(
          'unavailable',
          'Fin.com is still processing an earlier attach for this customer',
          409,
        );
      }
      if (err.status !== 403) throw err;
      // Not attachable: most likely an earlier attempt of this attach landed and moved the
      // customer on. Anything but an attachable status is that outcome.
      const snapshot = await this.getApplication(app.providerApplicationId);
      if (this.attachableStatuses.some((s) => s === snapshot.status)) throw err;
      return snapshot;
    }
    return this.getApplication(app.providerApplicationId);
  }

  /**
   * V1's synchronous attach. The terms value comes from the customer's `tos_policies_url`
   * (the one the create answered). A customer no longer INCOMPLETE was moved on by an
   * earlier attempt of this attach: its snapshot is returned without attaching again.
   */
  private async attachV1(app: ApplicationContext): Promise<ProviderSnapshot> {
    const customer = (await this.getV1Customer(app.providerApplicationId)).data;
    if (!this.attachableStatuses.some((s) => s === customer.status)) return finCustomerToSnapshot(customer);
    const tosPoliciesValue = tosPoliciesValueOf(customer.tos_policies_url);
    if (!tosPoliciesValue)
      throw new ProviderCallError('unavailable', 'Fin.com answered a tos_policies_url without a tos_policies_value');
    const body = v1AttachBody(app, tosPoliciesValue);
    try {
      const answer = await this.call(
        'POST',
        '/v1/customers/individual/attach',
        { json: body },
        finV1CustomerAnswerSchema,
      );
      return finCustomerToSnapshot(answer.data);
    } catch (err) {
      // 403: a concurrent attempt of this attach landed first.
      if (!(err instanceof ProviderCallError) || err.status !== 403) throw err;
      const snapshot = await this.getApplication(app.providerApplicationId);
      if (this.attachableStatuses.some((s) => s === snapshot.status)) throw err;
      return snapshot;
    }
  }

  private getV1Customer(id: string) {
    return this.call('GET', `/v1/customers/${encodeURIComponent(id)}`, null, finV1CustomerAnswerSchema);
  }

  async answerRfi(
    app: ApplicationContext,
    answer: RfiAnswerDelivery,
    _idempotencyKey?: string,
  ): Promise<ProviderSnapshot> {
    if (this.v1)
      throw new ProviderCallError('refused', 'Fin.com V1 takes RFI answers by email or Slack, not through its API');
    const customerPath = `/v2/customers/${encodeURIComponent(app.providerApplicationId)}`;
    const rfis = await this.call('GET', `${customerPath}/rfis`, null, finRfiListSchema);
    const rfi = rfis.data.find((r) => r.id === answer.providerRfiId);
    if (!rfi) throw new ProviderCallError('refused', `Fin.com has no RFI ${answer.providerRfiId} for this customer`);
    // Already answered: an earlier attempt of this delivery landed.
    if (rfi.status !== 'OPEN') return this.getApplication(app.providerApplicationId);

    const plan = planRfiAnswer(rfi, answer);
    const uris = await this.upload(
      app.providerApplicationId,
      plan.files.map((f, i) => ({
        fileName: finFileName(f.fileName, `rfi-${i + 1}`, f.contentType),
        contentType: f.contentType,
        bytes: f.bytes,
      })),
    );
    const body: FinRfiAnswerBody = {
      fields: plan.fields,
      documents: plan.documents.map((d) => {
        const files = d.fileIndexes.map((i): FinFileRef => ({ uri: uris[i] ?? '' }));
        // Two files of one document are its front and back.
        if (files.length === 2 && files[0] && files[1]) {
          files[0].side = 'FRONT';
          files[1].side = 'BACK';
        }
        return { type: d.type, ...(d.expiryDate !== undefined && { expiry_date: d.expiryDate }), files };
      }),
    };
    try {
      await this.call(
        'POST',
        `${customerPath}/rfis/${encodeURIComponent(rfi.id)}/answer`,
        { json: body },
        finRfiAnswerResultSchema,
        rfiAnswerRefusal(plan),
      );
    } catch (err) {
      // 409: answered meanwhile, by a concurrent attempt of this delivery.
      if (!(err instanceof ProviderCallError) || err.status !== 409) throw err;
    }
    return this.getApplication(app.providerApplicationId);
  }

  resubmitRefusal(status: ProviderStatus, documents: readonly Held[]): string | null {
    if (!isStatusOf('fin', status)) return `${status} is not a Fin.com status`;
    if (!this.attachableStatuses.includes(status))
      return `Fin.com accepts documents only while ${this.attachableStatuses.join(' or ')} (the customer is ${status})`;
    return missingForAttach(documents);
  }

  documentRules(type: DocumentType): DocumentRules {
    return documentRulesFromTable('fin', type);
  }

  verifyWebhook(headers: WebhookHeaders, rawBody: Buffer, now: Date): WebhookVerification {
    const read = verifySignedWebhook(
      { headers, rawBody, now },
      finWebhookSigning,
      { secret: this.config.webhookSecret, toleranceSeconds: this.config.webhookToleranceSeconds },
      { schema: finWebhookSchema, label: 'a Fin.com' },
    );
    if (!read.ok) return read;
    // The header is optional and not covered by the signature: a mismatch is refused, not kept.
    const eventId = headerValue(headers, finEventIdHeader);
    if (eventId !== null && eventId !== read.event.id)
      return { ok: false, reason: `${finEventIdHeader} does not match the event` };
    return {
      ok: true,
      event: {
        eventId: read.event.id,
        type: read.event.type,
        providerApplicationId: read.event.data.customer_id,
        payload: read.json,
      },
    };
  }

  /** Occupations, purposes and sources of funds, fetched once (again after a failure). */
  private loadCatalogue(): Promise<FinCatalogue> {
    this.catalogue ??= Promise.all([
      this.call('GET', '/v1/occupations', null, finCatalogueSchema),
      this.call('GET', '/v1/purposes?type=INDIVIDUAL', null, finCatalogueSchema),
      this.call('GET', '/v1/source-of-funds?type=INDIVIDUAL', null, finCatalogueSchema),
    ]).then(
      ([occupations, purposes, sourcesOfFunds]) => ({
        occupations: occupations.data,
        purposes: purposes.data,
        sourcesOfFunds: sourcesOfFunds.data,
      }),
      (err: unknown) => {
        this.catalogue = null;
        throw err;
      },
    );
    return this.catalogue;
  }

  /** `POST /v1/customers/upload`, at most ten files a request; the uris in the order given. */
  private async upload(
    customerId: string,
    files: { fileName: string; contentType: string; bytes: Buffer }[],
  ): Promise<string[]> {
    const uris: string[] = [];
    for (let start = 0; start < files.length; start += maxFilesPerUpload) {
      const batch = files.slice(start, start + maxFilesPerUpload);
      const form = new FormData();
      form.append('customer_id', customerId);
      for (const [i, f] of batch.entries()) {
        form.append(`file${i + 1}`, new Blob([Uint8Array.from(f.bytes)], { type: f.contentType }), f.fileName);
      }
      const answer = await this.call('POST', '/v1/customers/upload', { form }, finUploadSchema);
      const byField = new Map(answer.data.files.flatMap((entry) => Object.entries(entry)));
      batch.forEach((_, i) => {
        const uri = byField.get(`file${i + 1}`);
        if (!uri)
          throw new ProviderCallError('unavailable', `Fin.com answered the upload without a uri for file${i + 1}`);
        uris.push(uri);
      });
    }
    return uris;
  }

  private async call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    body: Body,
    schema: S,
    refusal: RefusalOf = finRefusal,
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.token}`,
      accept: 'application/json',
    };
    let payload: string | FormData | undefined;
    if (body && 'json' in body) {
      payload = JSON.stringify(body.json);
      headers['content-type'] = 'application/json';
    } else if (body) {
      // fetch sets the multipart content type with its boundary.
      payload = body.form;
    }
    const res = await providerFetch(
      'Fin.com',
      `${this.config.baseUrl()}${path}`,
      { method, headers, body: payload },
      this.config.timeoutMs,
    );
    return readProviderAnswer('Fin.com', res, schema, refusal);
  }
}

/**
 * The attach body from the desk's documents (the latest of each type Fin.com has a file of):
 * a passport, else ID front and back as a NATIONAL_ID; the selfie if there is one; the
 * address verification as a UTILITY_BILL of the applicant's country.
 */
function attachBody(app: ApplicationContext): FinAttachBody {
  const sent = latestSent(app.documents);
  const passport = sent.get('PASSPORT');
  const front = sent.get('ID_FRONT');
  const back = sent.get('ID_BACK');
  const selfie = sent.get('SELFIE');
  const address = sent.get('ADDRESS_VERIFICATION');
  const identifying: FinIdentityDocument[] = [];
  const details = (d: HeldDocument['details']) => ({
    ...(d.number !== undefined && { number: d.number }),
    ...(d.issuingCountry !== undefined && { country: d.issuingCountry }),
    ...(d.expiresOn !== undefined && { expiry_date: d.expiresOn }),
  });
  if (passport) {
    identifying.push({
      type: 'PASSPORT',
      ...details(passport.details),
      files: [{ uri: passport.providerDocumentId, side: 'FRONT' }],
    });
  } else if (front && back) {
    identifying.push({
      type: 'NATIONAL_ID',
      ...details({ ...back.details, ...front.details }),
      files: [
        { uri: front.providerDocumentId, side: 'FRONT' },
        { uri: back.providerDocumentId, side: 'BACK' },
      ],
    });
  }
  if (selfie) identifying.push({ type: 'SELFIE', files: [{ uri: selfie.providerDocumentId }] });
  return {
    identifying_documents: identifying,
    address_documents: address
      ? [{ type: 'UTILITY_BILL', country: app.applicant.country, files: [{ uri: address.providerDocumentId }] }]
      : [],
  };
}

/**
 * V1's attach body from the same documents as V2's (`attachBody`): its identity document as
 * `proof_of_identity`, its address document as `proof_of_address`; V1 has no selfie.
 */
function v1AttachBody(app: ApplicationContext, tosPoliciesValue: string): FinV1AttachBody {
  const v2 = attachBody(app);
  const identity = v2.identifying_documents.find((d) => d.type !== 'SELFIE');
  const address = v2.address_documents[0];
  // missingForAttach ran first: both are there.
  if (!identity || identity.type === 'SELFIE' || !address)
    throw new ProviderCallError('refused', 'Fin.com needs an identity document and an address document');
  return {
    customer_id: app.providerApplicationId,
    proof_of_identity: { ...identity, type: identity.type },
    proof_of_address: address,
    tos_policies_value: tosPoliciesValue,
  };
}

type RfiAnswerPlan = {
  fields: Record<string, string>;
  files: OutgoingFile[];
  /** Per requested document, in the order sent: its item key, type, expiry date and files. */
  documents: { key: string; type: string; expiryDate?: string; fileIndexes: number[] }[];
};

/**
 * Checks the delivery answers exactly the RFI's items (Fin.com takes nothing else), each
 * value in the format Fin.com documents for it (the shared field formats), and sorts it into
 * Fin.com's shape: field values by `<section>.<field>`, and per requested document its files
 * and, for an identity document, the expiry date given under `<key>.expiry_date`. What does
 * not fit is refused with the reasons by item key.
 */
function planRfiAnswer(rfi: FinRfi, answer: RfiAnswerDelivery): RfiAnswerPlan {
  const problems: Record<string, string[]> = {};
  const problem = (key: string, message: string) => {
    problems[key] = [...(problems[key] ?? []), message];
  };
  const formatted = (key: string, value: string | undefined): string | undefined => {
    if (value === undefined || value.trim() === '') {
      problem(key, 'is required');
      return undefined;
    }
    const read = readFieldFormat(finFieldFormat(key), value);
    if (read.ok) return read.value;
    problem(key, read.problem);
    return undefined;
  };
  const fields: Record<string, string> = {};
  const known = new Set<string>();
  for (const { section, fields: requested } of rfi.sections) {
    for (const { field } of requested) {
      const key = `${section}.${field}`;
      known.add(key);
      const value = formatted(key, answer.fields[key]);
      if (value !== undefined) fields[key] = value;
    }
  }
  const files: OutgoingFile[] = [];
  const documents: RfiAnswerPlan['documents'] = [];
  for (const { section, documents: requested } of rfi.sections) {
    for (const { document_type: type } of requested) {
      const key = rfiDocumentKey(section, type);
      known.add(key);
      const given = answer.files.filter((f) => f.itemKey === key);
      if (given.length === 0) problem(key, 'needs a file');
      if (given.length > 2) problem(key, 'takes at most 2 files (front and back)');
      let expiryDate: string | undefined;
      if (finExpiringIdentityTypes.includes(type)) {
        const expiryKey = rfiExpiryKey(key);
        known.add(expiryKey);
        expiryDate = formatted(expiryKey, answer.fields[expiryKey]);
      }
      const fileIndexes = given.map((f) => files.push(f) - 1);
      documents.push({ key, type, ...(expiryDate ? { expiryDate } : {}), fileIndexes });
    }
  }
  for (const key of Object.keys(answer.fields)) if (!known.has(key)) problem(key, 'was not requested by Fin.com');
  for (const f of answer.files) if (!known.has(f.itemKey)) problem(f.itemKey, 'is a document Fin.com did not request');
  const named = Object.entries(problems);
  if (named.length > 0) {
    const said = named.map(([key, messages]) => `${key} ${messages.join(', ')}`).join('; ');
    throw new ProviderCallError('refused', `The answer does not fit Fin.com's RFI: ${said}`, null, problems);
  }
  return { fields, files, documents };
}

/**
 * Fin.com's refusal of an RFI answer, its reasons by the desk's item keys: `fields.<key>` is
 * the field item `<key>`; `documents.<i>.expiry_date` the expiry date of the i-th document
 * sent, any other `documents.<i>…` that document; anything else keeps Fin.com's path.
 */
function rfiAnswerRefusal(plan: RfiAnswerPlan): RefusalOf {
  return (status, json, text) => {
    const refused = finRefusal(status, json, text);
    const errors = finValidationErrors(json);
    if (!errors) return refused;
    const reasons: Record<string, string[]> = {};
    for (const [path, messages] of Object.entries(errors)) {
      const document = /^documents\.(\d+)(\.(.*))?$/.exec(path);
      const planned = document ? plan.documents[Number(document[1])] : undefined;
      let key = path;
      if (path.startsWith('fields.')) key = path.slice('fields.'.length);
      else if (planned) key = document?.[3] === 'expiry_date' ? rfiExpiryKey(planned.key) : planned.key;
      reasons[key] = [...(reasons[key] ?? []), ...messages];
    }
    return new ProviderCallError('refused', refused.message, status, reasons);
  };
}

/** The `errors` of Fin.com's 400 (`{ message, errors: { "<path>": ["..."] } }`), or null. */
function finValidationErrors(json: unknown): Record<string, string[]> | null {
  if (typeof json !== 'object' || json === null || !('errors' in json)) return null;
  const { errors } = json;
  if (typeof errors !== 'object' || errors === null) return null;
  const out: Record<string, string[]> = {};
  for (const [path, messages] of Object.entries(errors)) {
    out[path] = (Array.isArray(messages) ? messages : [messages]).map(String);
  }
  return out;
}

const finRefusal = refusalWith('Fin.com', describeError);

/** Fin.com's error bodies: `{ message, errors: { path: [..] } }`, `{ message }` or `{ error: { code, message } }`. */
function describeError(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return null;
  const body = json as { message?: unknown; errors?: unknown; error?: unknown };
  if (typeof body.errors === 'object' && body.errors !== null) {
    const details = Object.entries(body.errors as Record<string, unknown>)
      .map(
        ([path, messages]) =>
          `${path}: ${Array.isArray(messages) ? messages.map(String).join(', ') : String(messages)}`,
      )
      .join('; ');
    return details || (typeof body.message === 'string' ? body.message : null);
  }
  if (typeof body.message === 'string') return body.message;
  if (typeof body.error === 'object' && body.error !== null) {
    const { code, message } = body.error as { code?: unknown; message?: unknown };
    if (typeof message === 'string') return typeof code === 'string' ? `${code}: ${message}` : message;
  }
  return null;
}
