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

/** The day count each lifecycle automation is timed by (welcome has none). */
export const LIFECYCLE_DAY_FIELD: Record<LifecycleKind, "daysBefore" | "afterDays" | "dormantDays" | null> = {
  replenishment: "daysBefore",
  review: "afterDays",
  winback: "dormantDays",
  welcome: null,
};

/**
 * Sane bounds for the day counts, inclusive: a reminder up to 60 days before a predicted run-out, a
 * review request up to 90 days after delivery, win-back after 7 days to 2 years without a purchase.
 * (A negative count used to reach the settings schema and show its raw error dump.)
 */
export const LIFECYCLE_DAY_LIMITS: Record<"daysBefore" | "afterDays" | "dormantDays", { min: number; max: number }> = {
  daysBefore: { min: 0, max: 60 },
  afterDays: { min: 0, max: 90 },
  dormantDays: { min: 7, max: 730 },
};
