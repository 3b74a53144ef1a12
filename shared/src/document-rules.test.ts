import { describe, expect, it } from 'vitest';
import {
  type ChecklistDocument,
  describeRequirement,
  detailDateRange,
  documentChecklist,
  documentDetailProblems,
  documentTypeRulesOf,
  flagsOf,
  providerDocumentRules,
  typesClearingChecklist,
} from './document-rules.js';
import { type DocumentType, documentTypes, flagRequirements } from './documents.js';
import { providers } from './providers.js';

const raised = { idVerification: true, identificationNumberVerification: true, addressVerification: true };
const delivered = (...types: DocumentType[]): ChecklistDocument[] =>
  types.map((type) => ({ type, status: 'UPLOADED', awaitingDelivery: false }));
const onTheirWay = (...types: DocumentType[]): ChecklistDocument[] =>
  types.map((type) => ({ type, status: 'PENDING_UPLOAD', awaitingDelivery: true }));
const states = (provider: 'jiko' | 'fin' | 'kyc', documents: ChecklistDocument[]) =>
  Object.fromEntries(
    documentChecklist(provider, raised, documents).map((e) => [e.flag, e.requirements.map((r) => r.state)]),
  );

describe('each provider’s document rules', () => {
  it('When a Fin.com case holds a passport, then its identity requirement is met; ID front alone is not, ID front + back is', () => {
    expect(states('fin', delivered('PASSPORT')).idVerification).toEqual(['satisfied']);
    expect(states('fin', delivered('ID_FRONT')).idVerification).toEqual(['missing']);
    expect(states('fin', delivered('ID_FRONT', 'ID_BACK')).idVerification).toEqual(['satisfied']);
    expect(states('fin', delivered('SELFIE')).idVerification).toEqual(['missing']);
  });

  it('When a Jiko case holds a passport only, then ID front and ID back are still missing', () => {
    expect(states('jiko', delivered('PASSPORT')).idVerification).toEqual(['missing', 'missing', 'satisfied']);
    expect(states('jiko', delivered('ID_FRONT', 'ID_BACK', 'SELFIE')).idVerification).toEqual([
      'satisfied',
      'satisfied',
      'satisfied',
    ]);
  });

  it('When Jiko’s rules are read, then they are the documents module’s flag requirements, every type taken without details', () => {
    for (const flag of flagsOf('jiko'))
      expect(providerDocumentRules.jiko.flags[flag]?.map((r) => r.map((o) => o[0]))).toEqual(flagRequirements[flag]);
    for (const type of documentTypes) expect(documentTypeRulesOf('jiko', type)?.details).toEqual([]);
  });

  it('When the generic provider’s case holds an ID front, then its government ID requirement is met', () => {
    expect(states('kyc', delivered('ID_FRONT')).idVerification).toEqual(['satisfied']);
    expect(states('kyc', delivered('ID_BACK')).idVerification).toEqual(['missing']);
  });

  it('When Fin.com and the generic provider are read, then they raise no identification-number flag', () => {
    expect(flagsOf('fin')).toEqual(['idVerification', 'addressVerification']);
    expect(flagsOf('kyc')).toEqual(['idVerification', 'addressVerification']);
    expect(flagsOf('jiko')).toEqual(['idVerification', 'identificationNumberVerification', 'addressVerification']);
  });

  it('When an option is held but part of it is still being delivered, then the requirement awaits delivery', () => {
    const entry = documentChecklist('fin', raised, [...delivered('ID_FRONT'), ...onTheirWay('ID_BACK')]);
    expect(entry[0]?.requirements[0]).toEqual({
      anyOf: [['PASSPORT'], ['ID_FRONT', 'ID_BACK']],
      state: 'awaiting_delivery',
      held: ['ID_FRONT', 'ID_BACK'],
    });
    const rejected: ChecklistDocument[] = [{ type: 'PASSPORT', status: 'REJECTED', awaitingDelivery: false }];
    expect(states('fin', rejected).idVerification).toEqual(['missing']);
  });

  it('When the types to upload first are asked for, then they are those of unmet requirements of raised flags', () => {
    const checklist = documentChecklist('fin', { ...raised, addressVerification: false }, delivered());
    expect(typesClearingChecklist(checklist)).toEqual(['PASSPORT', 'ID_FRONT', 'ID_BACK']);
    expect(typesClearingChecklist(documentChecklist('fin', raised, delivered('PASSPORT')))).toEqual([
      'ADDRESS_VERIFICATION',
    ]);
  });

  it('When a requirement is described, then options read "Passport, or ID front + ID back"', () => {
    expect(describeRequirement(providerDocumentRules.fin.flags.idVerification?.[0] ?? [])).toBe(
      'Passport, or ID front + ID back',
    );
    expect(describeRequirement([['SELFIE'], ['PASSPORT']])).toBe('Selfie or Passport');
  });

  it('When every provider’s types are read, then the detail keys they name are the four the desk knows', () => {
    for (const provider of providers)
      for (const type of documentTypes)
        for (const key of documentTypeRulesOf(provider, type)?.details ?? [])
          expect(['number', 'issuingCountry', 'issueDate', 'expiresOn']).toContain(key);
  });
});

describe('document details', () => {
  const today = '2026-06-15';

  it('When a generic-provider proof of address comes without an issue date, then the issue date is named', () => {
    expect(documentDetailProblems('kyc', 'ADDRESS_VERIFICATION', {}, today)).toEqual({
      issueDate: 'is required by Generic KYC with Address verification documents',
    });
    expect(documentDetailProblems('kyc', 'ADDRESS_VERIFICATION', { issueDate: '2026-06-15' }, today)).toEqual({});
    expect(documentDetailProblems('kyc', 'ADDRESS_VERIFICATION', { issueDate: '2026-06-16' }, today)).toEqual({
      issueDate: 'must not be in the future',
    });
    expect(documentDetailProblems('kyc', 'ADDRESS_VERIFICATION', { issueDate: '15/06/2026' }, today)).toEqual({
      issueDate: 'must be a date (YYYY-MM-DD)',
    });
  });

  it('When Fin.com and Jiko take an address document, then they need no issue date', () => {
    expect(documentDetailProblems('fin', 'ADDRESS_VERIFICATION', {}, today)).toEqual({});
    expect(documentDetailProblems('jiko', 'ADDRESS_VERIFICATION', {}, today)).toEqual({});
  });

  it('When a passport expires today, then Fin.com refuses it and the generic provider takes it (not past)', () => {
    const passport = { number: 'P1234567', issuingCountry: 'USA', expiresOn: today };
    expect(documentDetailProblems('fin', 'PASSPORT', passport, today)).toEqual({ expiresOn: 'must be in the future' });
    expect(documentDetailProblems('kyc', 'PASSPORT', passport, today)).toEqual({});
    expect(documentDetailProblems('kyc', 'PASSPORT', { ...passport, expiresOn: '2026-06-14' }, today)).toEqual({
      expiresOn: 'must not be in the past',
    });
    expect(detailDateRange('fin', 'expiresOn', today)).toEqual({ min: '2026-06-16' });
    expect(detailDateRange('kyc', 'expiresOn', today)).toEqual({ min: today });
    expect(detailDateRange('kyc', 'issueDate', today)).toEqual({ max: today });
  });

  it('When every identity detail is missing or malformed, then each one is named', () => {
    expect(Object.keys(documentDetailProblems('fin', 'ID_FRONT', {}, today))).toEqual([
      'number',
      'issuingCountry',
      'expiresOn',
    ]);
    expect(
      documentDetailProblems('fin', 'PASSPORT', { number: '!', issuingCountry: 'XXX', expiresOn: '2030-01-01' }, today),
    ).toEqual({
      number: 'must be 3 to 30 letters, digits, spaces, ".", "/" or "-"',
      issuingCountry: 'must be an ISO 3166-1 alpha-3 country code such as USA',
    });
  });
});
