import { type ApplicationDetail, providerLabels } from '@desk/shared';
import ArrowBack from '@mui/icons-material/ArrowBack';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { Link as RouterLink, useCanAccess, useCreatePath, useNavigate } from 'react-admin';
import { accessResources } from '../auth/access';
import { useDeskIdentity } from '../auth/useDeskIdentity';
import { DateTime } from '../common/DateTime';
import { formatAge } from '../common/formatAge';
import { useNow } from '../common/useNow';
import { ProviderStatusChip } from '../stages/ProviderStatusChip';
import { StageChip } from '../stages/StageChip';
import { AssignControl } from '../workflow/AssignControl';
import { CaseStepper } from '../workflow/CaseStepper';
import { ClaimControls } from '../workflow/ClaimControls';
import { NextCaseButton } from '../workflow/NextCaseButton';
import { SlaChip } from '../workflow/SlaChip';
import { CaseActionBar } from './CaseActionBar';
import { Missing, monospace } from './Fields';

/**
 * Who, where it stands, who holds it, the identifiers support gets asked about, and what can
 * be asked of the provider.
 */
export const CaseHeader = ({ application }: { application: ApplicationDetail }) => {
  const { applicant } = application;
  const createPath = useCreatePath();
  const navigate = useNavigate();
  const now = useNow();
  const { identity } = useDeskIdentity();
  const { canAccess: canSeeCustomer } = useCanAccess({ resource: accessResources.customers, action: 'show' });

  return (
    <Card sx={{ px: 2, py: 1.5 }}>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 2, flexWrap: 'wrap' }}>
        <Box sx={{ flex: 1, minWidth: 260 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, ml: -1, mb: 0.5 }}>
            <Button
              startIcon={<ArrowBack />}
              onClick={() => navigate(createPath({ resource: 'applications', type: 'list' }))}
            >
              Review queue
            </Button>
            <CaseStepper applicationId={application.id} />
          </Box>
          <Typography variant="h5" component="h1" data-testid="case-applicant-name">
            {applicant.firstName} {applicant.lastName}
          </Typography>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 0.75, flexWrap: 'wrap' }}>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {providerLabels[application.provider]}
            </Typography>
            <StageChip stage={application.stage} size="medium" />
            <ProviderStatusChip status={application.providerStatus} size="medium" />
            {canSeeCustomer && (
              <Link
                component={RouterLink}
                to={`/customers/${applicant.customerId}`}
                variant="body2"
                data-testid="case-customer-link"
              >
                Customer page
              </Link>
            )}
          </Box>
        </Box>
        <Box
          sx={{
            display: 'grid',
            gridTemplateColumns: 'repeat(auto-fill, minmax(190px, 1fr))',
            gap: 1.25,
            flex: 2,
            minWidth: 320,
            pt: 0.5,
          }}
        >
          <HeaderItem label="Assignee">
            <Box data-testid="case-assignee" data-assignee-id={application.assignee?.id ?? ''}>
              {application.assignee ? (
                <>
                  {application.assignee.name}
                  {application.assignee.id === identity?.id && (
                    <Box component="span" sx={{ color: 'text.secondary' }}>
                      {' '}
                      (you)
                    </Box>
                  )}
                </>
              ) : (
                <Missing>Unassigned</Missing>
              )}
            </Box>
          </HeaderItem>
          <HeaderItem label="Stage SLA">
            {application.sla ? (
              <Box sx={{ display: 'flex', gap: 0.75, alignItems: 'center', flexWrap: 'wrap' }}>
                <SlaChip sla={application.sla} now={now} />
                <DateTime value={application.sla.dueAt} compact />
              </Box>
            ) : (
              <Missing>none for this stage</Missing>
            )}
          </HeaderItem>
          <HeaderItem label="Created">
            <DateTime value={application.createdAt} />{' '}
            <Box component="span" sx={{ color: 'text.secondary' }}>
              ({formatAge(application.createdAt, now)} ago)
            </Box>
          </HeaderItem>
          <HeaderItem label="Updated">
            <DateTime value={application.updatedAt} />
          </HeaderItem>
          <HeaderItem label="Provider application id" mono>
            {application.providerApplicationId}
          </HeaderItem>
          <HeaderItem label="Provider customer id" mono>
            {application.providerCustomerId ?? <Missing>none yet</Missing>}
          </HeaderItem>
          <HeaderItem label="Application id" mono>
            {application.id}
          </HeaderItem>
        </Box>
      </Box>
      <Box
        sx={{
          mt: 1.25,
          pt: 1.25,
          borderTop: 1,
          borderColor: 'divider',
          display: 'flex',
          gap: 1,
          alignItems: 'center',
          flexWrap: 'wrap',
        }}
      >
        <Box sx={{ flex: 1 }}>
          <CaseActionBar application={application} />
        </Box>
        <ClaimControls application={application} />
        <AssignControl application={application} />
        <NextCaseButton variant="outlined" />
      </Box>
    </Card>
  );
};

const HeaderItem = ({ label, mono = false, children }: { label: string; mono?: boolean; children: ReactNode }) => (
  <Box sx={{ minWidth: 0 }}>
    <Typography variant="caption" component="div" sx={{ color: 'text.secondary', fontWeight: 600 }}>
      {label}
    </Typography>
    <Box sx={{ fontSize: mono ? 12.5 : 13, fontFamily: mono ? monospace : undefined, overflowWrap: 'anywhere' }}>
      {children}
    </Box>
  </Box>
);
