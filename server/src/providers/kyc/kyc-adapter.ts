/**
 * The generic KYC provider's customer API adapter (its KYC integration guide):
 * `Authorization: Bearer <API key>` on every call, customers created with POST and their KYC
 * data submitted with PATCH, status and requests for information read from the customer, and
 * webhook verification. The base URL points at the built-in sandbox by default and at the
 * provider by configuration.
 *
 * Documents: the provider takes no uploads. It fetches each image from a URL sent in
 * `kycData.documents`, at review; the desk's signed file URLs serve that. So a document
 * "reaches" the provider only with the next KYC data submission (`resubmit`, or an RFI answer).
 *
 * PATCH merges `kycData` field by field but replaces `documents` as a whole list, so every
 * PATCH that carries documents carries all of them: the desk's documents plus those the
 * customer already has in the categories the PATCH does not replace.
 *
 * Idempotency: the provider takes no idempotency key. A PATCH repeated after its first
 * attempt landed is refused with PATCH_NOT_ALLOWED (the customer is under review by then),
 * which is read as success when the customer is UNDER_REVIEW or ACTIVE. Creation is POST then
 * PATCH; the customer a POST created is recorded by the desk (`CreationRecord`, in its
 * database) before the PATCH is sent, so a retry of a creation whose PATCH failed, in any
 * process, carries on with that customer instead of creating a second one. The guide
 * documents no lookup of customers and no reference stored with one: a POST whose answer is
 * lost leaves a customer the desk cannot find, and the retry creates another (the first stays
 * CREATED, with no KYC data).
 */

import type { DocumentType, KycStatus, ProviderStatus } from '@desk/shared';
import { documentDetailProblems, isStatusOf, readFieldFormat, typesOfFlag } from '@desk/shared';
import type { z } from 'zod';
import {
  type ApplicationContext,
  type CreationRecord,
  type DocumentRules,
  documentRulesFromTable,
  type HeldDocument,
  type NewApplicant,
  type ProviderAdapter,
  type ProviderAgreement,
  ProviderCallError,
  type ProviderSnapshot,
  type RfiAnswerDelivery,
  type WebhookVerification,
} from '../provider-adapter.js';
import { providerFetch, readProviderAnswer } from '../provider-http.js';
import { headerValue, verifySignedWebhook, type WebhookHeaders } from '../webhook-verification.js';
import { kycEventIdHeader, kycWebhookSigning } from './kyc-signing.js';
import {
  isCalendarDate,
  isKycCategory,
  isKycDataField,
  type KycCustomer,
  type KycDataField,
  type KycDataPatch,
  type KycDocument,
  type KycDocumentCategory,
  type KycDocumentDetail,
  kycCategoryLabels,
  kycCategoryOf,
  kycCustomerSchema,
  kycCustomerToSnapshot,
  kycDataFromApplicant,
  kycDetailKey,
  kycDocumentDetails,
  kycDocumentToResend,
  kycErrorSchema,
  kycFieldFormat,
  kycRfiId,
  kycToday,
  kycWebhookSchema,
  toAlpha2,
} from './kyc-wire.js';

export type KycConfig = {
  /** e.g. http://localhost:3000/sandbox/kyc or the provider's own host; read on every call. */
  baseUrl: () => string;
  apiKey: string;
  webhookSecret: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Webhooks older or newer than this are refused (replay window). */
  webhookToleranceSeconds?: number;
};

/** At most this many documents in kycData. */
const maxDocuments = 10;

/** Statuses in which the provider takes KYC data (PATCH). */
const patchableStatuses: readonly KycStatus[] = ['CREATED', 'NEEDS_ADDITIONAL_INFORMATION', 'REJECTED'];
/** Statuses a submission leads to: a PATCH refused in them most likely landed before. */
const submittedStatuses: readonly KycStatus[] = ['UNDER_REVIEW', 'ACTIVE'];
/** Desk document statuses in which the desk holds a usable file. */
const heldStatuses: readonly HeldDocument['status'][] = ['UPLOADED', 'ACCEPTED'];
/** Desk types the provider takes as a government ID, and as a proof of address (its document rules). */
const governmentIdTypes = typesOfFlag('kyc', 'idVerification');
const proofOfAddressTypes = typesOfFlag('kyc', 'addressVerification');

/** A refused call, with the provider's error code (`PATCH_NOT_ALLOWED`, `BAD_REQUEST`, …). */
class KycCallError extends ProviderCallError {
  constructor(
    kind: 'refused' | 'unavailable',
    message: string,
    status: number | null,
    readonly code: string | null,
  ) {
    super(kind, message, status);
  }
}

const kycName = 'The KYC provider';

const refused = (message: string): ProviderCallError => new ProviderCallError('refused', message);

function isHeld(document: Pick<HeldDocument, 'status' | 'providerDocumentId'>): boolean {
  return heldStatuses.includes(document.status) && document.providerDocumentId !== null;
}

/** The latest held document of a type (documents come oldest first). */
function latestHeld(documents: readonly HeldDocument[], type: DocumentType): HeldDocument | undefined {
  return documents.filter((d) => d.type === type && isHeld(d)).at(-1);
}

const detailNames = { number: 'document number', issuingCountry: 'issuing country', expiresOn: 'expiry date' } as const;

/**
 * A government ID the desk holds as the provider's document, or why it cannot be one: the
 * provider needs its number, issuing country and an expiry date that has not passed.
 */
function heldGovernmentId(
  document: HeldDocument,
  type: 'PASSPORT' | 'NATIONAL_ID_CARD',
  back: HeldDocument | undefined,
  today: string,
): KycDocument | string {
  const { number, issuingCountry, expiresOn } = document.details;
  const missing = (['number', 'issuingCountry', 'expiresOn'] as const).filter((k) => !document.details[k]?.trim());
  const label = type === 'PASSPORT' ? 'The passport' : 'The ID card';
  if (!number || !issuingCountry || !expiresOn || missing.length > 0) {
    return `${label} has no ${missing.map((k) => detailNames[k]).join(', ')}; the provider requires them`;
  }
  const country = toAlpha2(issuingCountry);
  if (!country) return `${label}'s issuing country ${issuingCountry} is not an ISO 3166-1 country code`;
  if (!isCalendarDate(expiresOn)) return `${label}'s expiry date ${expiresOn} is not a date`;
  if (expiresOn < today) return `${label} expired on ${expiresOn}`;
  const sent: KycDocument = {
    type,
    number: number.trim(),
    issuingCountry: country,
    expirationDate: expiresOn,
    frontImageUrl: document.url,
  };
  if (back) sent.backImageUrl = back.url;
  return sent;
}

/**
 * A proof of address the desk holds as the provider's document (a UTILITY_BILL: the guide's
 * example, and the desk does not know which kind of bill it is), or why it cannot be one: the
 * provider needs its issue date, not in the future.
 */
function heldProofOfAddress(document: HeldDocument, today: string): KycDocument | string {
  const issueDate = document.details.issueDate?.trim();
  const problem = documentDetailProblems('kyc', document.type, document.details, today).issueDate;
  if (problem || !issueDate) return `The proof of address's issue date ${problem ?? 'is missing'}`;
  return { type: 'UTILITY_BILL', issueDate, frontImageUrl: document.url };
}

/** The customer's documents that may be sent again, outside the categories being replaced. */
function keptDocuments(
  customer: KycCustomer,
  replaced: ReadonlySet<KycDocumentCategory>,
  today: string,
): KycDocument[] {
  return (customer.kycData.documents ?? [])
    .map(kycDocumentToResend)
    .filter((d): d is KycDocument => d !== null)
    .filter((d) => !replaced.has(kycCategoryOf(d.type)))
    .filter((d) => d.expirationDate === undefined || d.expirationDate >= today);
}

/** Kept documents first, the new ones last; the oldest kept go when over the provider's limit. */
function documentList(kept: KycDocument[], added: KycDocument[]): KycDocument[] {
  return [...kept, ...added].slice(-maxDocuments);
}

export class KycAdapter implements ProviderAdapter {
  readonly provider = 'kyc' as const;
  readonly resubmitLabel = 'Submit KYC data';
  constructor(private readonly config: KycConfig) {}

  /** The provider has no agreement versions API; its terms are the partner's business. */
  listAgreements(_idempotencyKey: string): Promise<ProviderAgreement[]> {
    return Promise.resolve([]);
  }

  async createApplication(
    applicant: NewApplicant,
    _idempotencyKey: string,
    creation?: CreationRecord,
  ): Promise<ProviderSnapshot> {
    let customerId = creation?.providerApplicationId ?? null;
    if (customerId !== null) {
      // An earlier attempt created the customer; its KYC data may have landed too.
      const existing = await this.getCustomer(customerId);
      if (existing.status !== 'CREATED') return kycCustomerToSnapshot(existing);
    } else {
      const body = {
        type: 'INDIVIDUAL',
        email: applicant.email.trim(),
        firstName: applicant.firstName.trim(),
        lastName: applicant.lastName.trim(),
      };
      const created = await this.call('POST', '/api/v1/customers', body, kycCustomerSchema);
      customerId = created.id;
      await creation?.record(customerId);
    }
    return kycCustomerToSnapshot(await this.submit(customerId, kycDataFromApplicant(applicant)));
  }

  async getApplication(providerApplicationId: string, _idempotencyKey: string): Promise<ProviderSnapshot> {
    return kycCustomerToSnapshot(await this.getCustomer(providerApplicationId));
  }

  /**
   * Sends nothing: the provider fetches the file from the desk's signed URL when the next KYC
   * data submission names it. The id records that the desk holds the file for it.
   */
  sendDocument(
    _app: ApplicationContext,
    document: HeldDocument,
    _bytes: Buffer,
    _idempotencyKey: string,
  ): Promise<{ providerDocumentId: string }> {
    if (!this.documentRules(document.type).accepted) {
      return Promise.reject(refused(`The KYC provider takes no ${document.type} documents`));
    }
    return Promise.resolve({ providerDocumentId: `desk-file:${document.id}` });
  }

  /**
   * Submits the desk's documents (the latest held passport; the latest held ID front with its
   * back, as a national ID card; the latest held proof of address, as a utility bill with its
   * issue date) with the customer's documents of the other categories, as one PATCH.
   */
  async resubmit(app: ApplicationContext, _idempotencyKey: string): Promise<ProviderSnapshot> {
    const customer = await this.getCustomer(app.providerApplicationId);
    if (!patchableStatuses.includes(customer.status)) {
      if (submittedStatuses.includes(customer.status)) return kycCustomerToSnapshot(customer);
      throw refused(`The KYC provider takes no KYC data while the customer is ${customer.status}`);
    }
    const today = kycToday();
    const added: KycDocument[] = [];
    const problems: string[] = [];
    const passport = latestHeld(app.documents, 'PASSPORT');
    const front = latestHeld(app.documents, 'ID_FRONT');
    const candidates = [
      passport ? heldGovernmentId(passport, 'PASSPORT', undefined, today) : null,
      front ? heldGovernmentId(front, 'NATIONAL_ID_CARD', latestHeld(app.documents, 'ID_BACK'), today) : null,
    ];
    for (const candidate of candidates) {
      if (typeof candidate === 'string') problems.push(candidate);
      else if (candidate) added.push(candidate);
    }
    const address = latestHeld(app.documents, 'ADDRESS_VERIFICATION');
    const proof = address ? heldProofOfAddress(address, today) : null;
    if (proof && typeof proof !== 'string') added.push(proof);
    if (added.length === 0) {
      throw refused(
        problems.length > 0
          ? `No government ID can be sent: ${problems.join('; ')}`
          : typeof proof === 'string'
            ? `No document can be sent: ${proof}`
            : 'The desk holds no passport or ID card front to send; the provider needs a government-issued photo ID',
      );
    }
    const replaced = new Set(added.map((d) => kycCategoryOf(d.type)));
    const documents = documentList(keptDocuments(customer, replaced, today), added);
    const updated = await this.submit(customer.id, { documents });
    return kycCustomerToSnapshot(updated);
  }

  /**
   * Delivers an answer to the customer's open request for information as one PATCH. When the
   * customer no longer has that request open (the answer landed before, or a newer review
   * superseded it), nothing is sent and the current state is returned.
   *
   * Fields: an item key is the kycData field; values are text, except isIntermediary
   * (true/false) and address (a JSON object, merged field by field by the provider).
   * Documents: each file's item key is a category; a government ID goes as a PASSPORT with the
   * `GOVERNMENT_ID.number` / `.issuingCountry` / `.expirationDate` fields, a proof of address as
   * a UTILITY_BILL with `PROOF_OF_ADDRESS.issueDate`; a second file of a category is its back
   * image; details given without a file are not sent. The files replace the customer's
   * documents of their category (the provider asks for a category only when none of the
   * customer's documents there could be accepted). The answer's free text has no place at this
   * provider and is not sent.
   */
  async answerRfi(
    app: ApplicationContext,
    answer: RfiAnswerDelivery,
    _idempotencyKey: string,
  ): Promise<ProviderSnapshot> {
    const customer = await this.getCustomer(app.providerApplicationId);
    if (customer.status !== 'NEEDS_ADDITIONAL_INFORMATION' || kycRfiId(customer) !== answer.providerRfiId) {
      return kycCustomerToSnapshot(customer);
    }
    const kycData = kycDataFromAnswer(customer, answer, kycToday());
    try {
      return kycCustomerToSnapshot(await this.submit(customer.id, kycData));
    } catch (err) {
      if (!(err instanceof KycCallError) || err.code !== 'BAD_REQUEST') throw err;
      throw new ProviderCallError('refused', err.message, err.status, answerReasons(err.message, kycData));
    }
  }

  resubmitRefusal(
    status: ProviderStatus,
    documents: readonly Pick<HeldDocument, 'type' | 'status' | 'providerDocumentId'>[],
  ): string | null {
    if (!isStatusOf('kyc', status)) return `${status} is not a status of the generic KYC provider`;
    if (status === 'UNDER_REVIEW')
      return 'The provider is reviewing the KYC data; it takes changes again once it has decided.';
    if (status === 'ACTIVE') return 'The customer is verified (ACTIVE); there is nothing to submit.';
    if (!patchableStatuses.includes(status)) return `The provider takes no KYC data in ${status}.`;
    const sendable = [...governmentIdTypes, ...proofOfAddressTypes];
    if (!documents.some((d) => sendable.includes(d.type) && isHeld(d))) {
      return 'Upload a passport or the front of an ID card first: the provider needs a government-issued photo ID.';
    }
    return null;
  }

  /**
   * Passports and ID cards (front, and back) with their number, issuing country and expiry,
   * which the provider requires with every government ID; a proof of address with its issue
   * date (`providerDocumentRules.kyc`).
   */
  documentRules(type: DocumentType): DocumentRules {
    return documentRulesFromTable('kyc', type);
  }

  verifyWebhook(headers: WebhookHeaders, rawBody: Buffer, now: Date): WebhookVerification {
    const read = verifySignedWebhook(
      { headers, rawBody, now },
      kycWebhookSigning,
      { secret: this.config.webhookSecret, toleranceSeconds: this.config.webhookToleranceSeconds },
      { schema: kycWebhookSchema, label: 'a KYC provider' },
    );
    if (!read.ok) return read;
    // The header is not covered by the signature: a mismatch is refused, not kept.
    if (read.event.id !== headerValue(headers, kycEventIdHeader))
      return { ok: false, reason: `${kycEventIdHeader} does not match the event id` };
    return {
      ok: true,
      event: {
        eventId: read.event.id,
        type: read.event.type,
        providerApplicationId: read.event.payload.customerId,
        payload: read.json,
      },
    };
  }

  private getCustomer(customerId: string): Promise<KycCustomer> {
    return this.call('GET', `/api/v1/customers/${encodeURIComponent(customerId)}`, null, kycCustomerSchema);
  }

  /**
   * PATCHes KYC data (a submission). PATCH_NOT_ALLOWED means the customer moved on since it was
   * read, most likely because an earlier attempt of this same submission landed: when the
   * customer is under review or active that is the answer.
   */
  private async submit(customerId: string, kycData: KycDataPatch): Promise<KycCustomer> {
    try {
      return await this.call(
        'PATCH',
        `/api/v1/customers/${encodeURIComponent(customerId)}`,
        { kycData },
        kycCustomerSchema,
      );
    } catch (err) {
      if (!(err instanceof KycCallError) || err.code !== 'PATCH_NOT_ALLOWED') throw err;
      const current = await this.getCustomer(customerId);
      if (submittedStatuses.includes(current.status)) return current;
      throw new KycCallError(
        'refused',
        `The KYC provider takes no KYC data while the customer is ${current.status}`,
        err.status,
        err.code,
      );
    }
  }

  private async call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body: object | null,
    schema: S,
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.apiKey}`,
      accept: 'application/json',
    };
    let payload: string | undefined;
    if (body !== null) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const res = await providerFetch(
      kycName,
      `${this.config.baseUrl()}${path}`,
      { method, headers, body: payload },
      this.config.timeoutMs,
    );
    return readProviderAnswer(kycName, res, schema, kycRefusal);
  }
}

/** A refused answer as a KycCallError carrying the provider's error code. */
function kycRefusal(status: number, json: unknown, text: string): KycCallError {
  const error = kycErrorSchema.safeParse(json);
  const code = error.success ? error.data.error : null;
  const detail = error.success ? `${error.data.error}: ${error.data.message ?? ''}`.trim() : text.slice(0, 200);
  return new KycCallError('refused', `${kycName} answered ${status} ${detail}`, status, code);
}

/** One answered field as the provider's value; throws when it cannot be one. */
function fieldValue(field: KycDataField, raw: string): unknown {
  const value = raw.trim();
  switch (field) {
    case 'isIntermediary':
      if (/^(true|yes)$/i.test(value)) return true;
      if (/^(false|no)$/i.test(value)) return false;
      throw refused(`isIntermediary must be true or false, not "${value}"`);
    case 'address': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = null;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw refused(
          'address must be a JSON object such as {"addressLine1": "123 Main Street", "city": "San Francisco", "state": "California", ' +
            '"stateCode": "CA", "postalCode": "94102", "country": "US", "locale": "en-US"}',
        );
      }
      const address: Record<string, unknown> = { ...parsed };
      if (typeof address.country === 'string') address.country = toAlpha2(address.country) ?? address.country;
      return address;
    }
    case 'nationality':
    case 'nationalIdIssuingCountry':
      return toAlpha2(value) ?? value;
    case 'nationalIdType':
    case 'employmentStatus':
    case 'sourceOfFunds':
    case 'accountPurpose':
    case 'expectedMonthlyPaymentsUsd':
      return value.toUpperCase();
    default:
      return value;
  }
}

/** The document a category's answered files make, with the details the provider requires. */
function answeredDocument(category: KycDocumentCategory, urls: string[], fields: Record<string, string>): KycDocument {
  const label = kycCategoryLabels[category];
  if (urls.length > 2) throw refused(`${label}: at most two files (front and back) answer one document`);
  const detail = (name: KycDocumentDetail): string | undefined =>
    fields[kycDetailKey(category, name)]?.trim() || undefined;
  const missing = kycDocumentDetails[category]
    .filter((name) => detail(name) === undefined)
    .map((name) => kycDetailKey(category, name));
  if (missing.length > 0) throw refused(`${label}: the provider requires ${missing.join(', ')} with the file`);
  const [front, back] = urls;
  if (front === undefined) throw refused(`${label}: no file`);
  let document: KycDocument;
  if (category === 'GOVERNMENT_ID') {
    const country = detail('issuingCountry') ?? '';
    const issuingCountry = toAlpha2(country);
    if (!issuingCountry)
      throw refused(`${kycDetailKey(category, 'issuingCountry')} must be a country code such as US, not "${country}"`);
    document = {
      type: 'PASSPORT',
      number: detail('number'),
      issuingCountry,
      expirationDate: detail('expirationDate'),
      frontImageUrl: front,
    };
  } else {
    document = { type: 'UTILITY_BILL', issueDate: detail('issueDate'), frontImageUrl: front };
  }
  if (back !== undefined) document.backImageUrl = back;
  return document;
}

/**
 * The provider's validation message (`Validation failed: phoneNumber must be …; documents[0]
 * .expirationDate must be …`) as reasons by the RFI's item keys: a kycData field is its own
 * item (`address.city` is `address`); a detail of the i-th document sent is the detail item
 * of its category, anything else about it the category's document item.
 */
function answerReasons(message: string, kycData: KycDataPatch): Record<string, string[]> {
  const reasons: Record<string, string[]> = {};
  const listed = message.split('Validation failed:')[1] ?? '';
  for (const problem of listed.split(';')) {
    const [path = '', ...words] = problem.trim().split(' ');
    const rule = words.join(' ');
    if (!path || !rule) continue;
    const document = /^documents\[(\d+)\](?:\.(\w+))?$/.exec(path);
    const sent = document ? kycData.documents?.[Number(document[1])] : undefined;
    let key = path.split(/[.[]/)[0] ?? path;
    if (sent) {
      const category = kycCategoryOf(sent.type);
      const detail = kycDocumentDetails[category].find((d) => d === document?.[2]);
      key = detail ? kycDetailKey(category, detail) : category;
    }
    reasons[key] = [...(reasons[key] ?? []), rule];
  }
  return reasons;
}

/**
 * Every answered field and document detail in the format the guide documents for it (the
 * shared field formats): refused with the reasons by item key, before anything is sent.
 */
function checkAnswerFormats(fields: Record<string, string>): void {
  const reasons: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(fields)) {
    const format = kycFieldFormat(key);
    const read = format === null || value.trim() === '' ? null : readFieldFormat(format, value);
    if (read && !read.ok) reasons[key] = [read.problem];
  }
  const named = Object.entries(reasons);
  if (named.length === 0) return;
  const said = named.map(([key, messages]) => `${key} ${messages.join(', ')}`).join('; ');
  throw new ProviderCallError('refused', `The answer does not fit the KYC provider's rules: ${said}`, null, reasons);
}

function kycDataFromAnswer(customer: KycCustomer, answer: RfiAnswerDelivery, today: string): KycDataPatch {
  checkAnswerFormats(answer.fields);
  const kycData: KycDataPatch = {};
  const detailKeys = new Set(kycDocumentDetails.GOVERNMENT_ID.map((d) => kycDetailKey('GOVERNMENT_ID', d)));
  for (const d of kycDocumentDetails.PROOF_OF_ADDRESS) detailKeys.add(kycDetailKey('PROOF_OF_ADDRESS', d));
  for (const [key, raw] of Object.entries(answer.fields)) {
    if (detailKeys.has(key)) continue;
    if (!isKycDataField(key)) throw refused(`The KYC provider has no field ${key}`);
    if (raw.trim() === '') continue;
    kycData[key] = fieldValue(key, raw);
  }
  const filesByCategory = new Map<KycDocumentCategory, string[]>();
  for (const file of answer.files) {
    if (!isKycCategory(file.itemKey)) throw refused(`The KYC provider asks for no document ${file.itemKey}`);
    filesByCategory.set(file.itemKey, [...(filesByCategory.get(file.itemKey) ?? []), file.url]);
  }
  if (filesByCategory.size > 0) {
    const added = [...filesByCategory].map(([category, urls]) => answeredDocument(category, urls, answer.fields));
    kycData.documents = documentList(keptDocuments(customer, new Set(filesByCategory.keys()), today), added);
  }
  if (Object.keys(kycData).length === 0) {
    throw refused(
      'The answer carries nothing the KYC provider takes (it has no place for free text): answer its fields or documents',
    );
  }
  return kycData;
}
