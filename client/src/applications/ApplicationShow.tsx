import { type ApplicationDetail, providerLabels } from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import { ShowBase, Title, useShowContext } from 'react-admin';
import { ApplicationAuditTimeline } from '../audit/ApplicationAuditTimeline';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import { CaseLiveUpdates } from '../live/CaseLiveUpdates';
import { NotesSection } from '../workflow/NotesSection';
import { ApplicantSection } from './ApplicantSection';
import { CaseHeader } from './CaseHeader';
import { CaseRfisSection } from './CaseRfisSection';
import { ConsentSection } from './ConsentSection';
import { isCaseLive } from './caseLiveRefresh';
import { DocumentsSection } from './DocumentsSection';
import { FlagChecklist } from './FlagChecklist';
import { InternalReviewSection } from './InternalReviewSection';
import { ProviderActionsSection } from './ProviderActionsSection';
import { ProviderRequirementsSection } from './ProviderRequirementsSection';
import { StatusTimeline } from './StatusTimeline';
import { useCaseQueryOptions } from './useCaseQueryOptions';

/**
 * The case page. It reads the full ApplicationDetail (never a cached queue row) and re-reads
 * it on its own while a provider action is under way (see useCaseQueryOptions). What the
 * signed-in role may not use (case actions, RFIs, outcomes, the audit trail) is left out.
 */
export const ApplicationShow = () => {
  const queryOptions = useCaseQueryOptions();
  return (
    <ShowBase<ApplicationDetail> queryOptions={queryOptions}>
      <CaseView />
    </ShowBase>
  );
};

const CaseView = () => {
  const { record, error, isPending, isFetching } = useShowContext<ApplicationDetail>();

  if (error && !record) {
    return (
      <Box data-testid="case-page" sx={{ mt: 1 }}>
        <Title title="Application" />
        <Alert severity="error">{error.message}</Alert>
      </Box>
    );
  }
  if (isPending || !record) {
    return (
      <Box data-testid="case-page" aria-busy="true" sx={{ mt: 1 }}>
        <Title title="Application" />
        <LinearProgress />
      </Box>
    );
  }

  // While following a delivery the case is re-read every second: no flashing progress bar then.
  const live = isCaseLive(record, Date.now());
  return (
    <Box
      data-testid="case-page"
      data-id={record.id}
      data-stage={record.stage}
      data-provider-status={record.providerStatus}
      data-live={live}
      sx={{ mt: 2, mb: 2, position: 'relative' }}
    >
      <Title
        title={`${record.applicant.firstName} ${record.applicant.lastName} · ${providerLabels[record.provider]}`}
      />
      {isFetching && !live && <LinearProgress sx={{ position: 'absolute', top: 0, left: 0, right: 0, height: 2 }} />}
      {error && (
        <Alert severity="warning" sx={{ mb: 1 }}>
          Showing the case as last read: {error.message}
        </Alert>
      )}
      <CaseLiveUpdates applicationId={record.id} />
      <CaseHeader application={record} />
      <Grid container spacing={1.5} sx={{ mt: 0.25 }}>
        <Grid size={{ xs: 12, md: 6, lg: 4 }}>
          <ApplicantSection applicant={record.applicant} />
        </Grid>
        <Grid size={{ xs: 12, md: 6, lg: 4 }}>
          <ConsentSection consent={record.consent} />
        </Grid>
        <Grid size={{ xs: 12, md: 12, lg: 4 }}>
          <FlagChecklist checklist={record.checklist} provider={record.provider} />
        </Grid>
        {record.providerRequirements.length > 0 && (
          <Grid size={12}>
            <ProviderRequirementsSection application={record} />
          </Grid>
        )}
        <Grid size={{ xs: 12, xl: 7 }}>
          <DocumentsSection documents={record.documents} caseId={record.id} />
        </Grid>
        <Grid size={{ xs: 12, xl: 5 }}>
          <StatusTimeline history={record.statusHistory} rfis={record.rfis} />
        </Grid>
        <Grid size={{ xs: 12, lg: 7 }}>
          <InternalReviewSection application={record} />
        </Grid>
        <Grid size={{ xs: 12, lg: 5 }}>
          <NotesSection application={record} />
        </Grid>
        <Allowed resource={accessResources.rfis} action="list">
          <Grid size={12}>
            <CaseRfisSection application={record} />
          </Grid>
        </Allowed>
        <Grid size={12}>
          <ProviderActionsSection application={record} live={live} />
        </Grid>
        <Allowed resource={accessResources.audit} action="list">
          <Grid size={12}>
            <ApplicationAuditTimeline applicationId={record.id} />
          </Grid>
        </Allowed>
      </Grid>
    </Box>
  );
};
