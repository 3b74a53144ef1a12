import { awaitsProviderReview, isAnswerableRfi, type Rfi } from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import { ShowBase, Title, useShowContext } from 'react-admin';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import { RfiAnswerForm } from './RfiAnswerForm';
import { RfiAnswersSection } from './RfiAnswersSection';
import { RfiDeliveryNote } from './RfiDeliveryNote';
import { RfiHeader } from './RfiHeader';
import { RfiItemsSection } from './RfiItemsSection';

/** The RFI page: what is asked, what was answered, and (while open) the form to answer it. */
export const RfiShow = () => (
  <ShowBase<Rfi> queryOptions={{ onError: () => undefined }}>
    <RfiView />
  </ShowBase>
);

const RfiView = () => {
  const { record, error, isPending, isFetching } = useShowContext<Rfi>();

  if (error && !record) {
    return (
      <Box data-testid="rfi-page" sx={{ mt: 1 }}>
        <Title title="RFI" />
        <Alert severity="error">{error.message}</Alert>
      </Box>
    );
  }
  if (isPending || !record) {
    return (
      <Box data-testid="rfi-page" aria-busy="true" sx={{ mt: 1 }}>
        <Title title="RFI" />
        <LinearProgress />
      </Box>
    );
  }

  const answerable = isAnswerableRfi(record.status);
  return (
    <Box
      data-testid="rfi-page"
      data-id={record.id}
      data-status={record.status}
      data-overdue={record.overdue}
      sx={{ mt: 2, mb: 2, position: 'relative' }}
    >
      <Title title={`RFI · ${record.title}`} />
      {isFetching && <LinearProgress sx={{ position: 'absolute', top: 0, left: 0, right: 0, height: 2 }} />}
      {error && (
        <Alert severity="warning" sx={{ mb: 1 }}>
          Showing the RFI as last read: {error.message}
        </Alert>
      )}
      <RfiHeader rfi={record} />
      <Grid container spacing={1.5} sx={{ mt: 0.25 }}>
        {awaitsProviderReview(record) && (
          <Grid size={12}>
            <RfiDeliveryNote rfi={record} />
          </Grid>
        )}
        <Grid size={{ xs: 12, lg: answerable ? 6 : 12 }}>
          <RfiItemsSection items={record.items} />
        </Grid>
        {answerable && (
          <Allowed resource={accessResources.rfis} action="answer">
            <Grid size={{ xs: 12, lg: 6 }}>
              {/* A fresh form per version: what was typed for an older version is not kept. */}
              <RfiAnswerForm key={record.version} rfi={record} />
            </Grid>
          </Allowed>
        )}
        <Grid size={12}>
          <RfiAnswersSection rfi={record} />
        </Grid>
      </Grid>
    </Box>
  );
};
