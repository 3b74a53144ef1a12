import { describe, expect, it } from 'vitest';
import { canMove, patchableStatuses, patchRefusal } from './customer-states.js';
import type { KycData } from './kyc-data.js';
import { missingFields, reviewDelayFor, reviewOutcome, scenarioOf } from './review-rules.js';

const complete: KycData = {
  legalFirstName: 'Jane',
  legalLastName: 'Smith',
  phoneNumber: '+14155551234',
  dateOfBirth: '1990-05-15',
  nationality: 'US',
  address: {
    addressLine1: '1 Main St',
    city: 'SF',
    state: 'California',
    stateCode: 'CA',
    postalCode: '94102',
    country: 'US',
    locale: 'en-US',
  },
  nationalIdType: 'SSN',
  nationalIdNumber: '123-45-6789',
  nationalIdIssuingCountry: 'US',
  employmentStatus: 'EMPLOYED',
  mostRecentOccupation: 'Engineer',
  sourceOfFunds: 'EMPLOYMENT',
  accountPurpose: 'PERSONAL_USE',
  expectedMonthlyPaymentsUsd: 'UNDER_10K',
  isIntermediary: false,
  documents: [
    {
      type: 'PASSPORT',
      number: 'P1',
      issuingCountry: 'US',
      expirationDate: '2030-12-31',
      frontImageUrl: 'https://s/p.png',
    },
  ],
};
const review = (email: string, data: KycData, rfiCount = 0) =>
  reviewOutcome({ email, data, rfiCount, imageProblems: [] });

describe('KYC customer states', () => {
  it('When a status is asked about, then PATCH is allowed exactly in CREATED, NEEDS_ADDITIONAL_INFORMATION and REJECTED', () => {
    expect(patchableStatuses).toEqual(['CREATED', 'NEEDS_ADDITIONAL_INFORMATION', 'REJECTED']);
    expect(patchRefusal('UNDER_REVIEW')).toBe('Cannot update KYC data: verification is currently in progress');
    expect(patchRefusal('ACTIVE')).not.toBeNull();
    expect(canMove('UNDER_REVIEW', 'review', 'ACTIVE')).toBe(true);
    expect(canMove('CREATED', 'review', 'ACTIVE')).toBe(false);
    expect(canMove('ACTIVE', 'submit', 'UNDER_REVIEW')).toBe(false);
  });
});

describe('KYC sandbox review rules', () => {
  it('When the email is a test address, then it picks the scenario, whatever its case', () => {
    expect(scenarioOf(' Test-RFI@Example.com ')).toBe('rfi');
    expect(scenarioOf('jane@example.com')).toBe('default');
    // The guide: about 30 s for a review, 5 minutes for test-delay@.
    expect(reviewDelayFor('test-delay@example.com', 30_000)).toBe(300_000);
    expect(reviewDelayFor('test-success@example.com', 30_000)).toBe(30_000);
  });

  it('When the data is complete, then success and other addresses activate, rejected rejects, rfi asks once for a proof of address', () => {
    expect(review('test-success@example.com', complete)).toEqual({ status: 'ACTIVE' });
    expect(review('anyone@example.org', complete)).toEqual({ status: 'ACTIVE' });
    expect(review('test-rejected@example.com', complete).status).toBe('REJECTED');
    const rfi = review('test-rfi@example.com', complete);
    expect(rfi.status === 'NEEDS_ADDITIONAL_INFORMATION' && rfi.requiredDocuments.map((d) => d.category)).toEqual([
      'PROOF_OF_ADDRESS',
    ]);
    expect(review('test-rfi@example.com', complete, 1).status).toBe('NEEDS_ADDITIONAL_INFORMATION');
    const withProof: KycData = {
      ...complete,
      documents: [
        ...(complete.documents ?? []),
        { type: 'UTILITY_BILL', issueDate: '2025-10-01', frontImageUrl: 'https://s/b.pdf' },
      ],
    };
    expect(review('test-rfi@example.com', withProof, 1)).toEqual({ status: 'ACTIVE' });
  });

  it('When fields or an ID are missing or an image is bad, then the RFI names them', () => {
    const { address: _a, documents: _d, ...partial } = complete;
    expect(missingFields(partial)).toEqual(['address']);
    const outcome = reviewOutcome({
      email: 'test-success@example.com',
      data: complete,
      rfiCount: 0,
      imageProblems: [{ documentIndex: 0, field: 'frontImageUrl', problem: 'too small' }],
    });
    expect(outcome).toMatchObject({
      status: 'NEEDS_ADDITIONAL_INFORMATION',
      requiredFields: [],
      requiredDocuments: [{ category: 'GOVERNMENT_ID' }],
    });
  });
});
