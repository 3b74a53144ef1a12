import type { AuditEvent } from '@desk/shared';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { AuditDetail } from './AuditDetail';
import { mono } from './auditStyles';

/** An opened row of the trail: the event's data, and who, when and which hashes. */
export const AuditEventDetails = ({ event }: { event: AuditEvent }) => (
  <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: 2 }}>
    <Box>
      <Typography variant="caption" color="text.secondary" component="div">
        Data
      </Typography>
      <Box
        component="pre"
        sx={{ ...mono, m: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
        data-testid="audit-row-data"
      >
        {JSON.stringify(event.data, null, 2)}
      </Box>
    </Box>
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.75 }}>
      <AuditDetail label="At" value={event.at} />
      <AuditDetail label="Actor id" value={event.actorId ?? '—'} />
      {event.applicationId && <AuditDetail label="Case" value={event.applicationId} />}
      <AuditDetail label="Previous hash" value={event.prevHash} testId="audit-row-prev-hash" />
      <AuditDetail label="Hash" value={event.hash} testId="audit-row-hash" />
    </Box>
  </Box>
);
