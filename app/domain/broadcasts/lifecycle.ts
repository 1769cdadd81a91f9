// Lifecycle automation kinds and timing (pure, `now` passed in). Isomorphic: the admin UI imports the
// kinds (a value imported from a *.server module is undefined in the browser bundle).
import { checkText } from "~/domain/line/text-limits";

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

export type LifecycleFormProblem = "days_range" | "text_empty" | "text_too_long" | "segment_unknown";

/**
 * Problems in one automation's form (pure): field → problem. `segmentIds` must be among
 * `knownSegmentIds`. The text is measured as LINE measures a text message (UTF-16 units,
 * app/domain/line/text-limits.ts).
 */
export function checkLifecycleForm(
  kind: LifecycleKind,
  input: { days: number | null; text: string; segmentIds: number[] },
  knownSegmentIds: ReadonlySet<number>,
): Record<string, LifecycleFormProblem> {
  const out: Record<string, LifecycleFormProblem> = {};
  const field = LIFECYCLE_DAY_FIELD[kind];
  if (field) {
    const { min, max } = LIFECYCLE_DAY_LIMITS[field];
    if (input.days === null || !Number.isInteger(input.days) || input.days < min || input.days > max) out.days = "days_range";
  }
  const text = checkText("messageText", input.text);
  if (text) out.text = text.code === "empty" ? "text_empty" : "text_too_long";
  if (input.segmentIds.some((id) => !knownSegmentIds.has(id))) out.segmentIds = "segment_unknown";
  return out;
}
