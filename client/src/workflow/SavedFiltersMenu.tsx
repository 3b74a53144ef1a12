import { documentFlagLabels, providerLabels, stageLabels } from '@desk/shared';
import BookmarkAdd from '@mui/icons-material/BookmarkAddOutlined';
import Close from '@mui/icons-material/Close';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Divider from '@mui/material/Divider';
import IconButton from '@mui/material/IconButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { HttpError, useDataProvider, useNotify } from 'react-admin';
import { searchParamsOf } from '../api/callApi';
import {
  type ApplicationFilter,
  emptyApplicationFilter,
  filterQuery,
  isFilterEmpty,
  readApplicationFilter,
} from '../applications/applicationFilter';
import { useApplicationFilter } from '../applications/useApplicationFilter';
import type { DeskDataProvider } from '../dataProvider';
import { savedFiltersMenuId, useSavedFilters } from './SavedFilters';

/** The queue's filter values from a saved query string (the inverse of `filterQuery`). */
function filterOf(query: string): ApplicationFilter {
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

const slaLabels: Record<string, string> = {
  breached: 'SLA breached',
  due_soon: 'SLA due soon',
  on_track: 'SLA on track',
};

/** "Manual review, Needs documents · Unassigned" — what a saved query selects, in words. */
function describe(query: string): string {
  if (query === '') return 'everything';
  const f = filterOf(query);
  const parts = [
    f.stage.map((s) => stageLabels[s]).join(', '),
    f.provider.map((p) => providerLabels[p]).join(', '),
    f.providerStatus.join(', '),
    f.flag.map((flag) => `${documentFlagLabels[flag]} raised`).join(', '),
    f.assignee === 'none' ? 'Unassigned' : f.assignee ? 'One assignee' : '',
    f.sla ? (slaLabels[f.sla] ?? '') : '',
    f.q ? `“${f.q}”` : '',
  ];
  return parts.filter((p) => p !== '').join(' · ') || query;
}

const NameDialog = ({
  query,
  onClose,
  onSaved,
}: {
  query: string;
  onClose: () => void;
  onSaved: (name: string) => void;
}) => {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dataProvider = useDataProvider<DeskDataProvider>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') return;
    setBusy(true);
    dataProvider
      .saveFilter(trimmed, query)
      .then(() => onSaved(trimmed))
      .catch((err: unknown) => {
        // 409: the name is taken; 400: the query is not one the queue accepts. Both as the server says.
        setError(err instanceof HttpError || err instanceof Error ? err.message : 'The filter was not saved');
        setBusy(false);
      });
  };

  return (
    <Dialog open onClose={onClose} maxWidth="xs" fullWidth>
      <form onSubmit={submit}>
        <DialogTitle sx={{ pb: 0.5 }}>Save this filter</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" component="div" sx={{ mb: 1.5 }}>
            {describe(query)}
          </Typography>
          <TextField
            autoFocus
            fullWidth
            label="Name"
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              setError(null);
            }}
            error={error !== null}
            helperText={error ?? 'Shown in your list of saved filters'}
            slotProps={{ htmlInput: { maxLength: 80, 'data-testid': 'saved-filter-name' } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy || name.trim() === ''}
            data-testid="saved-filter-submit"
          >
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};

/**
 * The saved filters' menu, under the queue's "Saved filters" button (`SavedFilters`): apply
 * one, save the current filter under a name, delete. A chunk of its own, fetched when the
 * button is first used; it stays mounted after, so the name dialog outlives the menu.
 */
export const SavedFiltersMenu = ({
  anchor,
  setAnchor,
}: {
  anchor: HTMLElement | null;
  setAnchor: (anchor: HTMLElement | null) => void;
}) => {
  const { filter, change } = useApplicationFilter();
  const [naming, setNaming] = useState<string | null>(null);
  const notify = useNotify();
  const dataProvider = useDataProvider<DeskDataProvider>();
  const queryClient = useQueryClient();
  const saved = useSavedFilters();
  const reload = () => void queryClient.invalidateQueries({ queryKey: ['saved-filters'] });
  const filters = saved.data?.data ?? [];
  // The age filter is relative to now, so it is not part of a saved filter.
  const currentQuery = searchParamsOf(filterQuery({ ...filter, olderThanDays: null })).toString();

  return (
    <>
      <Menu
        id={savedFiltersMenuId}
        anchorEl={anchor}
        open={anchor !== null}
        onClose={() => setAnchor(null)}
        slotProps={{ paper: { sx: { minWidth: 280, maxWidth: 420 } } }}
      >
        {saved.error && (
          <MenuItem disabled>
            <ListItemText primary="Saved filters unavailable" secondary={saved.error.message} />
          </MenuItem>
        )}
        {!saved.error && filters.length === 0 && (
          <MenuItem disabled>
            <ListItemText primary="No saved filters yet" secondary="Filter the queue, then save it here" />
          </MenuItem>
        )}
        {filters.map((f) => (
          <MenuItem
            key={f.id}
            data-testid="saved-filter"
            selected={f.query === currentQuery && !isFilterEmpty(filter)}
            onClick={() => {
              setAnchor(null);
              change({ ...emptyApplicationFilter, ...filterOf(f.query) });
            }}
          >
            <ListItemText
              primary={f.name}
              secondary={describe(f.query)}
              slotProps={{ secondary: { noWrap: true, sx: { fontSize: 11.5 } } }}
              sx={{ minWidth: 0, mr: 1 }}
            />
            <IconButton
              size="small"
              aria-label={`Delete ${f.name}`}
              data-testid="saved-filter-delete"
              onClick={(event) => {
                event.stopPropagation();
                dataProvider.deleteSavedFilter(f.id).then(
                  () => {
                    notify(`Deleted "${f.name}"`, { type: 'info' });
                    reload();
                  },
                  (err: unknown) =>
                    notify(err instanceof Error ? err.message : 'The filter was not deleted', { type: 'error' }),
                );
              }}
            >
              <Close fontSize="small" />
            </IconButton>
          </MenuItem>
        ))}
        <Divider />
        <MenuItem
          onClick={() => {
            setAnchor(null);
            setNaming(currentQuery);
          }}
          disabled={isFilterEmpty(filter)}
          data-testid="save-filter"
        >
          <ListItemIcon>
            <BookmarkAdd fontSize="small" />
          </ListItemIcon>
          <ListItemText
            primary="Save the current filter…"
            secondary={isFilterEmpty(filter) ? 'Choose some filters first' : undefined}
          />
        </MenuItem>
      </Menu>
      {naming !== null && (
        <NameDialog
          query={naming}
          onClose={() => setNaming(null)}
          onSaved={(name) => {
            setNaming(null);
            notify(`Saved "${name}"`, { type: 'info' });
            reload();
          }}
        />
      )}
    </>
  );
};
