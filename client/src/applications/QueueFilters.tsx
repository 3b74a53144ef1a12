import FilterAltOff from '@mui/icons-material/FilterAltOff';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { NextCaseButton } from '../workflow/NextCaseButton';
import { SavedFilters } from '../workflow/SavedFilters';
import { SlaFilter } from '../workflow/SlaFilter';
import { AgeFilter } from './AgeFilter';
import { AssigneeFilter } from './AssigneeFilter';
import { defaultApplicationFilter, isDefaultFilter } from './applicationFilter';
import { FlagFilter } from './FlagFilter';
import { ProviderFilter } from './ProviderFilter';
import { ProviderStatusFilter } from './ProviderStatusFilter';
import { SearchFilter } from './SearchFilter';
import { useApplicationFilter } from './useApplicationFilter';

/** The filter bar above the grid. The stage is chosen with the chips above. */
export const QueueFilters = () => {
  const { filter, change } = useApplicationFilter();
  return (
    <Box
      sx={{
        display: 'flex',
        flexWrap: 'wrap',
        alignItems: 'center',
        gap: 1,
        px: 1.5,
        pt: 1.75,
        pb: 1,
        borderBottom: 1,
        borderColor: 'divider',
      }}
    >
      <SearchFilter />
      <ProviderFilter />
      <ProviderStatusFilter />
      <AssigneeFilter />
      <AgeFilter />
      <SlaFilter />
      <FlagFilter />
      <Box sx={{ flex: 1 }} />
      <SavedFilters />
      <NextCaseButton />
      <Button
        startIcon={<FilterAltOff />}
        disabled={isDefaultFilter(filter)}
        onClick={() => change(defaultApplicationFilter)}
      >
        Reset filters
      </Button>
    </Box>
  );
};
