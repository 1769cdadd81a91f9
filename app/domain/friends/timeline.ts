// A friend's conversation as the merchant reads it: what the friend sent (LINE message and postback
// events) and what the shop sent (MessageSend rows), merged newest first and paged with a keyset
// cursor, so a long history never needs OFFSET. Pure: the service loads one page of each side.

/** "in" = the friend sent it (a LINE webhook event); "out" = the shop sent it (a MessageSend). */
export type TimelineDirection = "in" | "out";

/** Where the listing stopped: the last entry shown. Entries after it sort strictly after it. */
export interface TimelineCursor {
  at: number;
  direction: TimelineDirection;
  id: number;
}

export interface TimelineKey {
  at: Date;
  direction: TimelineDirection;
  id: number;
}

// Same-millisecond entries keep a stable order: received before sent, then newest row first.
const RANK: Record<TimelineDirection, number> = { in: 0, out: 1 };

/** Newest first: later time, then received before sent, then higher id. */
export function compareTimeline(a: TimelineKey, b: TimelineKey): number {
  return b.at.getTime() - a.at.getTime() || RANK[a.direction] - RANK[b.direction] || b.id - a.id;
}

/** What one side must satisfy to come after a cursor (see afterCursor). */
export interface TimelineBound {
  before: Date;
  /** Rows at exactly `before` also come after the cursor (this side sorts after the cursor's side). */
  inclusive: boolean;
  /** Rows at exactly `before` come after the cursor only when their id is lower (the cursor's own side). */
  sameTimeIdBelow: number | null;
}

/** The bound one side must satisfy to come after `cursor` (null: the first page, no bound). */
export function afterCursor(cursor: TimelineCursor | null, direction: TimelineDirection): TimelineBound | null {
  if (!cursor) return null;
  const before = new Date(cursor.at);
  if (direction === cursor.direction) return { before, inclusive: false, sameTimeIdBelow: cursor.id };
  return { before, inclusive: RANK[direction] > RANK[cursor.direction], sameTimeIdBelow: null };
}

/** A bound as a Prisma-shaped filter on the side's time column (plain object: the domain imports no Prisma). */
export function timelineBoundWhere<K extends string>(bound: TimelineBound, column: K) {
  if (bound.sameTimeIdBelow !== null)
    return { OR: [{ [column]: { lt: bound.before } }, { [column]: bound.before, id: { lt: bound.sameTimeIdBelow } }] } as {
      OR: Array<Record<string, unknown>>;
    };
  return { [column]: bound.inclusive ? { lte: bound.before } : { lt: bound.before } } as Record<K, { lt?: Date; lte?: Date }>;
}

/**
 * One page from the two sides (each already filtered by `afterCursor`, ordered newest first and
 * holding up to `pageSize + 1` rows): the merged first `pageSize` and the cursor of the next page
 * (null when nothing is left).
 */
export function mergeTimeline<T extends TimelineKey>(
  inbound: T[],
  outbound: T[],
  pageSize: number,
): { items: T[]; next: TimelineCursor | null } {
  const all = [...inbound, ...outbound].sort(compareTimeline);
  const items = all.slice(0, pageSize);
  const last = items[items.length - 1];
  return { items, next: all.length > pageSize && last ? { at: last.at.getTime(), direction: last.direction, id: last.id } : null };
}

/** The cursor as a URL parameter ("1764547200000.in.42"); null for anything malformed. */
export function encodeCursor(c: TimelineCursor): string {
  return `${c.at}.${c.direction}.${c.id}`;
}

export function decodeCursor(s: string | null | undefined): TimelineCursor | null {
  const m = /^(\d{1,15})\.(in|out)\.(\d{1,10})$/.exec(s ?? "");
  return m ? { at: Number(m[1]), direction: m[2] as TimelineDirection, id: Number(m[3]) } : null;
}
