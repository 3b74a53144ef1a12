import type { Rfi } from '@desk/shared';
import TaskAlt from '@mui/icons-material/TaskAlt';
import Button from '@mui/material/Button';
import { useRfiAction } from './useRfiAction';

/** Closes the RFI (open or answered); a 409 says it was closed already. */
export const CloseRfiButton = ({ rfi }: { rfi: Rfi }) => {
  const close = useRfiAction((dataProvider, id, _: void) => dataProvider.closeRfi(id), {
    successMessage: (closed) => `RFI “${closed.title}” closed.`,
  });
  if (rfi.status === 'closed') return null;
  return (
    <Button
      variant="outlined"
      color="inherit"
      startIcon={<TaskAlt />}
      loading={close.isPending}
      onClick={() => close.mutate()}
      data-testid="rfi-close"
    >
      Close RFI
    </Button>
  );
};
