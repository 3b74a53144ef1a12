import FilterAltOff from '@mui/icons-material/FilterAltOff';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import { type FormEvent, useEffect, useState } from 'react';
import { type AuditFilter, type AuditFilterKey, fromLocalInput, isFiltered, toLocalInput } from './auditFilter';

const textFields: {
  key: Exclude<AuditFilterKey, 'from' | 'to' | 'order'>;
  label: string;
  width: number;
  helper?: string;
  testId?: string;
}[] = [
  { key: 'actor', label: 'Actor', width: 210, helper: 'Email, staff id or system' },
  {
    key: 'action',
    label: 'Action',
    width: 200,
    helper: 'Exact, or prefix: auth. / auth*',
    testId: 'audit-filter-action',
  },
  { key: 'entityType', label: 'Entity type', width: 130 },
  { key: 'entityId', label: 'Entity id', width: 240 },
];

/** Text filters apply on Enter (or Apply); times and order apply at once. */
export const AuditFilters = ({ filter, onChange }: { filter: AuditFilter; onChange: (next: AuditFilter) => void }) => {
  const [draft, setDraft] = useState<AuditFilter>(filter);
  // Back/forward or a pasted URL: the fields follow the page.
  useEffect(() => setDraft(filter), [filter]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft);
  };
  const setTime = (key: 'from' | 'to', value: string) => onChange({ ...draft, [key]: fromLocalInput(value) });

  return (
    <Box
      component="form"
      onSubmit={submit}
      aria-label="Filter the audit trail"
      sx={{
        display: 'flex',
        flexWrap: 'wrap',
        alignItems: 'flex-start',
        gap: 1,
        px: 1.5,
        pt: 1.75,
        pb: 1,
        borderBottom: 1,
        borderColor: 'divider',
      }}
    >
      {textFields.map(({ key, label, width, helper, testId }) => (
        <TextField
          key={key}
          label={label}
          value={draft[key] ?? ''}
          onChange={(event) => setDraft({ ...draft, [key]: event.target.value || undefined })}
          helperText={helper}
          sx={{ width }}
          slotProps={{
            inputLabel: { shrink: true },
            htmlInput: { 'data-testid': testId ?? `audit-filter-${key}`, spellCheck: false },
          }}
        />
      ))}
      <TextField
        label="From"
        type="datetime-local"
        value={toLocalInput(filter.from)}
        onChange={(event) => setTime('from', event.target.value)}
        sx={{ width: 190 }}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'audit-filter-from' } }}
      />
      <TextField
        label="To (before)"
        type="datetime-local"
        value={toLocalInput(filter.to)}
        onChange={(event) => setTime('to', event.target.value)}
        sx={{ width: 190 }}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'audit-filter-to' } }}
      />
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', minHeight: 40 }}>
        <Button type="submit" variant="contained" size="small" data-testid="audit-filter-apply">
          Apply
        </Button>
        <Button
          size="small"
          onClick={() => onChange({ ...filter, order: filter.order === 'asc' ? undefined : 'asc' })}
          data-testid="audit-order"
        >
          {filter.order === 'asc' ? 'Oldest first' : 'Newest first'}
        </Button>
        <Button
          size="small"
          startIcon={<FilterAltOff />}
          disabled={!isFiltered(filter)}
          onClick={() => onChange({ order: filter.order })}
        >
          Clear
        </Button>
      </Box>
    </Box>
  );
};
