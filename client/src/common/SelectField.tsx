import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import InputLabel from '@mui/material/InputLabel';
import NativeSelect from '@mui/material/NativeSelect';
import OutlinedInput from '@mui/material/OutlinedInput';
import type { SxProps, Theme } from '@mui/material/styles';
import { type ReactNode, useId } from 'react';

interface SelectFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** `<option>` elements. */
  children: ReactNode;
  sx?: SxProps<Theme>;
  helperText?: string | undefined;
  testId?: string;
}

/**
 * A labelled select in the look of the desk's outlined fields, on the browser's own `<select>`
 * (MUI's `NativeSelect`): its list is the platform's, keyboard and screen-reader ready, and it
 * brings none of the menu, popover and modal a `TextField` select fetches, so the screens that
 * show one on arrival (the queue's filters and page size) stay light. A native select is as wide
 * as its longest option, so give it a width (`sx`); a longer choice is cut with an ellipsis.
 */
export const SelectField = ({ label, value, onChange, children, sx, helperText, testId }: SelectFieldProps) => {
  const id = useId();
  return (
    <FormControl sx={sx}>
      <InputLabel shrink htmlFor={id}>
        {label}
      </InputLabel>
      <NativeSelect
        value={value}
        onChange={(event) => onChange(event.target.value)}
        input={<OutlinedInput notched label={label} />}
        inputProps={{ id, ...(testId ? { 'data-testid': testId } : {}) }}
      >
        {children}
      </NativeSelect>
      {helperText ? <FormHelperText>{helperText}</FormHelperText> : null}
    </FormControl>
  );
};
