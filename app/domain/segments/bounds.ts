// The time and number semantics of every condition, in one place, so the SQL compiler and the
// single-friend evaluator cannot drift apart (the property test in test/integration checks it).
import type { Condition, NumericOp, NumericValue, PropertyTest } from "./schema";
import { dateOfDayNumber, dayNumber, localDayNumber, startOfLocalDay } from "../time/zoned";

export interface EvalContext {
  now: Date;
  /** The shop's IANA time zone (Shop.timezone). */
  timeZone: string;
}

/** Half-open instant range: from ≤ t < to (either end open when undefined). */
export interface InstantRange {
  from?: Date;
  to?: Date;
}

export function inRange(t: Date | null | undefined, r: InstantRange): boolean {
  if (!t) return false;
  const x = t.getTime();
  return (r.from === undefined || x >= r.from.getTime()) && (r.to === undefined || x < r.to.getTime());
}

function today(ctx: EvalContext): number {
  return localDayNumber(ctx.now, ctx.timeZone);
}

/**
 * "within the last N days" counts today as day 1: from the start of local day (today − N + 1).
 * So withinLastDays 1 = today (shop-local), 7 = today and the 6 days before.
 */
export function withinDaysFrom(n: number, ctx: EvalContext): Date {
  return startOfLocalDay(today(ctx) - n + 1, ctx.timeZone);
}

export function friendAddedRange(c: Extract<Condition, { field: "friendAddedAt" }>, ctx: EvalContext): InstantRange {
  const tz = ctx.timeZone;
  switch (c.op) {
    case "withinLastDays":
      return { from: withinDaysFrom(c.value, ctx) };
    case "before":
      return { to: startOfLocalDay(dayNumber(c.value), tz) };
    case "after":
      // "after 2026-01-01" = from 2026-01-02 00:00 shop time (the named day itself is excluded).
      return { from: startOfLocalDay(dayNumber(c.value) + 1, tz) };
    case "between":
      // Both named days are included whole.
      return { from: startOfLocalDay(dayNumber(c.value[0]), tz), to: startOfLocalDay(dayNumber(c.value[1]) + 1, tz) };
  }
}

/** Inclusive integer range [lo, hi] a whole-number quantity must fall in (±Infinity when open). */
export function intRange(op: NumericOp, value: NumericValue): [number, number] {
  const v = value as number;
  switch (op) {
    case "eq":
      return [v, v];
    case "gt":
      return [Math.floor(v) + 1, Infinity];
    case "gte":
      return [Math.ceil(v), Infinity];
    case "lt":
      return [-Infinity, Math.ceil(v) - 1];
    case "lte":
      return [-Infinity, Math.floor(v)];
    case "between": {
      const [a, b] = value as [number, number];
      return [Math.ceil(a), Math.floor(b)];
    }
  }
}

export function compareNumber(x: number, op: NumericOp, value: NumericValue): boolean {
  switch (op) {
    case "eq":
      return x === value;
    case "gt":
      return x > (value as number);
    case "gte":
      return x >= (value as number);
    case "lt":
      return x < (value as number);
    case "lte":
      return x <= (value as number);
    case "between":
      return x >= (value as [number, number])[0] && x <= (value as [number, number])[1];
  }
}

/**
 * daysSinceLastPurchase = whole shop-local calendar days from the last purchase's local date to
 * today's (bought yesterday at 23:59 → 1). As an instant range on lastPurchaseAt:
 * d ≤ hi ⇔ last ≥ start(today − hi); d ≥ lo ⇔ last < start(today − lo + 1).
 */
export function daysSinceRange(op: NumericOp, value: NumericValue, ctx: EvalContext): InstantRange {
  const [lo, hi] = intRange(op, value);
  const t = today(ctx);
  return {
    from: Number.isFinite(hi) ? startOfLocalDay(t - hi, ctx.timeZone) : undefined,
    to: Number.isFinite(lo) ? startOfLocalDay(t - lo + 1, ctx.timeZone) : undefined,
  };
}

const HOUR = 3_600_000;

/** abandonedCart bounds on abandonedCheckoutAt: hours elapsed in [minHours, maxHours]. */
export function abandonedRange(c: { minHours?: number; maxHours?: number }, ctx: EvalContext): { notAfter?: Date; notBefore?: Date } {
  return {
    notAfter: c.minHours !== undefined ? new Date(ctx.now.getTime() - c.minHours * HOUR) : undefined,
    notBefore: c.maxHours !== undefined ? new Date(ctx.now.getTime() - c.maxHours * HOUR) : undefined,
  };
}

export function inAbandonedRange(at: Date | null | undefined, c: { minHours?: number; maxHours?: number }, ctx: EvalContext): boolean {
  if (!at) return false;
  const r = abandonedRange(c, ctx);
  return (
    (r.notAfter === undefined || at.getTime() <= r.notAfter.getTime()) &&
    (r.notBefore === undefined || at.getTime() >= r.notBefore.getTime())
  );
}

/**
 * The shop-local days a hubspotProperty / klaviyoProperty date op accepts, inclusive (YYYY-MM-DD;
 * undefined = open), and the same bounds as an instant range for datetime values. Unlike
 * friendAddedAt, a property date can lie in the future (a renewal date), so "within the last N
 * days" ends with today. after = from the day after; before = up to the day before.
 */
export function propertyDayRange(
  t: Extract<PropertyTest, { op: "withinLastDays" | "before" | "after" }> | { op: "between"; value: [string, string] },
  ctx: EvalContext,
): { first?: string; last?: string; instants: InstantRange } {
  const d = today(ctx);
  const [lo, hi]: [number | undefined, number | undefined] =
    t.op === "withinLastDays"
      ? [d - t.value + 1, d]
      : t.op === "before"
        ? [undefined, dayNumber(t.value) - 1]
        : t.op === "after"
          ? [dayNumber(t.value) + 1, undefined]
          : [dayNumber(t.value[0]), dayNumber(t.value[1])];
  return {
    first: lo === undefined ? undefined : dateOfDayNumber(lo),
    last: hi === undefined ? undefined : dateOfDayNumber(hi),
    instants: {
      from: lo === undefined ? undefined : startOfLocalDay(lo, ctx.timeZone),
      to: hi === undefined ? undefined : startOfLocalDay(hi + 1, ctx.timeZone),
    },
  };
}
