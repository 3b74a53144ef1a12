import type { ApplicationDetail } from '@desk/shared';
import Box from '@mui/material/Box';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import { ReapplyButton } from './ReapplyButton';
import { RefreshButton } from './RefreshButton';
import { UploadDocumentButton } from './UploadDocumentButton';

/**
 * What a reviewer can ask the provider to do for this case. Each button queues a provider
 * action; the page then follows its delivery in "Provider actions". Only roles that work cases
 * see them.
 */
export const CaseActionBar = ({ application }: { application: ApplicationDetail }) => (
  <Allowed resource={accessResources.applications} action="work">
    <CaseActionButtons application={application} />
  </Allowed>
);

const CaseActionButtons = ({ application }: { application: ApplicationDetail }) => (
  <Box
    role="toolbar"
    aria-label="Case actions"
    data-testid="case-actions"
    sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}
  >
    <UploadDocumentButton application={application} />
    <ReapplyButton application={application} />
    <RefreshButton application={application} />
  </Box>
);
