import { isAnswerableRfi, providerLabels, type Rfi } from '@desk/shared';
import ArrowBack from '@mui/icons-material/ArrowBack';
import OpenInNew from '@mui/icons-material/OpenInNew';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { Link, useCreatePath } from 'react-admin';
import { Missing, monospace } from '../applications/Fields';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import { DateTime } from '../common/DateTime';
import { useNow } from '../common/useNow';
import { resources } from '../dataProvider';
import { CloseRfiButton } from './CloseRfiButton';
import { DueDate } from './DueDate';
import { RfiOriginChip } from './RfiOriginChip';
import { RfiStatusChip } from './RfiStatusChip';

/** What the RFI is, where it stands, when it is due, and the case it belongs to. */
export const RfiHeader = ({ rfi }: { rfi: Rfi }) => {
  const createPath = useCreatePath();
  const now = useNow();
  const casePath = createPath({ resource: resources.applications, id: rfi.applicationId, type: 'show' });

  return (
    <Card sx={{ px: 2, py: 1.5 }}>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 2, flexWrap: 'wrap' }}>
        <Box sx={{ flex: 1, minWidth: 260 }}>
          <Button
            component={Link}
            to={createPath({ resource: resources.rfis, type: 'list' })}
            startIcon={<ArrowBack />}
            sx={{ ml: -1, mb: 0.5 }}
          >
            RFIs
          </Button>
          <Typography variant="h5" component="h1" data-testid="rfi-title">
            {rfi.title}
          </Typography>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 0.75, flexWrap: 'wrap' }}>
            <RfiStatusChip status={rfi.status} providerName={providerLabels[rfi.provider]} size="medium" />
            <RfiOriginChip origin={rfi.origin} size="medium" />
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {providerLabels[rfi.provider]}
            </Typography>
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
          <HeaderItem label="Case">
            <Link to={casePath} data-testid="rfi-case-link">
              {rfi.applicantName}
            </Link>
          </HeaderItem>
          <HeaderItem label="Due">
            <DueDate
              dueAt={rfi.dueAt}
              overdue={rfi.overdue}
              now={now}
              withDate
              settled={!isAnswerableRfi(rfi.status)}
            />
          </HeaderItem>
          <HeaderItem label="Assignee">{rfi.assignee ? rfi.assignee.name : <Missing>Unassigned</Missing>}</HeaderItem>
          <HeaderItem label="Raised">
            <DateTime value={rfi.createdAt} />{' '}
            {rfi.raisedBy
              ? `by ${rfi.raisedBy.name}`
              : rfi.origin === 'provider'
                ? `by ${providerLabels[rfi.provider]}`
                : ''}
          </HeaderItem>
          <HeaderItem label="Provider RFI id" mono>
            {rfi.providerRfiId ?? <Missing>{rfi.origin === 'internal' ? 'internal RFI' : 'none'}</Missing>}
          </HeaderItem>
          {rfi.closedAt && (
            <HeaderItem label="Closed">
              <DateTime value={rfi.closedAt} />
            </HeaderItem>
          )}
        </Box>
      </Box>
      <Box sx={{ mt: 1.25, pt: 1.25, borderTop: 1, borderColor: 'divider', display: 'flex', gap: 1, flexWrap: 'wrap' }}>
        <Button component={Link} to={casePath} variant="outlined" startIcon={<OpenInNew />}>
          Open case
        </Button>
        <Allowed resource={accessResources.rfis} action="close">
          <CloseRfiButton rfi={rfi} />
        </Allowed>
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
