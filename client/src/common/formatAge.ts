const minute = 60 * 1000;
const hour = 60 * minute;
const day = 24 * hour;

/** Time elapsed since `since`, in the two largest units: "3d 4h", "5h 12m", "8m". */
export function formatAge(since: string, now: number): string {
  const elapsed = Math.max(0, now - new Date(since).getTime());
  if (elapsed >= day) return `${Math.floor(elapsed / day)}d ${Math.floor((elapsed % day) / hour)}h`;
  if (elapsed >= hour) return `${Math.floor(elapsed / hour)}h ${Math.floor((elapsed % hour) / minute)}m`;
  return `${Math.floor(elapsed / minute)}m`;
}

/** Whole days elapsed since `since`. */
export function ageInDays(since: string, now: number): number {
  return Math.floor(Math.max(0, now - new Date(since).getTime()) / day);
}
