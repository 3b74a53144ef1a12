import type { ApplicationDetail } from '@desk/shared';
import StickyNote2Outlined from '@mui/icons-material/StickyNote2Outlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import { Section } from '../applications/Section';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import { DateTime } from '../common/DateTime';
import type { DeskDataProvider } from '../dataProvider';

const NoteForm = ({ applicationId }: { applicationId: string }) => {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const dataProvider = useDataProvider<DeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const submit = () => {
    if (!body.trim()) return;
    setBusy(true);
    dataProvider
      .addNote(applicationId, body)
      .then(() => {
        setBody('');
        refresh();
      })
      .catch((err: unknown) => notify(err instanceof Error ? err.message : 'The note was not saved', { type: 'error' }))
      .finally(() => setBusy(false));
  };
  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', mt: 1 }}>
      <TextField
        size="small"
        fullWidth
        multiline
        minRows={1}
        maxRows={6}
        placeholder="Add a note (who you spoke to, what you checked, what happens next)"
        value={body}
        onChange={(e) => setBody(e.target.value)}
        slotProps={{ htmlInput: { 'data-testid': 'note-body', maxLength: 10_000 } }}
      />
      <Button
        variant="contained"
        size="small"
        onClick={submit}
        disabled={busy || !body.trim()}
        data-testid="note-submit"
        sx={{ mt: 0.5 }}
      >
        Add note
      </Button>
    </Box>
  );
};

/** Notes on the case, newest first, and a form to add one for roles that may. */
export const NotesSection = ({ application }: { application: ApplicationDetail }) => (
  <Section
    title={`Notes (${application.notes.length})`}
    icon={<StickyNote2Outlined fontSize="small" />}
    testId="notes-section"
  >
    {application.notes.length === 0 && (
      <Typography variant="body2" color="text.secondary">
        No notes yet.
      </Typography>
    )}
    <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0, display: 'grid', gap: 1 }}>
      {application.notes.map((note) => (
        <Box component="li" key={note.id} data-testid="note-row" sx={{ borderLeft: 3, borderColor: 'divider', pl: 1 }}>
          <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
            {note.body}
          </Typography>
          <Typography variant="caption" color="text.secondary">
            {note.author.name} · <DateTime value={note.createdAt} />
          </Typography>
        </Box>
      ))}
    </Box>
    <Allowed resource={accessResources.applications} action="notes">
      <NoteForm applicationId={application.id} />
    </Allowed>
  </Section>
);
