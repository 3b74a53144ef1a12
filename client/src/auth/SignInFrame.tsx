import VerifiedUserOutlined from '@mui/icons-material/VerifiedUserOutlined';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

export interface SignInFrameProps {
  /** The card's heading (the page's `h1` is the desk's name). */
  title: string;
  /** One line under the heading: what to do on this step. */
  intro?: ReactNode;
  /** Wider for a step that shows a QR code or recovery codes. */
  wide?: boolean;
  testId?: string;
  children: ReactNode;
}

/**
 * The pages a visitor sees before the desk knows them — signing in and its steps, setting a
 * password from a link, coming back from the identity provider — in one frame: the desk's name
 * as the page heading, then one card with the step's own heading.
 */
export const SignInFrame = ({ title, intro, wide = false, testId, children }: SignInFrameProps) => (
  <Box
    component="main"
    data-testid={testId}
    sx={{
      minHeight: '100vh',
      display: 'flex',
      alignItems: 'flex-start',
      justifyContent: 'center',
      bgcolor: 'background.default',
      backgroundImage: (theme) =>
        `linear-gradient(180deg, ${theme.palette.primary.main} 0, ${theme.palette.primary.main} 260px, transparent 260px)`,
      px: 2,
    }}
  >
    <Box sx={{ width: '100%', maxWidth: wide ? 520 : 380, mt: { xs: 6, sm: 12 }, mb: 4 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, color: 'primary.contrastText', mb: 2.5 }}>
        <VerifiedUserOutlined sx={{ fontSize: 32 }} />
        <Box>
          <Typography component="h1" sx={{ fontSize: 20, fontWeight: 700, lineHeight: 1.2 }}>
            Compliance Desk
          </Typography>
          <Typography sx={{ fontSize: 12.5 }}>KYC review back office</Typography>
        </Box>
      </Box>
      <Card sx={{ p: 3, boxShadow: 3 }}>
        <Typography component="h2" variant="h6" sx={{ mb: 0.5 }}>
          {title}
        </Typography>
        {intro && (
          <Typography variant="body2" color="text.secondary" component="div" sx={{ mb: 2 }}>
            {intro}
          </Typography>
        )}
        {children}
      </Card>
      <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1.5, textAlign: 'center' }}>
        Every sign-in is recorded on the audit trail.
      </Typography>
    </Box>
  </Box>
);
