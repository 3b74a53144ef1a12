/**
 * The Jiko Partner API adapter: bearer token from `login/`, `x-jiko-idempotency` on every
 * call, `x-jiko-signature` on JSON POSTs, status mapping and webhook verification. The base
 * URL points at the built-in sandbox by default and at Jiko by configuration.
 */

import { randomUUID } from 'node:crypto';
import type { DocumentType, JikoStatus, ProviderStatus } from '@desk/shared';
import { isStatusOf, jikoApplyRefusal } from '@desk/shared';
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
  type WebhookVerification,
} from '../provider-adapter.js';
import { providerFetch, readProviderAnswer, refusalWith } from '../provider-http.js';
import { verifySignedWebhook, type WebhookHeaders } from '../webhook-verification.js';
import { jikoRequestSignature, jikoWebhookSigning } from './jiko-signing.js';
import {
  jikoAgreementsSchema,
  jikoApplicationSchema,
  jikoApplicationToSnapshot,
  jikoLoginSchema,
  jikoUploadSchema,
  jikoWebhookSchema,
} from './jiko-wire.js';

export type JikoConfig = {
  /** e.g. http://localhost:3000/sandbox/jiko or Jiko's own host; read on every call. */
  baseUrl: () => string;
  username: string;
  password: string;
  signingSecret: string;
  webhookSecret: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Webhooks older or newer than this are refused (replay window). */
  webhookToleranceSeconds?: number;
};

export class JikoAdapter implements ProviderAdapter {
  readonly provider = 'jiko' as const;
  readonly resubmitLabel = 'Apply';
  private token: { value: string; expiresAt: number } | null = null;

  constructor(private readonly config: JikoConfig) {}

  async listAgreements(idempotencyKey: string): Promise<ProviderAgreement[]> {
    const agreements = await this.call('GET', '/api/v1/agreements/', idempotencyKey, null, jikoAgreementsSchema);
    return agreements.map((a) => ({
      version: a.version,
      releasedAt: new Date(`${a.release_date}T00:00:00Z`),
      documents: a.documents,
    }));
  }

  /**
   * Jiko answers a repeated create from its idempotency record; an application the desk has
   * already recorded (an earlier attempt's) is read instead, whatever Jiko still keeps.
   */
  async createApplication(
    applicant: NewApplicant,
    idempotencyKey: string,
    creation?: CreationRecord,
  ): Promise<ProviderSnapshot> {
    // A read carries a fresh key: a replayed read would answer with yesterday's state.
    if (creation?.providerApplicationId) return this.getApplication(creation.providerApplicationId, randomUUID());
    const body = JSON.stringify({
      identification_number: applicant.identificationNumber,
      name: { first_name: applicant.firstName, last_name: applicant.lastName },
      email: applicant.email,
      // Jiko's examples carry digits only (15551234567).
      phone_number: applicant.phone.replace(/^\+/, ''),
      date_of_birth: applicant.dateOfBirth,
      investment_profile: {
        income: applicant.investmentProfile.income,
        net_worth: applicant.investmentProfile.netWorth,
        occupation: applicant.investmentProfile.occupation,
        employment_status: applicant.investmentProfile.employmentStatus,
      },
      agreement_consent: {
        version: applicant.consent.agreementVersion,
        timestamp: applicant.consent.consentedAt.toISOString(),
      },
      address: {
        street_address: applicant.address.street,
        city: applicant.address.city,
        postal_code: applicant.address.postalCode,
        state: applicant.address.state ?? '',
        country: applicant.address.country,
      },
    });
    const app = await this.call('POST', '/api/v1/applications/', idempotencyKey, { json: body }, jikoApplicationSchema);
    const snapshot = jikoApplicationToSnapshot(app);
    await creation?.record(snapshot.providerApplicationId);
    return snapshot;
  }

  async getApplication(providerApplicationId: string, idempotencyKey: string): Promise<ProviderSnapshot> {
    const app = await this.call(
      'GET',
      `/api/v1/applications/${providerApplicationId}/`,
      idempotencyKey,
      null,
      jikoApplicationSchema,
    );
    return jikoApplicationToSnapshot(app);
  }

  async resubmit(app: ApplicationContext, idempotencyKey: string): Promise<ProviderSnapshot> {
    const path = `/api/v1/applications/${app.providerApplicationId}/apply/`;
    const answer = await this.call('POST', path, idempotencyKey, { json: '' }, jikoApplicationSchema);
    return jikoApplicationToSnapshot(answer);
  }

  async sendDocument(app: ApplicationContext, document: HeldDocument, bytes: Buffer, idempotencyKey: string) {
    if (!document.contentType) throw new ProviderCallError('refused', 'The document has no content type');
    const path = `/api/v1/applications/${app.providerApplicationId}/documents/${document.type}/file/`;
    const answer = await this.call(
      'POST',
      path,
      idempotencyKey,
      { raw: bytes, contentType: document.contentType },
      jikoUploadSchema,
    );
    return { providerDocumentId: answer.document_id };
  }

  answerRfi(): Promise<ProviderSnapshot> {
    return Promise.reject(new ProviderCallError('refused', 'Jiko raises no RFIs; there is nothing to answer'));
  }

  resubmitRefusal(status: ProviderStatus): string | null {
    if (!isStatusOf('jiko', status)) return `${status} is not a Jiko status`;
    return jikoApplyRefusal(status as JikoStatus);
  }

  documentRules(type: DocumentType): DocumentRules {
    return documentRulesFromTable('jiko', type);
  }

  verifyWebhook(headers: WebhookHeaders, rawBody: Buffer, now: Date): WebhookVerification {
    const read = verifySignedWebhook(
      { headers, rawBody, now },
      jikoWebhookSigning,
      { secret: this.config.webhookSecret, toleranceSeconds: this.config.webhookToleranceSeconds },
      { schema: jikoWebhookSchema, label: 'a Jiko' },
    );
    if (!read.ok) return read;
    return {
      ok: true,
      event: {
        eventId: read.event.id,
        type: read.event.type,
        providerApplicationId: read.event.data.application_id,
        payload: read.json,
      },
    };
  }

  private async login(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now() + 5_000) return this.token.value;
    const res = await this.fetch('/api/v1/login/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: this.config.username, password: this.config.password }),
    });
    const body = await readProviderAnswer('Jiko', res, jikoLoginSchema, jikoRefusal);
    this.token = { value: body.token, expiresAt: Date.now() + (body.expires_in ?? 600) * 1000 };
    return body.token;
  }

  private async call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    idempotencyKey: string,
    body: { json: string } | { raw: Buffer; contentType: string } | null,
    schema: S,
  ): Promise<z.output<S>> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const headers: Record<string, string> = {
        authorization: `Bearer ${await this.login()}`,
        'x-jiko-idempotency': idempotencyKey,
      };
      let payload: string | Uint8Array<ArrayBuffer> | undefined;
      if (body && 'json' in body) {
        payload = body.json;
        headers['content-type'] = 'application/json';
        headers['x-jiko-signature'] = jikoRequestSignature(this.config.signingSecret, idempotencyKey, path, payload);
      } else if (body) {
        payload = Uint8Array.from(body.raw);
        headers['content-type'] = body.contentType;
      }
      const res = await this.fetch(path, { method, headers, body: payload });
      if (res.status === 401 && attempt === 0) {
        // The token expired early (or the provider restarted): log in again once.
        this.token = null;
        continue;
      }
      return readProviderAnswer('Jiko', res, schema, jikoRefusal);
    }
    throw new ProviderCallError('refused', 'Jiko refused our credentials', 401);
  }

  private fetch(path: string, init: RequestInit): Promise<Response> {
    return providerFetch('Jiko', `${this.config.baseUrl()}${path}`, init, this.config.timeoutMs);
  }
}

const jikoRefusal = refusalWith('Jiko', describeDetail);

/** Jiko errors carry `detail`: a message, or a list of field problems. */
function describeDetail(json: unknown): string | null {
  if (typeof json !== 'object' || json === null || !('detail' in json)) return null;
  const detail = (json as { detail: unknown }).detail;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((d: unknown) => {
        if (typeof d !== 'object' || d === null) return String(d);
        const { loc, msg } = d as { loc?: unknown; msg?: unknown };
        return `${Array.isArray(loc) ? loc.join('.') : ''}: ${String(msg)}`;
      })
      .join('; ');
  }
  return null;
}
