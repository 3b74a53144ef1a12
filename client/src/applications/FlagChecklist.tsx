import {
  type ApplicationDetail,
  type DocumentFlag,
  documentFlagLabels,
  documentFlags,
  documentTypeLabels,
  flagRequirements,
} from '@desk/shared';
import CheckCircle from '@mui/icons-material/CheckCircle';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import RadioButtonUnchecked from '@mui/icons-material/RadioButtonUnchecked';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { flagIcons } from './flagIcons';
import { Section } from './Section';

type Checklist = ApplicationDetail['checklist'];
type Requirement = Checklist[number]['requirements'][number];

/**
 * Each document flag, raised or cleared, with the requirements that clear it: every row must
 * be satisfied, and a row is satisfied by any one of its document types. The rows come from
 * the server's checklist; `flagRequirements` fills in a flag the server left out.
 */
export const FlagChecklist = ({ checklist }: { checklist: Checklist }) => (
  <Section title="Document flags" icon={<FactCheckOutlined fontSize="small" />} testId="flag-checklist">
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.25 }}>
      {documentFlags.map((flag) => {
        const item = checklist.find((entry) => entry.flag === flag);
        return (
          <FlagItem
            key={flag}
            flag={flag}
            raised={item?.raised ?? false}
            requirements={
              item?.requirements ?? flagRequirements[flag].map((anyOf) => ({ anyOf: [...anyOf], satisfied: false }))
            }
          />
        );
      })}
    </Box>
  </Section>
);

interface FlagItemProps {
  flag: DocumentFlag;
  raised: boolean;
  requirements: Requirement[];
}

const FlagItem = ({ flag, raised, requirements }: FlagItemProps) => {
  const Icon = flagIcons[flag];
  return (
    <Box data-flag={flag} data-raised={raised}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
        <Icon sx={{ fontSize: 17, color: raised ? 'warning.main' : 'text.disabled' }} />
        <Box component="span" sx={{ fontWeight: 600, flex: 1 }}>
          {documentFlagLabels[flag]}
        </Box>
        <Chip
          label={raised ? 'Raised' : requirements.every((r) => r.satisfied) ? 'Cleared' : 'Not raised'}
          color={raised ? 'warning' : 'success'}
          variant={raised ? 'filled' : 'outlined'}
          sx={{ height: 20, fontWeight: 600 }}
        />
      </Box>
      <Box
        component="ul"
        sx={{ listStyle: 'none', m: 0, mt: 0.5, pl: 3.25, display: 'flex', flexDirection: 'column', gap: 0.25 }}
      >
        {requirements.map((requirement) => (
          <Box
            component="li"
            key={requirement.anyOf.join('|')}
            data-satisfied={requirement.satisfied}
            sx={{ display: 'flex', alignItems: 'flex-start', gap: 0.75, fontSize: 12.5 }}
          >
            {requirement.satisfied ? (
              <CheckCircle aria-label="satisfied" sx={{ fontSize: 15, mt: '1px', color: 'success.main' }} />
            ) : (
              <RadioButtonUnchecked aria-label="missing" sx={{ fontSize: 15, mt: '1px', color: 'text.disabled' }} />
            )}
            <span>{requirement.anyOf.map((type) => documentTypeLabels[type]).join(' or ')}</span>
          </Box>
        ))}
      </Box>
    </Box>
  );
};
