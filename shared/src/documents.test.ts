import { describe, expect, it } from 'vitest';
import { documentFileProblem, isFlagCleared, remainingFlags, typesClearing } from './documents.js';

const all = { idVerification: true, identificationNumberVerification: true, addressVerification: true };

describe('document flags', () => {
  it('When ID front and back come with a selfie or a passport, then the ID flag clears', () => {
    expect(isFlagCleared('idVerification', ['ID_FRONT', 'ID_BACK', 'SELFIE'])).toBe(true);
    expect(isFlagCleared('idVerification', ['ID_FRONT', 'ID_BACK', 'PASSPORT'])).toBe(true);
  });

  it('When any part of the ID set is missing, then the ID flag stays', () => {
    expect(isFlagCleared('idVerification', ['ID_FRONT', 'ID_BACK'])).toBe(false);
    expect(isFlagCleared('idVerification', ['ID_FRONT', 'SELFIE', 'PASSPORT'])).toBe(false);
    expect(isFlagCleared('idVerification', ['OTHER'])).toBe(false);
  });

  it('When one kind of document is uploaded, then only the flag it serves clears', () => {
    expect(remainingFlags(all, ['ADDRESS_VERIFICATION'])).toEqual({ ...all, addressVerification: false });
    expect(remainingFlags(all, ['IDENTIFICATION_NUMBER_VERIFICATION'])).toEqual({
      ...all,
      identificationNumberVerification: false,
    });
  });

  it('When a flag is not raised, then uploads never raise it', () => {
    const none = { idVerification: false, identificationNumberVerification: false, addressVerification: false };
    expect(remainingFlags(none, [])).toEqual(none);
  });

  it('When flags are raised, then the suggested types follow the checklist order without repeats', () => {
    expect(typesClearing(all)).toEqual([
      'ID_FRONT',
      'ID_BACK',
      'SELFIE',
      'PASSPORT',
      'IDENTIFICATION_NUMBER_VERIFICATION',
      'ADDRESS_VERIFICATION',
    ]);
    expect(typesClearing({ ...all, idVerification: false })).toEqual([
      'IDENTIFICATION_NUMBER_VERIFICATION',
      'ADDRESS_VERIFICATION',
    ]);
  });
});

describe('document file rules', () => {
  const rules = { contentTypes: ['application/pdf', 'image/png'], minBytes: 100, maxBytes: 1000 };

  it('When a file fits its type, then there is no problem, at either end of the size range', () => {
    expect(documentFileProblem(rules, { contentType: 'image/png', size: 100 })).toBeNull();
    expect(documentFileProblem(rules, { contentType: 'application/pdf', size: 1000 })).toBeNull();
  });

  it('When a file breaks its type, then the first rule broken is named in the order the server checks', () => {
    expect(documentFileProblem(rules, { contentType: 'text/plain', size: 0 })).toEqual({
      kind: 'content_type',
      message: 'must be one of application/pdf, image/png',
    });
    expect(documentFileProblem(rules, { contentType: 'image/png', size: 0 })).toEqual({
      kind: 'empty',
      message: 'is empty, not image/png',
    });
    expect(documentFileProblem(rules, { contentType: 'image/png', size: 1001 })).toEqual({
      kind: 'too_large',
      message: 'must be at most 1000 bytes',
    });
    expect(documentFileProblem(rules, { contentType: 'image/png', size: 99 })).toEqual({
      kind: 'too_small',
      message: 'must be at least 100 bytes',
    });
  });
});
