import BookmarkBorder from '@mui/icons-material/BookmarkBorder';
import Close from '@mui/icons-material/Close';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Divider from '@mui/material/Divider';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNotify } from 'react-admin';
import { emptyApplicationFilter, filterQueryParams, isFilterEmpty, readApplicationFilter } from '../applications/applicationFilter';
import { useApplicationFilter } from '../applications/useApplicationFilter';
import { deleteSavedFilter, listSavedFilters, saveFilter } from './workflowApi';

/** The queue's filter values from a saved query string (the inverse of `filterQueryParams`). */
function filterOf(query: string) {
  const params = new URLSearchParams(query);
  return readApplicationFilter({
    stage: params.getAll('stage'),
    provider: params.getAll('provider'),
    providerStatus: params.getAll('providerStatus'),
    flag: params.getAll('flag'),
    assignee: params.get('assignee') ?? undefined,
    sla: params.get('sla') ?? undefined,
    q: params.get('q') ?? undefined,
  });
}

/** Your saved queue filters: apply one, save the current filter under a name, delete. */
export const SavedFilters = () => {
  const { filter, change } = useApplicationFilter();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const notify = useNotify();
  const queryClient = useQueryClient();
  const saved = useQuery({ queryKey: ['saved-filters'], queryFn: ({ signal }) => listSavedFilters(signal) });
  const reload = () => void queryClient.invalidateQueries({ queryKey: ['saved-filters'] });

  const save = () => {
    setAnchor(null);
    const name = window.prompt('Name this filter');
    if (!name?.trim()) return;
    // The age filter is relative to now, so it is not part of a saved filter.
    const query = filterQueryParams({ ...filter, olderThanDays: null }, { withStage: true }).toString();
    saveFilter(name.trim(), query)
      .then(() => {
        notify(`Saved "${name.trim()}"`, { type: 'info' });
        reload();
      })
      .catch((err: unknown) => notify(err instanceof Error ? err.message : 'The filter was not saved', { type: 'error' }));
  };

  return (
    <>
      <Button startIcon={<BookmarkBorder />} onClick={(e) => setAnchor(e.currentTarget)} data-testid="saved-filters">
        Saved filters
      </Button>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {(saved.data?.data ?? []).map((f) => (
          <MenuItem
            key={f.id}
            data-testid="saved-filter"
            onClick={() => {
              setAnchor(null);
              change({ ...emptyApplicationFilter, ...filterOf(f.query) });
            }}
          >
            <ListItemText primary={f.name} secondary={f.query || 'everything'} />
            <IconButton
              size="small"
              aria-label={`Delete ${f.name}`}
              onClick={(event) => {
                event.stopPropagation();
                deleteSavedFilter(f.id).then(reload, (err: unknown) => notify(err instanceof Error ? err.message : 'failed', { type: 'error' }));
              }}
            >
              <Close fontSize="small" />
            </IconButton>
          </MenuItem>
        ))}
        {(saved.data?.data ?? []).length > 0 && <Divider />}
        <MenuItem onClick={save} disabled={isFilterEmpty(filter)} data-testid="save-filter">
          Save the current filter…
        </MenuItem>
      </Menu>
    </>
  );
};
