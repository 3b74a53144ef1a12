import ChevronLeft from '@mui/icons-material/ChevronLeft';
import ChevronRight from '@mui/icons-material/ChevronRight';
import FirstPage from '@mui/icons-material/FirstPage';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useListContext, useLocation, useNavigate } from 'react-admin';
import { SelectField } from '../common/SelectField';
import { cursorParam, type QueuePageMeta } from './queuePaging';

/** The list's meta as the data provider sets it for the queue (undefined while loading). */
function queueMetaOf(meta: unknown): QueuePageMeta | undefined {
  if (typeof meta !== 'object' || meta === null || !('nextCursor' in meta)) return undefined;
  return meta as QueuePageMeta;
}

const pageSizes = [25, 50, 100, 200] as const;

/**
 * Previous / next paging for a keyset-paged list: the server gives no total, only whether
 * a next page exists, so there are no page numbers to jump to. Each move writes the page and
 * the cursor it starts after into the URL, so the address bar is a link to this very page.
 */
export const QueuePagination = () => {
  const {
    page,
    perPage,
    setPerPage,
    hasNextPage,
    hasPreviousPage,
    data,
    isPending,
    meta,
    filterValues,
    displayedFilters,
    sort,
  } = useListContext();
  const location = useLocation();
  const navigate = useNavigate();
  const queueMeta = queueMetaOf(meta);
  const shown = data?.length ?? 0;
  const first = (page - 1) * perPage + 1;
  const goTo = (target: number, cursor: string | null | undefined) => {
    // The whole list state, as react-admin writes it, so the link stands on its own.
    const search = new URLSearchParams({
      filter: JSON.stringify(filterValues),
      displayedFilters: JSON.stringify(displayedFilters),
      sort: sort.field,
      order: sort.order,
      page: String(target),
      perPage: String(perPage),
    });
    if (target > 1 && cursor) search.set(cursorParam, cursor);
    navigate({ pathname: location.pathname, search: `?${search.toString()}` }, { state: { _scrollToTop: true } });
  };

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
      <SelectField
        label="Rows"
        value={String(perPage)}
        onChange={(size) => setPerPage(Number(size))}
        sx={{ width: 80 }}
      >
        {pageSizes.map((size) => (
          <option key={size} value={size}>
            {size}
          </option>
        ))}
      </SelectField>
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
      <Button startIcon={<FirstPage />} disabled={page <= 1} onClick={() => goTo(1, null)}>
        First
      </Button>
      <Button
        startIcon={<ChevronLeft />}
        disabled={!hasPreviousPage || page <= 1}
        onClick={() => goTo(page - 1, queueMeta?.previousCursor)}
        data-testid="queue-previous"
      >
        Previous
      </Button>
      <Button
        endIcon={<ChevronRight />}
        disabled={!hasNextPage || isPending || !queueMeta?.nextCursor}
        onClick={() => goTo(page + 1, queueMeta?.nextCursor)}
        data-testid="queue-next"
      >
        Next
      </Button>
    </Box>
  );
};
