import { formatAge } from '../common/formatAge';

/** "in 2d 3h", "5h 12m ago": how far the due time is from now. */
export function formatDue(dueAt: string, now: number): string {
  const due = new Date(dueAt).getTime();
  if (Number.isNaN(due)) return dueAt;
  const distance = formatAge(new Date(Math.min(due, now)).toISOString(), Math.max(due, now));
  return due >= now ? `in ${distance}` : `${distance} ago`;
}
