import { type CustomerHit, type CustomerMatchKind, providerLabels } from '@desk/shared';
import Search from '@mui/icons-material/Search';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import InputAdornment from '@mui/material/InputAdornment';
import Paper, { type PaperProps } from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { createContext, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useDataProvider, useNavigate } from 'react-admin';
import type { DeskDataProvider } from '../dataProvider';
import { StageChip } from '../stages/StageChip';

const matchLabels: Record<CustomerMatchKind, string> = {
  application_id: 'application id',
  customer_id: 'customer id',
  provider_id: 'provider id',
  email: 'email',
  phone: 'phone',
  last4: 'last four of ID number',
  email_prefix: 'email',
  name_prefix: 'name',
  name_fuzzy: 'similar name',
};

/**
 * Where a hit leads: the customer page, or straight to the case when the term was one
 * application's id (desk or provider).
 */
function targetOf(hit: CustomerHit, term: string): string {
  const wanted = term.toLowerCase();
  const application =
    hit.matchedOn === 'application_id' || hit.matchedOn === 'provider_id'
      ? hit.applications.find((a) => a.id.toLowerCase() === wanted || a.providerApplicationId.toLowerCase() === wanted)
      : undefined;
  return application ? `/applications/${application.id}/show` : `/customers/${hit.id}`;
}

/** The lookup's note when the term cannot single anyone out, and what to add. */
const AmbiguityHint = createContext<string | null>(null);

/** The answers' dropdown, the note (if any) on top. */
const PaperWithHint = ({ children, ...props }: PaperProps) => {
  const hint = useContext(AmbiguityHint);
  return (
    <Paper {...props}>
      {hint && (
        <Typography
          variant="caption"
          color="text.secondary"
          component="div"
          role="status"
          data-testid="search-ambiguous"
          sx={{ px: 2, pt: 1, pb: 0.5, borderBottom: 1, borderColor: 'divider' }}
        >
          {hint}
        </Typography>
      )}
      {children}
    </Paper>
  );
};

/**
 * Searches as you type (debounced, stale answers dropped); `/` focuses it from anywhere. It
 * takes over from the app bar's plain field (`CustomerSearch`) with what was typed there
 * (`initialInput`) and, when that field had the focus, the focus and an open list.
 */
export const SearchBox = ({ initialInput, focused }: { initialInput: string; focused: boolean }) => {
  const navigate = useNavigate();
  const dataProvider = useDataProvider<DeskDataProvider>();
  const [input, setInput] = useState(initialInput);
  const [open, setOpen] = useState(focused && initialInput !== '');
  const [hits, setHits] = useState<CustomerHit[]>([]);
  const [hint, setHint] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const field = useRef<HTMLInputElement | null>(null);

  // Before the first paint, so no keystroke falls between the plain field and this one.
  const focusOnMount = useRef(focused);
  useLayoutEffect(() => {
    const input = field.current;
    if (!focusOnMount.current || !input) return;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }, []);

  useEffect(() => {
    const term = input.trim();
    if (term.length < 3) {
      setHits([]);
      setHint(null);
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      dataProvider
        .searchCustomers(term, controller.signal)
        .then((result) => {
          setHits(result.data);
          setHint(result.ambiguous?.hint ?? null);
        })
        .catch(() => {
          if (!controller.signal.aborted) {
            setHits([]);
            setHint(null);
          }
        })
        .finally(() => {
          if (!controller.signal.aborted) setLoading(false);
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [input, dataProvider]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target;
      const typing =
        target instanceof HTMLElement &&
        (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
      if (event.key === '/' && !typing) {
        event.preventDefault();
        field.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <AmbiguityHint.Provider value={hint}>
      <Autocomplete<CustomerHit, false, false, false>
        size="small"
        options={hits}
        open={open}
        onOpen={() => setOpen(true)}
        onClose={() => setOpen(false)}
        loading={loading}
        filterOptions={(options) => options}
        getOptionLabel={(hit) => hit.name}
        isOptionEqualToValue={(a, b) => a.id === b.id}
        noOptionsText={
          input.trim().length < 3
            ? 'Type a name (a birth year narrows it), email, phone, last four or id'
            : 'No customer found'
        }
        inputValue={input}
        onInputChange={(_event, value, reason) => {
          if (reason !== 'reset') setInput(value);
        }}
        value={null}
        onChange={(_event, hit) => {
          if (!hit) return;
          setInput('');
          setHits([]);
          field.current?.blur();
          navigate(targetOf(hit, input.trim()));
        }}
        forcePopupIcon={false}
        autoHighlight
        sx={{ width: { xs: 220, md: 380 }, mx: 2 }}
        slots={{ paper: PaperWithHint }}
        slotProps={{ paper: { sx: { minWidth: 'min(460px, calc(100vw - 16px))' } } }}
        renderOption={(props, hit) => {
          const { key, ...rest } = props;
          return (
            <Box
              component="li"
              key={key}
              {...rest}
              data-testid="search-result"
              data-customer-id={hit.id}
              sx={{ display: 'block !important' }}
            >
              <Box sx={{ display: 'flex', justifyContent: 'space-between', gap: 1 }}>
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {hit.name}
                </Typography>
                <Typography variant="caption" color="text.secondary">
                  matched on {matchLabels[hit.matchedOn]}
                  {targetOf(hit, input.trim()).startsWith('/applications/') ? ' · opens the case' : ''}
                </Typography>
              </Box>
              <Typography variant="caption" color="text.secondary" component="div">
                {hit.email} · {hit.phone}
              </Typography>
              <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', mt: 0.25 }}>
                {hit.applications.map((a) => (
                  <Box key={a.id} sx={{ display: 'flex', alignItems: 'center', gap: 0.5, fontSize: 12 }}>
                    {providerLabels[a.provider]} <StageChip stage={a.stage} />
                  </Box>
                ))}
              </Box>
            </Box>
          );
        }}
        renderInput={(params) => (
          <TextField
            {...params}
            inputRef={field}
            placeholder="Find a customer  ( / )"
            variant="outlined"
            sx={{ '& .MuiOutlinedInput-root': { bgcolor: 'background.paper', borderRadius: 1 } }}
            slotProps={{
              ...params.slotProps,
              input: {
                ...params.slotProps.input,
                startAdornment: (
                  <InputAdornment position="start">
                    <Search fontSize="small" />
                  </InputAdornment>
                ),
              },
              htmlInput: {
                ...params.slotProps.htmlInput,
                'data-testid': 'global-search',
                'aria-label': 'Find a customer',
              },
            }}
          />
        )}
      />
    </AmbiguityHint.Provider>
  );
};
