import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

/** Colour keys under a chart. */
export const Legend = ({ items }: { items: { label: string; color: string }[] }) => (
  <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', mt: 1 }}>
    {items.map((i) => (
      <Box key={i.label} sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
        <Box sx={{ width: 10, height: 10, bgcolor: i.color, borderRadius: 0.5 }} />
        <Typography variant="caption">{i.label}</Typography>
      </Box>
    ))}
  </Box>
);
