import { type RfiItemKind, rfiItemKinds } from '@desk/shared';
import Add from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import TextField from '@mui/material/TextField';
import { rfiItemKindLabels } from '../rfis/rfiLabels';

/** One requested item as typed in the "Raise RFI" dialog. */
export interface DraftRfiItem {
  /** Stable React key of the row (not sent). */
  rowId: number;
  kind: RfiItemKind;
  key: string;
  label: string;
  note: string;
  /** False while the key still follows the label. */
  keyEdited: boolean;
}

let nextRowId = 1;

export function newDraftItem(kind: RfiItemKind = 'text'): DraftRfiItem {
  return { rowId: nextRowId++, kind, key: '', label: '', note: '', keyEdited: false };
}

/** "Proof of address" → "proof_of_address". */
function keyFromLabel(label: string): string {
  return label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 100);
}

export interface RfiItemRowsProps {
  items: DraftRfiItem[];
  onChange: (items: DraftRfiItem[]) => void;
  /** Errors by path: `items.0.key`, `items` … */
  errors: Record<string, string>;
  disabled: boolean;
}

/** The dynamic list of items to ask for: kind, key, label, note; rows can be added and removed. */
export const RfiItemRows = ({ items, onChange, errors, disabled }: RfiItemRowsProps) => {
  const patch = (rowId: number, change: Partial<DraftRfiItem>) =>
    onChange(
      items.map((item) => {
        if (item.rowId !== rowId) return item;
        const next = { ...item, ...change };
        if (change.label !== undefined && !item.keyEdited) next.key = keyFromLabel(change.label);
        return next;
      }),
    );

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.25 }} data-testid="raise-rfi-items">
      {items.map((item, index) => {
        const error = (field: string) => errors[`items.${index}.${field}`];
        return (
          <Box
            key={item.rowId}
            data-testid="raise-rfi-item"
            sx={{ display: 'grid', gridTemplateColumns: '130px 1fr 1fr auto', gap: 1, alignItems: 'start' }}
          >
            <TextField
              select
              size="small"
              label="Kind"
              value={item.kind}
              disabled={disabled}
              onChange={(event) =>
                patch(item.rowId, { kind: rfiItemKinds.find((k) => k === event.target.value) ?? item.kind })
              }
              slotProps={{
                select: { native: true },
                inputLabel: { shrink: true },
                htmlInput: { 'data-testid': `raise-rfi-item-kind-${index}` },
              }}
            >
              {rfiItemKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {rfiItemKindLabels[kind]}
                </option>
              ))}
            </TextField>
            <TextField
              size="small"
              label="Label"
              value={item.label}
              disabled={disabled}
              required
              error={error('label') !== undefined}
              helperText={error('label')}
              onChange={(event) => patch(item.rowId, { label: event.target.value })}
              slotProps={{ htmlInput: { 'data-testid': `raise-rfi-item-label-${index}`, maxLength: 200 } }}
            />
            <TextField
              size="small"
              label="Key"
              value={item.key}
              disabled={disabled}
              required
              error={error('key') !== undefined}
              helperText={error('key') ?? (item.kind === 'field' ? 'Field path, e.g. address.line1' : undefined)}
              onChange={(event) => patch(item.rowId, { key: event.target.value, keyEdited: true })}
              slotProps={{
                htmlInput: { 'data-testid': `raise-rfi-item-key-${index}`, maxLength: 100, spellCheck: false },
              }}
            />
            <IconButton
              aria-label={`Remove item ${index + 1}`}
              disabled={disabled || items.length <= 1}
              onClick={() => onChange(items.filter((other) => other.rowId !== item.rowId))}
              data-testid={`raise-rfi-remove-item-${index}`}
            >
              <DeleteOutline />
            </IconButton>
            <TextField
              size="small"
              label="Note (optional)"
              value={item.note}
              disabled={disabled}
              error={error('note') !== undefined}
              helperText={error('note')}
              onChange={(event) => patch(item.rowId, { note: event.target.value })}
              sx={{ gridColumn: '2 / 4' }}
              slotProps={{ htmlInput: { 'data-testid': `raise-rfi-item-note-${index}`, maxLength: 1000 } }}
            />
          </Box>
        );
      })}
      <Box>
        <Button
          size="small"
          startIcon={<Add />}
          disabled={disabled || items.length >= 50}
          onClick={() => onChange([...items, newDraftItem()])}
          data-testid="raise-rfi-add-item"
        >
          Add item
        </Button>
      </Box>
    </Box>
  );
};
