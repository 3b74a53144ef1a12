import type { ApplicationDetail } from '@desk/shared';
import AddComment from '@mui/icons-material/AddComment';
import Button from '@mui/material/Button';
import { useState } from 'react';
import { RaiseRfiDialog } from './RaiseRfiDialog';

export interface RaiseRfiButtonProps {
  application: ApplicationDetail;
  onRaised: () => void;
}

/** Opens the "Raise RFI" dialog, fresh each time (a new key resets what was typed before). */
export const RaiseRfiButton = ({ application, onRaised }: RaiseRfiButtonProps) => {
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(0);
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        startIcon={<AddComment />}
        onClick={() => {
          setOpened((count) => count + 1);
          setOpen(true);
        }}
        data-testid="raise-rfi-button"
      >
        Raise RFI
      </Button>
      <RaiseRfiDialog
        key={opened}
        application={application}
        open={open}
        onClose={() => setOpen(false)}
        onRaised={() => {
          setOpen(false);
          onRaised();
        }}
      />
    </>
  );
};
