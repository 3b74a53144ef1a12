import Box from '@mui/material/Box';
import { alpha } from '@mui/material/styles';
import {
  cloneElement,
  type FocusEvent,
  type MouseEvent,
  type ReactElement,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { createPortal } from 'react-dom';

type Placement = 'bottom' | 'right';

/** The props a hint gives its element (an icon button, a link, a labelled icon). */
interface HintTarget {
  'aria-label'?: string | undefined;
  'aria-describedby'?: string | undefined;
  onMouseEnter?: ((event: MouseEvent<HTMLElement>) => void) | undefined;
  onMouseLeave?: ((event: MouseEvent<HTMLElement>) => void) | undefined;
  onFocus?: ((event: FocusEvent<HTMLElement>) => void) | undefined;
  onBlur?: ((event: FocusEvent<HTMLElement>) => void) | undefined;
}

/** As the theme's tooltips: after 300 ms under the pointer, at once on keyboard focus. */
const enterDelayMs = 300;
/** Time to move the pointer from the element onto the hint, which then stays (WCAG 1.4.13). */
const leaveDelayMs = 100;
const gap = 10;
const arrow = 6;
const edge = 8;

/**
 * A short text shown beside an element under the pointer or keyboard focus: the desk's light
 * tooltip for the app bar, the menu and the queue's rows, drawn like MUI's (dark label, arrow)
 * without its positioning engine, so the first screen does not fetch it. The element gets the
 * text as its accessible name when it has none (as MUI's tooltip does) and is described by the
 * hint while it shows; Escape hides it, and the pointer may rest on it.
 */
export const Hint = ({
  title,
  placement = 'bottom',
  children,
}: {
  title: string;
  placement?: Placement;
  children: ReactElement<HintTarget>;
}) => {
  const id = useId();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [spot, setSpot] = useState<{ left: number; top: number; arrowLeft: number } | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const tip = useRef<HTMLDivElement | null>(null);
  const own = children.props;

  const later = (ms: number, then: () => void) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(then, ms);
  };
  const hide = useCallback(() => {
    window.clearTimeout(timer.current);
    setAnchor(null);
    setSpot(null);
  }, []);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  useEffect(() => {
    if (!anchor) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') hide();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('scroll', hide, true);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('scroll', hide, true);
    };
  }, [anchor, hide]);

  // Placed once its size is known: beside the element, kept inside the window.
  useLayoutEffect(() => {
    const box = tip.current;
    if (!anchor || !box) return;
    const at = anchor.getBoundingClientRect();
    const { width, height } = box.getBoundingClientRect();
    if (placement === 'right') {
      setSpot({ left: at.right + gap, top: at.top + at.height / 2 - height / 2, arrowLeft: 0 });
      return;
    }
    const centre = at.left + at.width / 2;
    const left = Math.min(Math.max(centre - width / 2, edge), window.innerWidth - width - edge);
    const below = at.bottom + gap + height <= window.innerHeight;
    setSpot({ left, top: below ? at.bottom + gap : at.top - gap - height, arrowLeft: centre - left });
  }, [anchor, placement]);

  const target = cloneElement(children, {
    'aria-label': own['aria-label'] ?? title,
    'aria-describedby': anchor ? id : own['aria-describedby'],
    onMouseEnter: (event: MouseEvent<HTMLElement>) => {
      own.onMouseEnter?.(event);
      const element = event.currentTarget;
      later(enterDelayMs, () => setAnchor(element));
    },
    onMouseLeave: (event: MouseEvent<HTMLElement>) => {
      own.onMouseLeave?.(event);
      later(leaveDelayMs, hide);
    },
    onFocus: (event: FocusEvent<HTMLElement>) => {
      own.onFocus?.(event);
      if (event.currentTarget.matches(':focus-visible')) {
        window.clearTimeout(timer.current);
        setAnchor(event.currentTarget);
      }
    },
    onBlur: (event: FocusEvent<HTMLElement>) => {
      own.onBlur?.(event);
      hide();
    },
  });

  const below = spot !== null && anchor !== null && spot.top >= anchor.getBoundingClientRect().bottom;
  return (
    <>
      {target}
      {anchor &&
        createPortal(
          <Box
            ref={tip}
            id={id}
            role="tooltip"
            onMouseEnter={() => window.clearTimeout(timer.current)}
            onMouseLeave={() => later(leaveDelayMs, hide)}
            sx={(theme) => ({
              position: 'fixed',
              left: spot?.left ?? 0,
              top: spot?.top ?? 0,
              visibility: spot ? 'visible' : 'hidden',
              zIndex: theme.zIndex.tooltip,
              maxWidth: 300,
              px: '8px',
              py: '4px',
              borderRadius: `${theme.shape.borderRadius}px`,
              bgcolor: alpha(theme.palette.grey[700], 0.92),
              color: theme.palette.common.white,
              fontFamily: theme.typography.fontFamily,
              fontSize: theme.typography.pxToRem(11),
              fontWeight: theme.typography.fontWeightMedium,
              lineHeight: 1.4,
              overflowWrap: 'break-word',
              pointerEvents: 'auto',
              '&::before': {
                content: '""',
                position: 'absolute',
                borderStyle: 'solid',
                borderColor: 'transparent',
                ...(placement === 'right'
                  ? {
                      right: '100%',
                      top: '50%',
                      marginTop: `-${arrow}px`,
                      borderWidth: `${arrow}px ${arrow}px ${arrow}px 0`,
                      borderRightColor: alpha(theme.palette.grey[700], 0.92),
                    }
                  : {
                      left: (spot?.arrowLeft ?? 0) - arrow,
                      ...(below
                        ? {
                            bottom: '100%',
                            borderWidth: `0 ${arrow}px ${arrow}px`,
                            borderBottomColor: alpha(theme.palette.grey[700], 0.92),
                          }
                        : {
                            top: '100%',
                            borderWidth: `${arrow}px ${arrow}px 0`,
                            borderTopColor: alpha(theme.palette.grey[700], 0.92),
                          }),
                    }),
              },
            })}
          >
            {title}
          </Box>,
          document.body,
        )}
    </>
  );
};
