import CancelOutlined from '@mui/icons-material/CancelOutlined';
import CheckCircleOutline from '@mui/icons-material/CheckCircleOutlineOutlined';
import Box from '@mui/material/Box';
import Button, { type ButtonProps } from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { type ReactNode, useId, useState } from 'react';
import { useNotify } from 'react-admin';

export interface ConfirmActionDialogProps {
  open: boolean;
  /** The dialog's question ("Re-apply at Jiko?"). */
  title: string;
  /** What will happen, in a sentence or two (a string), or richer content (effects, an input). */
  content: ReactNode;
  /** The confirm button's words, naming the action ("Re-apply at Jiko"). */
  confirmLabel: string;
  /** `warning` for what takes something away (ending sessions, refusing, deactivating). */
  confirmColor?: 'primary' | 'warning';
  /** While the action runs: both buttons wait, and the dialog stays open. */
  busy?: boolean;
  onConfirm: () => void;
  /** Cancel, Esc or a click outside: nothing happens. */
  onCancel: () => void;
  testId: string;
  /**
   * Where focus starts: on Cancel (the default — Enter then does nothing irreversible), or on
   * the content when it holds an input that the caller focuses itself.
   */
  initialFocus?: 'cancel' | 'content';
}

/**
 * The one confirmation dialog of the desk: a question, what will happen, Cancel and a button
 * naming the action. Focus starts on Cancel and returns to what opened the dialog once it
 * closes; Esc cancels.
 */
export const ConfirmActionDialog = ({
  open,
  title,
  content,
  confirmLabel,
  confirmColor = 'warning',
  busy = false,
  onConfirm,
  onCancel,
  testId,
  initialFocus = 'cancel',
}: ConfirmActionDialogProps) => {
  const titleId = useId();
  const contentId = useId();
  return (
    <Dialog
      open={open}
      onClose={() => {
        if (!busy) onCancel();
      }}
      aria-labelledby={titleId}
      aria-describedby={contentId}
      data-testid={`${testId}-dialog`}
      slotProps={{ paper: { sx: { width: '100%', maxWidth: 520, m: { xs: 1.5, sm: 4 } } } }}
    >
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent id={contentId}>
        {typeof content === 'string' ? <DialogContentText>{content}</DialogContentText> : content}
      </DialogContent>
      <DialogActions sx={{ flexWrap: 'wrap', gap: 1 }}>
        <Button
          disabled={busy}
          onClick={onCancel}
          startIcon={<CancelOutlined />}
          autoFocus={initialFocus === 'cancel'}
          data-testid={`${testId}-cancel`}
        >
          Cancel
        </Button>
        <Button
          disabled={busy}
          onClick={onConfirm}
          variant="contained"
          color={confirmColor === 'warning' ? 'error' : 'primary'}
          startIcon={<CheckCircleOutline />}
          data-testid={`${testId}-confirm`}
        >
          {busy ? `${confirmLabel}…` : confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
};

/** One line of what an action does, and to whom ("At Jiko", "On the case"). */
export interface ActionEffect {
  where: string;
  what: ReactNode;
}

/** What an action does, where: a short list for a confirmation dialog. */
export const ActionEffects = ({ effects }: { effects: readonly ActionEffect[] }) => (
  <Box component="dl" sx={{ m: 0, display: 'grid', gap: 1 }}>
    {effects.map(({ where, what }) => (
      <Box key={where}>
        <Typography component="dt" variant="subtitle2">
          {where}
        </Typography>
        <Typography component="dd" variant="body2" sx={{ m: 0, color: 'text.secondary' }}>
          {what}
        </Typography>
      </Box>
    ))}
  </Box>
);

export interface ConfirmedActionButtonProps {
  label: string;
  testId: string;
  /** The dialog's question ("End all of Noor's sessions?"). */
  title: string;
  /** What will happen, in a sentence or two; may hold an input (a reason). */
  content: ReactNode;
  /** The confirm button's words ("End sessions"). */
  confirmLabel: string;
  /** `warning` for what takes something away (ending sessions, refusing, resetting). */
  confirmColor?: 'primary' | 'warning';
  /** Runs once confirmed; a rejection is shown as it comes (the server's message). */
  action: () => Promise<unknown>;
  /** Said once done (none: the page shows what changed). */
  successMessage?: string;
  onDone?: () => void;
  /** When set, the button is disabled and this says why on hover (the caller also says it in the page). */
  disabledReason?: string | null;
  variant?: ButtonProps['variant'];
  color?: ButtonProps['color'];
  startIcon?: ReactNode;
  /** Said on hover and focus while the button is enabled (what it is for). */
  hint?: string;
}

/**
 * A button for something that cannot be taken back — ending sessions, resetting a second
 * factor, deciding a role grant, replacing a set-password link, asking a provider to review an
 * application again: it first asks, in a dialog that says what will happen, and acts only when
 * confirmed.
 */
export const ConfirmedActionButton = ({
  label,
  testId,
  title,
  content,
  confirmLabel,
  confirmColor = 'warning',
  action,
  successMessage,
  onDone,
  disabledReason = null,
  variant = 'outlined',
  color = 'inherit',
  startIcon,
  hint,
}: ConfirmedActionButtonProps) => {
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  const confirm = () => {
    setBusy(true);
    action()
      .then(() => {
        setOpen(false);
        if (successMessage) notify(successMessage, { type: 'success' });
        onDone?.();
      })
      .catch((error: unknown) => {
        setOpen(false);
        notify(error instanceof Error ? error.message : `${label} failed.`, { type: 'error', multiLine: true });
      })
      .finally(() => setBusy(false));
  };

  const disabled = disabledReason !== null;
  const button = (
    <Button
      variant={variant}
      color={color}
      startIcon={startIcon}
      disabled={disabled || busy}
      onClick={() => setOpen(true)}
      aria-description={disabledReason ?? undefined}
      data-testid={testId}
    >
      {label}
    </Button>
  );
  const tip = disabledReason ?? hint;

  return (
    <>
      {tip === undefined ? (
        button
      ) : (
        <Tooltip title={tip} describeChild>
          {/* A disabled button fires no events; the span keeps the tooltip working. */}
          <span>{button}</span>
        </Tooltip>
      )}
      <ConfirmActionDialog
        open={open}
        busy={busy}
        title={title}
        content={content}
        confirmLabel={confirmLabel}
        confirmColor={confirmColor}
        onConfirm={confirm}
        onCancel={() => setOpen(false)}
        testId={testId}
      />
    </>
  );
};
