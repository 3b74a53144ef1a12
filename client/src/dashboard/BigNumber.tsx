import Card from '@mui/material/Card';
import Typography from '@mui/material/Typography';

/** One headline count, coloured when it needs attention; clickable when it opens the cases behind it. */
export const BigNumber = ({
  label,
  value,
  tone,
  caption,
  onClick,
  testId,
}: {
  label: string;
  value: number;
  tone?: string | undefined;
  caption: string;
  onClick?: () => void;
  testId: string;
}) => (
  <Card
    data-testid={testId}
    data-value={value}
    onClick={onClick}
    sx={{
      p: 1.5,
      height: '100%',
      cursor: onClick ? 'pointer' : 'default',
      borderLeft: 4,
      borderLeftColor: tone ?? 'divider',
      '&:hover': onClick ? { bgcolor: 'action.hover' } : undefined,
    }}
  >
    <Typography variant="caption" sx={{ fontWeight: 600, color: 'text.secondary' }}>
      {label}
    </Typography>
    <Typography
      sx={{
        fontSize: 34,
        lineHeight: 1.15,
        fontWeight: 700,
        color: tone ?? 'text.primary',
        fontVariantNumeric: 'tabular-nums',
      }}
    >
      {value.toLocaleString()}
    </Typography>
    <Typography variant="caption" color="text.secondary">
      {caption}
    </Typography>
  </Card>
);
