import type { ApplicationDetail } from '@desk/shared';
import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import Gavel from '@mui/icons-material/Gavel';
import WarningAmber from '@mui/icons-material/WarningAmber';
import Box from '@mui/material/Box';
import { DateTime } from '../common/DateTime';
import { Field, Fields, Missing } from './Fields';
import { Section } from './Section';

/** Which agreement the customer accepted, when, and whether it was the newest one at that moment. */
export const ConsentSection = ({ consent }: { consent: ApplicationDetail['consent'] }) => (
  <Section title="Consent" icon={<Gavel fontSize="small" />} testId="consent-section">
    <Fields>
      <Field label="Agreement version" mono>
        {consent.agreementVersion}
      </Field>
      <Field label="Consented at">
        <DateTime value={consent.consentedAt} />
      </Field>
      <Field label="Version released">
        {consent.versionReleasedAt ? <DateTime value={consent.versionReleasedAt} /> : <Missing>unknown</Missing>}
      </Field>
      <Field label="Latest at the time" testId="consent-latest">
        <LatestAtConsent consent={consent} />
      </Field>
    </Fields>
  </Section>
);

const LatestAtConsent = ({ consent }: { consent: ApplicationDetail['consent'] }) => {
  if (consent.wasLatestAtConsent) {
    return (
      <Box
        component="span"
        sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, color: 'success.main', fontWeight: 600 }}
      >
        <CheckCircleOutlined sx={{ fontSize: 16 }} /> yes
      </Box>
    );
  }
  return (
    <Box
      component="span"
      data-warning="true"
      sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, color: 'warning.main', fontWeight: 600 }}
    >
      <WarningAmber sx={{ fontSize: 16 }} />
      {consent.latestVersionAtConsent
        ? `no — latest then was ${consent.latestVersionAtConsent}`
        : 'no — no released version is known for that date'}
    </Box>
  );
};
