import type { ApplicationDetail } from '@desk/shared';
import UploadFile from '@mui/icons-material/UploadFile';
import Button from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import { useState } from 'react';
import { UploadDocumentDialog } from './UploadDocumentDialog';

/** Opens the upload dialog, fresh each time (a new key resets what was chosen before). */
export const UploadDocumentButton = ({ application }: { application: ApplicationDetail }) => {
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(0);
  const unavailable = application.actions.upload.types.length === 0;

  return (
    <>
      <Tooltip
        title={unavailable ? 'This provider accepts no documents from the desk.' : 'Send a document to the provider'}
      >
        <span>
          <Button
            variant="contained"
            startIcon={<UploadFile />}
            disabled={unavailable}
            onClick={() => {
              setOpened((count) => count + 1);
              setOpen(true);
            }}
            data-testid="upload-document-button"
          >
            Upload document
          </Button>
        </span>
      </Tooltip>
      <UploadDocumentDialog key={opened} application={application} open={open} onClose={() => setOpen(false)} />
    </>
  );
};
