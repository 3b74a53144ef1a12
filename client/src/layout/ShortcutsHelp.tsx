import Box from '@mui/material/Box';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { Fragment } from 'react';

const groups: { title: string; keys: [string, string][] }[] = [
  {
    title: 'Anywhere',
    keys: [
      ['/', 'Find a customer'],
      ['n', 'Next case: claim the oldest waiting case and open it'],
      ['?', 'This help'],
    ],
  },
  {
    title: 'Review queue',
    keys: [
      ['j / k', 'Next / previous row'],
      ['Enter', 'Open the row'],
    ],
  },
  {
    title: 'Case page',
    keys: [
      ['c', 'Claim the case'],
      ['r', 'Release the case'],
      ['j / k', 'Next / previous case of the queue'],
    ],
  },
  {
    title: 'Customer search',
    keys: [
      ['↑ / ↓', 'Move through the hits'],
      ['Enter', 'Open the customer'],
      ['Esc', 'Close the list'],
    ],
  },
];

const Key = ({ children }: { children: string }) => (
  <Box
    component="kbd"
    sx={{
      fontFamily: 'ui-monospace, Menlo, monospace',
      fontSize: 12,
      px: 0.75,
      py: 0.1,
      border: 1,
      borderColor: 'divider',
      borderBottomWidth: 2,
      borderRadius: 0.75,
      bgcolor: 'background.default',
      whiteSpace: 'nowrap',
    }}
  >
    {children}
  </Box>
);

/** The desk's keyboard shortcuts, by where they work (opened by `KeyboardShortcuts`). */
export const ShortcutsHelp = ({ open, onClose }: { open: boolean; onClose: () => void }) => (
  <Dialog open={open} onClose={onClose} maxWidth="xs" fullWidth data-testid="shortcuts-help">
    <DialogTitle sx={{ pb: 0.5 }}>Keyboard shortcuts</DialogTitle>
    <DialogContent>
      {groups.map((group) => (
        <Box key={group.title} sx={{ mt: 1.25 }}>
          <Typography
            variant="caption"
            sx={{ fontWeight: 700, color: 'text.secondary', textTransform: 'uppercase', letterSpacing: 0.4 }}
          >
            {group.title}
          </Typography>
          <Box
            sx={{
              display: 'grid',
              gridTemplateColumns: '64px 1fr',
              rowGap: 0.5,
              columnGap: 1.5,
              mt: 0.5,
              alignItems: 'center',
            }}
          >
            {group.keys.map(([key, what]) => (
              <Fragment key={key + what}>
                <Box>
                  <Key>{key}</Key>
                </Box>
                <Typography variant="body2">{what}</Typography>
              </Fragment>
            ))}
          </Box>
        </Box>
      ))}
    </DialogContent>
  </Dialog>
);
