import SearchIcon from '@mui/icons-material/Search';
import InputAdornment from '@mui/material/InputAdornment';
import OutlinedInput from '@mui/material/OutlinedInput';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useApplicationFilter } from './useApplicationFilter';

const debounceMs = 400;

/** Free text (`q`), matched as the customer lookup matches it (names, misspelt too; email; phone; last four; ids). Debounced. */
export const SearchFilter = () => {
  const { filter, change } = useApplicationFilter();
  const [text, setText] = useState(filter.q);
  // The latest `change` (it closes over the latest filter), so a debounced write never
  // undoes a criterion set in the meantime.
  const changeRef = useRef(change);
  useLayoutEffect(() => {
    changeRef.current = change;
  });
  const applied = filter.q;

  // Follow outside changes (clear filters, back/forward navigation).
  useEffect(() => setText(applied), [applied]);

  useEffect(() => {
    if (text.trim() === applied.trim()) return;
    const timer = window.setTimeout(() => changeRef.current({ q: text }), debounceMs);
    return () => window.clearTimeout(timer);
  }, [text, applied]);

  return (
    <OutlinedInput
      size="small"
      value={text}
      onChange={(event) => setText(event.target.value)}
      placeholder="Name, email, phone, last four or id"
      sx={{ width: 230 }}
      startAdornment={
        <InputAdornment position="start">
          <SearchIcon fontSize="small" />
        </InputAdornment>
      }
      inputProps={{ 'aria-label': 'Search applications', 'data-testid': 'queue-search', maxLength: 200 }}
    />
  );
};
