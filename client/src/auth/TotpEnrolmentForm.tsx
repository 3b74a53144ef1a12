import { type TotpEnrolment, totpCodeSchema } from '@desk/shared';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type FormEvent, type ReactNode, useState } from 'react';

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": easier to type into an app by hand. */
export const groupedSecret = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/** The code as the server takes it, or what is wrong with it (checked here first, and again there). */
export function readTotpCode(value: string): { code: string } | { problem: string } {
  const parsed = totpCodeSchema.safeParse(value);
  if (parsed.success) return { code: parsed.data };
  return { problem: 'Enter the 6 digits your authenticator app shows.' };
}

export interface TotpCodeFieldProps {
  value: string;
  onChange: (value: string) => void;
  label?: string;
  testId: string;
  autoFocus?: boolean;
  helperText?: ReactNode;
}

/** The 6-digit code field: numeric keyboard, and the browser may fill it from an SMS-style prompt. */
export const TotpCodeField = ({
  value,
  onChange,
  label = '6-digit code',
  testId,
  autoFocus,
  helperText,
}: TotpCodeFieldProps) => (
  <TextField
    label={label}
    value={value}
    onChange={(event) => onChange(event.target.value)}
    autoComplete="one-time-code"
    autoFocus={autoFocus}
    fullWidth
    helperText={helperText}
    slotProps={{
      htmlInput: { inputMode: 'numeric', maxLength: 9, 'data-testid': testId, name: 'code', spellCheck: false },
    }}
  />
);

export interface TotpEnrolmentFormProps {
  enrolment: TotpEnrolment;
  /** Sends the first code; resolves when the factor holds, rejects with the reason to show. */
  onConfirm: (code: string) => Promise<void>;
  /** Reads a refusal as a sentence for the page. */
  describeError: (error: unknown) => string;
  submitLabel: string;
  /** Beside the submit button (a way back). */
  secondaryAction?: ReactNode;
}

/**
 * Adding an authenticator: the QR code the server drew (a data URL) and the same secret as
 * text for typing in by hand, then the first code the app shows, which confirms it.
 */
export const TotpEnrolmentForm = ({
  enrolment,
  onConfirm,
  describeError,
  submitLabel,
  secondaryAction,
}: TotpEnrolmentFormProps) => {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const read = readTotpCode(code);
    if ('problem' in read) {
      setError(read.problem);
      return;
    }
    setBusy(true);
    setError(null);
    onConfirm(read.code).catch((cause: unknown) => {
      setBusy(false);
      setCode('');
      setError(describeError(cause));
    });
  };

  return (
    <form noValidate onSubmit={submit} aria-label="Confirm your authenticator">
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.75 }}>
        <Box component="ol" sx={{ m: 0, pl: 2.5, fontSize: 13, '& li': { mb: 0.5 } }}>
          <li>
            Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or
            1Password).
          </li>
          <li>Scan the QR code, or type the key below into the app.</li>
          <li>Enter the 6-digit code the app shows for Compliance Desk.</li>
        </Box>
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
          <Box
            component="img"
            src={enrolment.qrCode}
            alt="QR code that adds Compliance Desk to an authenticator app"
            data-testid="enrol-qr"
            sx={{
              width: 168,
              height: 168,
              border: 1,
              borderColor: 'divider',
              borderRadius: 1,
              imageRendering: 'pixelated',
            }}
          />
          <Box sx={{ minWidth: 0, flex: 1 }}>
            <Typography variant="caption" color="text.secondary" component="p" id="enrol-secret-label">
              Key for typing in by hand
            </Typography>
            <Typography
              component="p"
              aria-labelledby="enrol-secret-label"
              data-testid="enrol-secret"
              sx={{ fontFamily: 'monospace', fontSize: 14, fontWeight: 600, wordBreak: 'break-word', mt: 0.25 }}
            >
              {groupedSecret(enrolment.secret)}
            </Typography>
            <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 0.75 }}>
              Time-based, 6 digits, every 30 seconds. Shown only now.
            </Typography>
          </Box>
        </Box>
        {error && (
          <Alert severity="error" role="alert" data-testid="enrol-error">
            {error}
          </Alert>
        )}
        <TotpCodeField value={code} onChange={setCode} testId="enrol-code" label="First code from the app" />
        <Box sx={{ display: 'flex', gap: 1, justifyContent: 'flex-end' }}>
          {secondaryAction}
          <Button type="submit" variant="contained" loading={busy} data-testid="enrol-submit">
            {submitLabel}
          </Button>
        </Box>
      </Box>
    </form>
  );
};
