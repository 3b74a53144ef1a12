import {
  type ApplicationDetail,
  type DocumentFlag,
  type DocumentType,
  describeRequirement,
  documentFlagLabels,
  type Provider,
  providerLabels,
  type RequirementState,
  shortTypeLabel,
} from '@desk/shared';
import CheckCircle from '@mui/icons-material/CheckCircle';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import HourglassTop from '@mui/icons-material/HourglassTop';
import RadioButtonUnchecked from '@mui/icons-material/RadioButtonUnchecked';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { flagIcons } from './flagIcons';
import { Section } from './Section';

type Checklist = ApplicationDetail['checklist'];
type Requirement = Checklist[number]['requirements'][number];

/**
 * The case provider's document flags, raised or cleared, each with the requirements that clear
 * it at that provider (its document rules, as the server's checklist serves them): every
 * requirement must be met, and one is met by any one of its options ("Passport, or ID front +
 * ID back"). Each says whether it is satisfied, waiting for an upload's delivery, or missing,
 * and what is still needed.
 */
export const FlagChecklist = ({ checklist, provider }: { checklist: Checklist; provider: Provider }) => (
  <Section title="Document flags" icon={<FactCheckOutlined fontSize="small" />} testId="flag-checklist">
    <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1.25 }}>
      What {providerLabels[provider]} needs to clear each flag.
    </Typography>
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.25 }}>
      {checklist.map((item) => (
        <FlagItem
          key={item.flag}
          flag={item.flag}
          raised={item.raised}
          requirements={item.requirements}
          provider={provider}
        />
      ))}
    </Box>
  </Section>
);

interface FlagItemProps {
  flag: DocumentFlag;
  raised: boolean;
  requirements: Requirement[];
  provider: Provider;
}

const FlagItem = ({ flag, raised, requirements, provider }: FlagItemProps) => {
  const Icon = flagIcons[flag];
  return (
    <Box data-flag={flag} data-raised={raised}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
        <Icon aria-hidden sx={{ fontSize: 17, color: raised ? 'warning.main' : 'text.secondary' }} />
        <Box component="span" sx={{ fontWeight: 600, flex: 1 }}>
          {documentFlagLabels[flag]}
        </Box>
        <Chip
          label={raised ? 'Raised' : requirements.every((r) => r.state === 'satisfied') ? 'Cleared' : 'Not raised'}
          color={raised ? 'warning' : 'success'}
          variant={raised ? 'filled' : 'outlined'}
          sx={{ height: 20, fontWeight: 600 }}
        />
      </Box>
      <Box
        component="ul"
        aria-label={`What clears ${documentFlagLabels[flag]}`}
        sx={{ listStyle: 'none', m: 0, mt: 0.5, pl: 3.25, display: 'flex', flexDirection: 'column', gap: 0.5 }}
      >
        {requirements.map((requirement) => (
          <Box
            component="li"
            key={requirement.anyOf.map((option) => option.join('+')).join('|')}
            data-testid="flag-requirement"
            data-state={requirement.state}
            sx={{ display: 'flex', alignItems: 'flex-start', gap: 0.75, fontSize: 12.5 }}
          >
            {stateIcons[requirement.state]}
            <Box sx={{ minWidth: 0 }}>
              <Box component="span" data-testid="flag-requirement-options" sx={{ overflowWrap: 'anywhere' }}>
                {describeRequirement(requirement.anyOf)}
              </Box>
              <Box
                component="span"
                data-testid="flag-requirement-state"
                sx={{ display: 'block', color: 'text.secondary', fontSize: 12 }}
              >
                {stateText(requirement, provider)}
              </Box>
            </Box>
          </Box>
        ))}
      </Box>
    </Box>
  );
};

const iconSx = { fontSize: 15, mt: '1px', flexShrink: 0 } as const;
const stateIcons: Record<RequirementState, ReactNode> = {
  satisfied: <CheckCircle aria-hidden sx={{ ...iconSx, color: 'success.main' }} />,
  awaiting_delivery: <HourglassTop aria-hidden sx={{ ...iconSx, color: 'info.main' }} />,
  missing: <RadioButtonUnchecked aria-hidden sx={{ ...iconSx, color: 'text.secondary' }} />,
};

const listTypes = (types: readonly DocumentType[]) => types.map(shortTypeLabel).join(' + ');

/**
 * "Satisfied: Passport"; "Held, waiting for delivery to Fin.com: ID front + ID back"; "Missing:
 * ID back still needed (ID front held)" — the option nearest to being met when part of it is held.
 */
function stateText(requirement: Requirement, provider: Provider): string {
  const held = new Set(requirement.held);
  const complete = requirement.anyOf.find((option) => option.every((type) => held.has(type)));
  switch (requirement.state) {
    case 'satisfied':
      return `Satisfied: ${listTypes(complete ?? requirement.held)}`;
    case 'awaiting_delivery':
      return `Held, waiting for delivery to ${providerLabels[provider]}: ${listTypes(complete ?? requirement.held)}`;
    case 'missing': {
      const nearest = requirement.anyOf
        .filter((option) => option.some((type) => held.has(type)))
        .sort((a, b) => a.filter((t) => !held.has(t)).length - b.filter((t) => !held.has(t)).length)[0];
      if (!nearest) return 'Missing';
      const needed = nearest.filter((type) => !held.has(type));
      const have = nearest.filter((type) => held.has(type));
      return `Missing: ${listTypes(needed)} still needed (${listTypes(have)} held)`;
    }
  }
}
