import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import { useState } from 'react';

export interface RecoveryCodesPanelProps {
  codes: readonly string[];
  /** What "continue" leads to ("Open the desk", "Done"). */
  doneLabel: string;
  onDone: () => void;
}

/**
 * New recovery codes, shown this once (the desk keeps only their hashes): copied or written
 * down, and confirmed as saved before the page moves on.
 */
export const RecoveryCodesPanel = ({ codes, doneLabel, onDone }: RecoveryCodesPanelProps) => {
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () => {
    navigator.clipboard
      .writeText(codes.join('\n'))
      .then(() => setCopied('yes'))
      .catch(() => setCopied('failed'));
  };
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }} data-testid="recovery-codes-panel">
      <Alert severity="warning">
        These recovery codes are shown only now. Keep them somewhere safe, away from your phone: each one signs you in
        once if you lose your authenticator.
      </Alert>
      <Box
        component="ol"
        aria-label="Recovery codes"
        data-testid="recovery-codes"
        sx={{
          m: 0,
          p: 1.5,
          listStyle: 'none',
          display: 'grid',
          gridTemplateColumns: 'repeat(2, minmax(0, 1fr))',
          gap: 0.75,
          bgcolor: 'action.hover',
          borderRadius: 1,
          fontFamily: 'monospace',
          fontSize: 14,
        }}
      >
        {codes.map((code) => (
          <li key={code} data-testid="recovery-code">
            {code}
          </li>
        ))}
      </Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Button variant="outlined" onClick={copy} data-testid="recovery-copy">
          Copy the codes
        </Button>
        <Box component="span" role="status" sx={{ fontSize: 12.5, color: 'text.secondary' }}>
          {copied === 'yes' ? 'Copied.' : copied === 'failed' ? 'Copying was refused: select the codes instead.' : ''}
        </Box>
      </Box>
      <FormControlLabel
        control={
          <Checkbox checked={saved} onChange={(event) => setSaved(event.target.checked)} data-testid="recovery-saved" />
        }
        label="I have saved these codes"
      />
      <Button variant="contained" disabled={!saved} onClick={onDone} data-testid="recovery-done">
        {doneLabel}
      </Button>
    </Box>
  );
};
