import BookmarkBorder from '@mui/icons-material/BookmarkBorder';
import Button from '@mui/material/Button';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useDataProvider } from 'react-admin';
import type { DeskDataProvider } from '../dataProvider';

/** The member's saved filters (the button shows how many; the menu lists them). */
export function useSavedFilters() {
  const dataProvider = useDataProvider<DeskDataProvider>();
  return useQuery({
    queryKey: ['saved-filters'],
    queryFn: ({ signal }) => dataProvider.listSavedFilters(signal),
  });
}

export const savedFiltersMenuId = 'saved-filters-menu';

const SavedFiltersMenu = lazy(() => import('./SavedFiltersMenu').then((m) => ({ default: m.SavedFiltersMenu })));

/**
 * Your saved queue filters: apply one, save the current filter under a name, delete. The
 * menu and its dialog are fetched when the button is first used.
 */
export const SavedFilters = () => {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [used, setUsed] = useState(false);
  const count = useSavedFilters().data?.data.length ?? 0;
  return (
    <>
      <Button
        startIcon={<BookmarkBorder />}
        onClick={(event) => {
          setAnchor(event.currentTarget);
          setUsed(true);
        }}
        aria-haspopup="menu"
        aria-controls={anchor ? savedFiltersMenuId : undefined}
        aria-expanded={anchor ? true : undefined}
        data-testid="saved-filters"
      >
        Saved filters{count > 0 ? ` (${count})` : ''}
      </Button>
      {used && (
        <Suspense fallback={null}>
          <SavedFiltersMenu anchor={anchor} setAnchor={setAnchor} />
        </Suspense>
      )}
    </>
  );
};
