/**
 * The desk's one way of writing times (see `@desk/shared` `time-zones.ts`): instants with their
 * zone, in the reader's zone; calendar dates without a zone; elapsed time ("3d 4h").
 */
import { formatCalendarDate, formatInstant, type InstantStyle } from '@desk/shared';
import { useCallback } from 'react';
import { useTimeZone } from './timeZone';

export { formatAge } from './formatAge';
export { formatCalendarDate, formatInstant };

/** `format(value, style)` in the reader's zone: "7 Dec 2026, 14:05 CET". */
export function useFormatInstant(): (value: string | Date, style?: InstantStyle) => string {
  const { zone } = useTimeZone();
  return useCallback((value, style = 'full') => formatInstant(value, zone, style), [zone]);
}
