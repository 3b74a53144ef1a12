import SearchIcon from '@mui/icons-material/Search';
import Box from '@mui/material/Box';
import InputAdornment from '@mui/material/InputAdornment';
import OutlinedInput from '@mui/material/OutlinedInput';
import { type ComponentType, useEffect, useRef, useState } from 'react';
import { Allowed } from '../auth/Allowed';
import { accessResources } from '../auth/access';
import { typedInField } from '../workflow/NextCaseButton';

/** The plain field's class, for a layout that places it (as it places the search's `.MuiAutocomplete-root`). */
export const searchFieldClass = 'DeskCustomerSearch-field';

type SearchBoxComponent = ComponentType<{ initialInput: string; focused: boolean }>;

/** The search with its list of hits (MUI's `Autocomplete`), a chunk of its own, once fetched. */
let fetchedSearchBox: SearchBoxComponent | null = null;

/**
 * Fetches the search with its list of hits. A layout that shows the field only on demand (the
 * phone's search button) fetches it first, so the field it shows is the search itself.
 */
export const loadSearchBox = (): Promise<SearchBoxComponent> =>
  import('./CustomerSearchBox').then((m) => {
    fetchedSearchBox = m.SearchBox;
    return m.SearchBox;
  });

/**
 * The field as it first shows: the same look, label and test id as the search, without its
 * list. On first focus (a click, a tab or `/`), or when the pointer comes over it, the search
 * is fetched and takes its place with whatever was typed meanwhile, the focus kept.
 */
const SearchField = () => {
  const [loaded, setLoaded] = useState<{ SearchBox: SearchBoxComponent; focused: boolean } | null>(() =>
    fetchedSearchBox ? { SearchBox: fetchedSearchBox, focused: false } : null,
  );
  const [text, setText] = useState('');
  const field = useRef<HTMLInputElement | null>(null);
  const fetching = useRef(false);

  const fetchSearch = () => {
    if (fetching.current) return;
    fetching.current = true;
    loadSearchBox()
      .then((SearchBox) => setLoaded({ SearchBox, focused: document.activeElement === field.current }))
      .catch(() => {
        // Offline or a new release: the next focus tries again.
        fetching.current = false;
      });
  };

  useEffect(() => {
    if (loaded) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '/' && !typedInField(event)) {
        event.preventDefault();
        field.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [loaded]);

  if (loaded) return <loaded.SearchBox initialInput={text} focused={loaded.focused} />;
  return (
    <Box className={searchFieldClass} sx={{ width: { xs: 220, md: 380 }, mx: 2 }} onPointerEnter={fetchSearch}>
      <OutlinedInput
        size="small"
        fullWidth
        value={text}
        onChange={(event) => setText(event.target.value)}
        onFocus={fetchSearch}
        inputRef={field}
        placeholder="Find a customer  ( / )"
        startAdornment={
          <InputAdornment position="start">
            <SearchIcon fontSize="small" />
          </InputAdornment>
        }
        inputProps={{ 'data-testid': 'global-search', 'aria-label': 'Find a customer', autoComplete: 'off' }}
        sx={{ bgcolor: 'background.paper', borderRadius: 1 }}
      />
    </Box>
  );
};

/** The app bar's customer search, for roles that may read customers. */
export const CustomerSearch = () => (
  <Allowed resource={accessResources.customers} action="list">
    <SearchField />
  </Allowed>
);
