import { providerLabels, type Rfi, rfiCloseRefusal } from '@desk/shared';
import TaskAlt from '@mui/icons-material/TaskAlt';
import Button from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import { useRfiAction } from './useRfiAction';

/**
 * Closes the RFI (open or answered); a 409 says it was closed already. An open provider RFI
 * waits for its answer instead (the server refuses to close it), so the button is disabled
 * and says why.
 */
export const CloseRfiButton = ({ rfi }: { rfi: Rfi }) => {
  const close = useRfiAction((dataProvider, id, _: undefined) => dataProvider.closeRfi(id), {
    successMessage: (closed) => `RFI “${closed.title}” closed.`,
  });
  const refusal = rfiCloseRefusal(rfi, 'staff');
  if (refusal === 'already_closed') return null;
  const provider = providerLabels[rfi.provider];
  const waiting = refusal === 'awaiting_answer';
  return (
    <Tooltip title={waiting ? `${provider} is waiting for an answer; the RFI closes when ${provider} moves on.` : ''}>
      {/* A disabled button fires no events; the span keeps the tooltip working. */}
      <span>
        <Button
          variant="outlined"
          color="inherit"
          startIcon={<TaskAlt />}
          loading={close.isPending}
          disabled={waiting}
          onClick={() => close.mutate()}
          data-testid="rfi-close"
        >
          Close RFI
        </Button>
      </span>
    </Tooltip>
  );
};
