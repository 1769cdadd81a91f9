// Lifecycle automation kinds and timing (pure, `now` passed in). Isomorphic: the admin UI imports the
// kinds (a value imported from a *.server module is undefined in the browser bundle).
const DAY = 86_400_000;

export const LIFECYCLE_KINDS = ["replenishment", "review", "winback", "welcome"] as const;
export type LifecycleKind = (typeof LIFECYCLE_KINDS)[number];

export type ReplenishmentInput = {
  lastPurchasedAt: Date;
  orderCount: number;
  ownIntervalDays: number | null;
  shopMedianDays: number | null;
  daysBefore: number;
};

/**
 * When to remind: predicted run-out minus X days. Own re-buy interval when the customer bought the
 * product at least twice, else the shop's median for it; null when neither is known.
 */
export function replenishmentDueAt(i: ReplenishmentInput): Date | null {
  const interval = i.orderCount >= 2 && i.ownIntervalDays && i.ownIntervalDays > 0 ? i.ownIntervalDays : i.shopMedianDays;
  if (!interval || interval <= 0) return null;
  return new Date(i.lastPurchasedAt.getTime() + (interval - i.daysBefore) * DAY);
}

export function reviewDueAt(deliveredAt: Date, afterDays: number): Date {
  return new Date(deliveredAt.getTime() + afterDays * DAY);
}

/** Due items older than this are stale (e.g. the app was off for weeks): skip instead of sending late. */
export function isStale(dueAt: Date, now: Date, graceDays: number): boolean {
  return now.getTime() - dueAt.getTime() > graceDays * DAY;
}

/** Quiet hours in the shop's local hour (start inclusive, end exclusive; may wrap midnight). */
export function inQuietHours(localHour: number, quiet: { start: number; end: number } | null | undefined): boolean {
  if (!quiet || quiet.start === quiet.end) return false;
  return quiet.start < quiet.end ? localHour >= quiet.start && localHour < quiet.end : localHour >= quiet.start || localHour < quiet.end;
}
