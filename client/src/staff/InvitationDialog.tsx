import { type RoleGrant, roleLabels, type StaffInvitation } from '@desk/shared';
import ContentCopy from '@mui/icons-material/ContentCopy';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { DateTime } from '../common/DateTime';

export interface InvitationDialogProps {
  /** Whose link it is. */
  member: { name: string; email: string };
  /** Null when password sign-in is off: the member signs in through single sign-on. */
  invitation: StaffInvitation | null;
  /** The grant the member's role waits for, if any. */
  grant: RoleGrant | null;
  title: string;
  onClose: () => void;
}

/**
 * A set-password link, shown this once: the desk keeps only its hash, so closing the dialog
 * loses it (a new link can be issued, which replaces it). Copied with one click, to pass on to
 * the member through a channel they trust; they choose their own password with it.
 */
export const InvitationDialog = ({ member, invitation, grant, title, onClose }: InvitationDialogProps) => {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = (link: string) => {
    navigator.clipboard
      .writeText(link)
      .then(() => setCopied('yes'))
      .catch(() => setCopied('failed'));
  };
  return (
    <Dialog open maxWidth="sm" fullWidth aria-labelledby="invitation-title" data-testid="invitation-dialog">
      <DialogTitle id="invitation-title">{title}</DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
        {invitation ? (
          <>
            <Typography variant="body2">
              Send this link to <b>{member.name}</b> ({member.email}). With it they choose their own password; nobody
              else ever knows it. It works once, until <DateTime value={invitation.expiresAt} />.
            </Typography>
            <Alert severity="warning" data-testid="invitation-shown-once">
              This link is shown only now. Copy it before you close this window: the desk keeps no readable copy. If it
              is lost, issue a new one from the member’s page.
            </Alert>
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
              <TextField
                label="Set-password link"
                value={invitation.link}
                fullWidth
                onFocus={(event) => event.target.select()}
                slotProps={{ htmlInput: { readOnly: true, 'data-testid': 'invitation-link', spellCheck: false } }}
              />
              <Button
                variant="contained"
                startIcon={<ContentCopy />}
                onClick={() => copy(invitation.link)}
                data-testid="invitation-copy"
                sx={{ flexShrink: 0, mt: 0.25 }}
              >
                Copy
              </Button>
            </Box>
            <Box component="span" role="status" sx={{ fontSize: 12.5, color: 'text.secondary', minHeight: 18 }}>
              {copied === 'yes'
                ? 'Copied to the clipboard.'
                : copied === 'failed'
                  ? 'Copying was refused by the browser: select the link and copy it.'
                  : ''}
            </Box>
          </>
        ) : (
          <Alert severity="info">
            Password sign-in is off: {member.name} signs in through single sign-on, with no link to pass on.
          </Alert>
        )}
        {grant && (
          <Alert severity="info" data-testid="invitation-grant-note">
            The role {roleLabels[grant.role]} needs a second admin’s approval: {member.name} stays inactive, and cannot
            sign in, until another admin approves it on the Staff page.
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button variant="outlined" onClick={onClose} data-testid="invitation-done">
          {invitation ? 'I have copied the link' : 'Done'}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
