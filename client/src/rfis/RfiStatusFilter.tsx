import { type RfiStatus, rfiStatuses } from '@desk/shared';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { alpha, useTheme } from '@mui/material/styles';
import { rfiStatusColor, rfiStatusLabels } from './rfiLabels';
import { useRfiFilter } from './useRfiFilter';

/** One chip per status, several may be on (those waiting for an answer by default); "All" turns every one on. */
export const RfiStatusFilter = () => {
  const { filter, change } = useRfiFilter();
  const theme = useTheme();
  const all = filter.status.length === rfiStatuses.length;
  const toggle = (status: RfiStatus) => {
    const next = filter.status.includes(status)
      ? filter.status.filter((s) => s !== status)
      : [...filter.status, status];
    // At least one status stays on: turning the last one off does nothing.
    if (next.length > 0) change({ status: rfiStatuses.filter((s) => next.includes(s)) });
  };

  return (
    <Box role="toolbar" aria-label="Filter by status" sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75 }}>
      <Chip
        data-testid="rfi-status-filter-all"
        aria-pressed={all}
        label="All"
        onClick={() => change({ status: [...rfiStatuses] })}
        variant={all ? 'filled' : 'outlined'}
        color={all ? 'primary' : 'default'}
        sx={{ height: 26, fontSize: 12.5 }}
      />
      {rfiStatuses.map((status) => {
        const active = filter.status.includes(status);
        const color = rfiStatusColor(theme, status);
        return (
          <Chip
            key={status}
            data-testid={`rfi-status-filter-${status}`}
            aria-pressed={active}
            label={rfiStatusLabels[status]}
            onClick={() => toggle(status)}
            variant={active ? 'filled' : 'outlined'}
            sx={{
              height: 26,
              fontSize: 12.5,
              borderColor: alpha(color, active ? 1 : 0.4),
              color: active ? theme.palette.getContrastText(color) : color,
              bgcolor: active ? color : 'background.paper',
              '&&:hover': { bgcolor: active ? color : alpha(color, 0.08) },
            }}
          />
        );
      })}
    </Box>
  );
};
