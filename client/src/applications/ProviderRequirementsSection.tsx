import { type ApplicationDetail, providerLabels } from '@desk/shared';
import ChevronRight from '@mui/icons-material/ChevronRight';
import PendingActions from '@mui/icons-material/PendingActions';
import Box from '@mui/material/Box';
import { Section } from './Section';

/**
 * What the provider asks for before it can go on, in its own words (`providerRequirements`).
 * Renders nothing when the provider asks for nothing. Long lists flow into columns.
 */
export const ProviderRequirementsSection = ({ application }: { application: ApplicationDetail }) => {
  const requirements = application.providerRequirements;
  if (requirements.length === 0) return null;
  const provider = providerLabels[application.provider];
  return (
    <Section
      title={`${provider} asks for (${requirements.length})`}
      icon={<PendingActions fontSize="small" sx={{ color: 'warning.main' }} />}
      testId="provider-requirements"
    >
      <Box
        component="ul"
        aria-label={`What ${provider} asks for`}
        sx={{ listStyle: 'none', m: 0, p: 0, columnWidth: '22rem', columnGap: 3, fontSize: 13 }}
      >
        {requirements.map((requirement, index) => (
          <Box
            component="li"
            // biome-ignore lint/suspicious/noArrayIndexKey: the provider's texts may repeat; their position keeps the keys unique
            key={`${index}:${requirement}`}
            data-testid="provider-requirement"
            sx={{ display: 'flex', alignItems: 'flex-start', gap: 0.5, breakInside: 'avoid', py: 0.25 }}
          >
            <ChevronRight aria-hidden sx={{ fontSize: 16, mt: '1px', color: 'text.secondary', flexShrink: 0 }} />
            <Box component="span" sx={{ overflowWrap: 'anywhere', whiteSpace: 'pre-line' }}>
              {requirement}
            </Box>
          </Box>
        ))}
      </Box>
    </Section>
  );
};
