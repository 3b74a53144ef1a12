/**
 * The order of the rows the queue showed last, kept for the tab's session so that `j` / `k` on
 * a case page step to the next / previous case of that queue view without re-reading it.
 */
const key = 'desk.queue.order';

export interface QueueOrder {
  ids: string[];
  /** The queue view these rows came from (its URL), to go back to it. */
  from: string;
}

export function rememberQueueOrder(order: QueueOrder): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(order));
  } catch {
    // Storage full or disabled: j / k on the case page then simply do nothing.
  }
}

export function readQueueOrder(): QueueOrder | null {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(key) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null) return null;
    const ids: unknown = 'ids' in parsed ? parsed.ids : undefined;
    const from: unknown = 'from' in parsed ? parsed.from : undefined;
    if (!Array.isArray(ids) || typeof from !== 'string') return null;
    return { ids: ids.filter((id): id is string => typeof id === 'string'), from };
  } catch {
    return null;
  }
}

/** The case before (-1) or after (+1) `id` in the remembered queue, or null at either end. */
export function neighbourOf(id: string, step: -1 | 1): { id: string; position: number; total: number } | null {
  const order = readQueueOrder();
  if (!order) return null;
  const index = order.ids.indexOf(id);
  if (index === -1) return null;
  const next = order.ids[index + step];
  return next === undefined ? null : { id: next, position: index + step + 1, total: order.ids.length };
}

/** Where `id` sits in the remembered queue (1-based), or null when it is not in it. */
export function positionOf(id: string): { position: number; total: number } | null {
  const order = readQueueOrder();
  const index = order?.ids.indexOf(id) ?? -1;
  return order && index !== -1 ? { position: index + 1, total: order.ids.length } : null;
}
