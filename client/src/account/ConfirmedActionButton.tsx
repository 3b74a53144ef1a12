import Button, { type ButtonProps } from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import { type ReactNode, useState } from 'react';
import { Confirm, useNotify } from 'react-admin';

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
}

/**
 * A button for something that cannot be taken back — ending sessions, resetting a second
 * factor, deciding a role grant, replacing a set-password link: it first asks, in a dialog
 * that says what will happen, and acts only when confirmed.
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

  const button = (
    <Button
      variant={variant}
      color={color}
      startIcon={startIcon}
      disabled={disabledReason !== null}
      onClick={() => setOpen(true)}
      data-testid={testId}
    >
      {label}
    </Button>
  );

  return (
    <>
      {disabledReason === null ? (
        button
      ) : (
        <Tooltip title={disabledReason}>
          {/* A disabled button fires no events; the span keeps the tooltip working. */}
          <span>{button}</span>
        </Tooltip>
      )}
      <Confirm
        isOpen={open}
        loading={busy}
        title={title}
        content={content}
        confirm={confirmLabel}
        confirmColor={confirmColor}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
        data-testid={`${testId}-dialog`}
      />
    </>
  );
};
