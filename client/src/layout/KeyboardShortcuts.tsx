import KeyboardOutlined from '@mui/icons-material/KeyboardOutlined';
import IconButton from '@mui/material/IconButton';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Hint } from '../common/Hint';
import { typedInField } from '../workflow/NextCaseButton';

/** The list of shortcuts, in a dialog fetched when first opened. */
const ShortcutsHelp = lazy(() => import('./ShortcutsHelp').then((m) => ({ default: m.ShortcutsHelp })));

/** `?` (or the keyboard icon in the app bar) lists the desk's keyboard shortcuts. */
export const KeyboardShortcuts = () => {
  const [open, setOpen] = useState(false);
  // Once opened, the dialog stays mounted, so it closes with its transition.
  const [used, setUsed] = useState(false);
  if (open && !used) setUsed(true);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '?' || event.metaKey || event.ctrlKey || event.altKey || typedInField(event)) return;
      event.preventDefault();
      setOpen((was) => !was);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      <Hint title="Keyboard shortcuts (?)">
        <IconButton
          color="inherit"
          onClick={() => setOpen(true)}
          aria-label="Keyboard shortcuts"
          data-testid="shortcuts-button"
        >
          <KeyboardOutlined fontSize="small" />
        </IconButton>
      </Hint>
      {used && (
        <Suspense fallback={null}>
          <ShortcutsHelp open={open} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
};
