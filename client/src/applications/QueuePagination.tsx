import ChevronLeft from '@mui/icons-material/ChevronLeft';
import ChevronRight from '@mui/icons-material/ChevronRight';
import FirstPage from '@mui/icons-material/FirstPage';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useListContext } from 'react-admin';

const pageSizes = [25, 50, 100, 200] as const;

/**
 * Previous / next paging for a keyset-paged list: the server gives no total, only whether
 * a next page exists, so there are no page numbers to jump to.
 */
export const QueuePagination = () => {
  const { page, perPage, setPage, setPerPage, hasNextPage, hasPreviousPage, data, isPending } = useListContext();
  const shown = data?.length ?? 0;
  const first = (page - 1) * perPage + 1;

  return (
    <Box
      data-testid="queue-pagination"
      sx={{
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'flex-end',
        gap: 1,
        px: 1.5,
        py: 0.75,
        flexWrap: 'wrap',
      }}
    >
      <TextField
        select
        label="Rows"
        value={perPage}
        onChange={(event) => setPerPage(Number(event.target.value))}
        sx={{ width: 80 }}
      >
        {pageSizes.map((size) => (
          <MenuItem key={size} value={size}>
            {size}
          </MenuItem>
        ))}
      </TextField>
      <Typography
        variant="body2"
        sx={{ color: 'text.secondary', minWidth: 150, textAlign: 'center', fontVariantNumeric: 'tabular-nums' }}
      >
        {isPending
          ? '…'
          : shown === 0
            ? `Page ${page}`
            : `Page ${page} · rows ${first.toLocaleString()}–${(first + shown - 1).toLocaleString()}`}
      </Typography>
      <Button startIcon={<FirstPage />} disabled={page <= 1} onClick={() => setPage(1)}>
        First
      </Button>
      <Button
        startIcon={<ChevronLeft />}
        disabled={!hasPreviousPage || page <= 1}
        onClick={() => setPage(page - 1)}
        data-testid="queue-previous"
      >
        Previous
      </Button>
      <Button
        endIcon={<ChevronRight />}
        disabled={!hasNextPage || isPending}
        onClick={() => setPage(page + 1)}
        data-testid="queue-next"
      >
        Next
      </Button>
    </Box>
  );
};
