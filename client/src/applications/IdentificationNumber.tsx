import VisibilityOffOutlined from '@mui/icons-material/VisibilityOffOutlined';
import VisibilityOutlined from '@mui/icons-material/VisibilityOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import { alpha } from '@mui/material/styles';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useDataProvider } from 'react-admin';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import type { DeskDataProvider } from '../dataProvider';

/** How long a revealed number stays on screen. */
export const revealSeconds = 60;
const minReasonLength = 10;

export interface IdentificationNumberProps {
  customerId: string;
  masked: string;
}

/**
 * The masked identification number, and for roles that may reveal it a button that asks why
 * and then shows the clear value in place. The value lives in this component's state only:
 * it is hidden again after a minute, on "Hide", or when the page is left.
 */
export const IdentificationNumber = ({ customerId, masked }: IdentificationNumberProps) => {
  const [revealed, setRevealed] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [secondsLeft, setSecondsLeft] = useState(revealSeconds);

  useEffect(() => {
    if (revealed === null) return;
    const until = Date.now() + revealSeconds * 1000;
    setSecondsLeft(revealSeconds);
    const timer = window.setInterval(() => {
      const left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0) setRevealed(null);
      else setSecondsLeft(left);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [revealed]);

  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
      {revealed === null ? (
        <span>{masked}</span>
      ) : (
        <Box
          component="span"
          data-testid="revealed-value"
          sx={(theme) => ({
            bgcolor: alpha(theme.palette.warning.main, 0.12),
            border: `1px solid ${alpha(theme.palette.warning.main, 0.5)}`,
            color: 'text.primary',
            px: 0.5,
            borderRadius: 0.5,
            fontWeight: 600,
          })}
        >
          {revealed}
        </Box>
      )}
      {revealed === null ? (
        <Allowed resource={accessResources.customers} action="reveal">
          <Button
            size="small"
            startIcon={<VisibilityOutlined fontSize="small" />}
            onClick={() => setAsking(true)}
            data-testid="reveal-button"
            sx={{ py: 0, minHeight: 0 }}
          >
            Reveal
          </Button>
        </Allowed>
      ) : (
        <>
          <Typography component="span" variant="caption" color="text.secondary">
            hides in {secondsLeft} s
          </Typography>
          <Button
            size="small"
            startIcon={<VisibilityOffOutlined fontSize="small" />}
            onClick={() => setRevealed(null)}
            data-testid="reveal-hide"
            sx={{ py: 0, minHeight: 0 }}
          >
            Hide
          </Button>
        </>
      )}
      {asking && (
        <RevealDialog
          customerId={customerId}
          onClose={() => setAsking(false)}
          onRevealed={(value) => {
            setAsking(false);
            setRevealed(value);
          }}
        />
      )}
    </Box>
  );
};

interface RevealDialogProps {
  customerId: string;
  onClose: () => void;
  onRevealed: (value: string) => void;
}

/** Why the number is needed; the reason goes on the audit trail with the reveal. */
const RevealDialog = ({ customerId, onClose, onRevealed }: RevealDialogProps) => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const [reason, setReason] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const reveal = useMutation<string, Error, string>({
    mutationFn: async (why) => (await dataProvider.revealIdentificationNumber(customerId, why)).value,
    onSuccess: onRevealed,
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const why = reason.trim();
    if (why.length < minReasonLength) {
      setTooShort(true);
      return;
    }
    reveal.mutate(why);
  };

  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="xs"
      fullWidth
      aria-labelledby="reveal-dialog-title"
      data-testid="reveal-dialog"
    >
      <form noValidate onSubmit={submit}>
        <DialogTitle id="reveal-dialog-title">Reveal the identification number</DialogTitle>
        <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
          <Typography variant="body2" color="text.secondary">
            Say why you need the full number. The reveal and your reason are recorded on the audit trail under your
            name.
          </Typography>
          {reveal.error && <Alert severity="error">{reveal.error.message}</Alert>}
          <TextField
            label="Reason"
            multiline
            minRows={2}
            autoFocus
            fullWidth
            value={reason}
            onChange={(event) => {
              setReason(event.target.value);
              if (event.target.value.trim().length >= minReasonLength) setTooShort(false);
            }}
            error={tooShort}
            helperText={
              tooShort
                ? `At least ${minReasonLength} characters, please.`
                : 'For example: “Customer called to confirm their SSN on file.”'
            }
            slotProps={{ htmlInput: { 'data-testid': 'reveal-reason', maxLength: 500 } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={reveal.isPending} data-testid="reveal-submit">
            {reveal.isPending ? 'Revealing…' : 'Reveal'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
