import { providerLabels, type Rfi, rfiCloseRefusal, rfiCloseRefusalMessage } from '@desk/shared';
import TaskAlt from '@mui/icons-material/TaskAlt';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useDataProvider, useShowContext } from 'react-admin';
import { ActionEffects, ConfirmedActionButton } from '../account/ConfirmedActionButton';
import { type DeskDataProvider, resources } from '../dataProvider';

/**
 * Closes an internal RFI once confirmed: closing ends it for good, answered or not. A
 * provider's RFI is the provider's to close (the server refuses with 409): the button is
 * disabled and the page says why.
 */
export const CloseRfiButton = ({ rfi }: { rfi: Rfi }) => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const queryClient = useQueryClient();
  const { refetch } = useShowContext<Rfi>();
  const refusal = rfiCloseRefusal(rfi, 'staff');
  if (refusal === 'already_closed') return null;
  const disabledReason = refusal === null ? null : `${rfiCloseRefusalMessage(refusal, providerLabels[rfi.provider])}.`;
  const answered = rfi.answers.length > 0;
  const settle = () => {
    void refetch();
    void queryClient.invalidateQueries({ queryKey: [resources.rfis, 'getList'] });
  };

  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
      <ConfirmedActionButton
        label="Close RFI"
        testId="rfi-close"
        title={`Close “${rfi.title}”?`}
        content={
          <ActionEffects
            effects={[
              {
                where: 'On the RFI',
                what: `Closed for good: it takes no more answers and leaves the RFI queue. ${
                  answered ? 'The answers given so far stay.' : 'It has no answer.'
                }`,
              },
              {
                where: 'On the case',
                what: 'The case no longer waits for this RFI. To ask again, raise a new RFI.',
              },
              { where: `At ${providerLabels[rfi.provider]}`, what: 'Nothing is sent.' },
            ]}
          />
        }
        confirmLabel="Close RFI"
        action={() => dataProvider.closeRfi(rfi.id)}
        successMessage={`RFI “${rfi.title}” closed.`}
        onDone={settle}
        disabledReason={disabledReason}
        startIcon={<TaskAlt />}
      />
      {disabledReason && (
        <Typography variant="body2" sx={{ color: 'text.secondary', maxWidth: 560 }} data-testid="rfi-close-reason">
          {disabledReason}
        </Typography>
      )}
    </Box>
  );
};
