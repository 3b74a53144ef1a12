import type { ApplicationDetail } from '@desk/shared';
import PersonOutlined from '@mui/icons-material/PersonOutlined';
import { DateTime } from '../common/DateTime';
import { Field, Fields } from './Fields';
import { IdentificationNumber } from './IdentificationNumber';
import { Section } from './Section';

type Address = ApplicationDetail['applicant']['address'];

/** An address as lines: street, locality, country. */
export function formatAddress(address: Address): string[] {
  const locality = [address.city, address.state, address.postalCode].filter(Boolean).join(', ');
  return [address.street, locality, address.country].filter((line) => line !== '');
}

/**
 * The applicant as the provider knows them. The identification number comes masked; roles
 * allowed to reveal it may, with a reason, for a minute.
 */
export const ApplicantSection = ({ applicant }: { applicant: ApplicationDetail['applicant'] }) => (
  <Section title="Applicant" icon={<PersonOutlined fontSize="small" />} testId="applicant-section">
    <Fields>
      <Field label="Name">
        {applicant.firstName} {applicant.lastName}
      </Field>
      <Field label="Email">{applicant.email}</Field>
      <Field label="Phone" mono>
        {applicant.phone}
      </Field>
      <Field label="Date of birth">
        <DateTime value={applicant.dateOfBirth} dateOnly />
      </Field>
      <Field label="Address">
        {formatAddress(applicant.address).map((line) => (
          <div key={line}>{line}</div>
        ))}
      </Field>
      <Field label="Identification no." mono testId="identification-number">
        {/* Keyed by customer: a revealed number never outlives the case it belongs to. */}
        <IdentificationNumber
          key={applicant.customerId}
          customerId={applicant.customerId}
          masked={applicant.identificationNumberMasked}
        />
      </Field>
    </Fields>
  </Section>
);
