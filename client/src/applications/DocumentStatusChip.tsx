import type { DocumentStatus } from '@desk/shared';
import Chip from '@mui/material/Chip';

const statusLook: Record<DocumentStatus, { label: string; color: 'default' | 'info' | 'success' | 'error' }> = {
  PENDING_UPLOAD: { label: 'Pending upload', color: 'default' },
  UPLOADED: { label: 'Uploaded', color: 'info' },
  ACCEPTED: { label: 'Accepted', color: 'success' },
  REJECTED: { label: 'Rejected', color: 'error' },
};

export const DocumentStatusChip = ({ status }: { status: DocumentStatus }) => {
  const look = statusLook[status];
  return (
    <Chip
      label={look.label}
      color={look.color}
      variant="outlined"
      data-status={status}
      sx={{ height: 20, fontWeight: 600 }}
    />
  );
};
