/** Applicants for tests, steered through the Jiko sandbox by their identification number. */
import { randomInt } from 'node:crypto';
import type { NewApplicant } from '@desk/server';
import { waitFor } from './wait-for.js';

export function applicant(identificationNumberPrefix: string, overrides: Partial<NewApplicant> = {}): NewApplicant {
  const rest = Array.from({ length: 9 - identificationNumberPrefix.length }, () => String(randomInt(0, 10))).join('');
  const n = randomInt(1000, 9999);
  return {
    firstName: 'Ada',
    lastName: `Tester${n}`,
    email: `ada.tester${n}@example.com`,
    phone: '+15105551234',
    dateOfBirth: '1980-04-12',
    identificationNumber: identificationNumberPrefix + rest,
    address: { street: '2000 Allston Way', city: 'Berkeley', postalCode: '94701', state: 'CA', country: 'USA' },
    consent: { agreementVersion: '1', consentedAt: new Date(Date.now() - 60_000) },
    investmentProfile: {
      income: 'BETWEEN_100K_AND_250K',
      netWorth: 'BETWEEN_1M_AND_5M',
      occupation: 'Investor',
      employmentStatus: 'EMPLOYED',
    },
    ...overrides,
  };
}

/** The body of `POST /api/applications` (intake through the desk's API) for an applicant. */
export function intakeRequest(provider: string, person: NewApplicant) {
  return {
    provider,
    applicant: {
      firstName: person.firstName,
      lastName: person.lastName,
      email: person.email,
      phone: person.phone,
      dateOfBirth: person.dateOfBirth,
      identificationNumber: person.identificationNumber,
      address: person.address,
    },
    consent: {
      agreementVersion: person.consent.agreementVersion,
      consentedAt: person.consent.consentedAt.toISOString(),
    },
    investmentProfile: person.investmentProfile,
  };
}

/** Reads until the check passes or the time runs out (`waitFor`, for a value and a check). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  let last: T | undefined;
  const found = await waitFor(
    async () => {
      last = await read();
      return check(last) ? { value: last } : null;
    },
    { timeoutMs, intervalMs: 100, what: () => `the condition; last value: ${JSON.stringify(last)?.slice(0, 2000)}` },
  );
  return found.value;
}
