import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import Typography from '@mui/material/Typography';

/** The palette colour a headline count takes when it needs attention. */
export type BigNumberTone = 'error' | 'warning' | 'primary';

/** One headline count, coloured when it needs attention; a button when it opens the cases behind it. */
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
  tone?: BigNumberTone | undefined;
  caption: string;
  onClick?: () => void;
  testId: string;
}) => {
  const content = (
    <>
      <Typography variant="caption" component="div" sx={{ fontWeight: 600, color: 'text.secondary' }}>
        {label}
      </Typography>
      <Typography
        sx={{
          fontSize: 34,
          lineHeight: 1.15,
          fontWeight: 700,
          color: tone ? `${tone}.main` : 'text.primary',
          fontVariantNumeric: 'tabular-nums',
        }}
      >
        {value.toLocaleString()}
      </Typography>
      <Typography variant="caption" component="div" color="text.secondary">
        {caption}
      </Typography>
    </>
  );
  return (
    <Card
      data-testid={testId}
      data-value={value}
      sx={{ height: '100%', borderLeft: 4, borderLeftColor: tone ? `${tone}.main` : 'divider' }}
    >
      {onClick ? (
        <CardActionArea onClick={onClick} sx={{ p: 1.5, height: '100%', display: 'block' }}>
          {content}
        </CardActionArea>
      ) : (
        <Box sx={{ p: 1.5 }}>{content}</Box>
      )}
    </Card>
  );
};
