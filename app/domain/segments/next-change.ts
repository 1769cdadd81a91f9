// When can a friend's membership change with no new fact, just because time passes? Returns the
// earliest instant after `now` at which any time-dependent condition of the definition may flip
// (conservative: the overall answer may stay the same then, which only costs one re-evaluation).
// Time-only conditions: withinLastDays / withinDays windows, daysSinceLastPurchase and the
// abandonedCart hour window, and HubSpot / Klaviyo date properties "in the last N days". Absolute
// dates (before/after/between) never move by themselves.
import { providerOfField, type Condition, type SegmentDefinition } from "./schema";
import { propertyText, propertyWhen } from "./property-values";
import type { FriendFacts } from "./evaluate";
import { intRange, type EvalContext } from "./bounds";
import { dayNumber, localDayNumber, startOfLocalDay } from "../time/zoned";

const HOUR = 3_600_000;

/** The instant the local day `days` after `at`'s local day starts. */
function dayAfter(at: Date, days: number, tz: string): number {
  return startOfLocalDay(localDayNumber(at, tz) + days, tz).getTime();
}

function candidates(c: Condition, f: FriendFacts, ctx: EvalContext): number[] {
  const tz = ctx.timeZone;
  const out: number[] = [];
  switch (c.field) {
    case "friendAddedAt":
      // Inside "the last N days" until the start of local day (added day + N).
      if (c.op === "withinLastDays" && f.followedAt) out.push(dayAfter(f.followedAt, c.value, tz));
      break;
    case "daysSinceLastPurchase": {
      const last = f.customer?.lastPurchaseAt;
      if (!last) break;
      // d = days since; the truth can flip only when d reaches lo or hi + 1.
      const [lo, hi] = intRange(c.op, c.value);
      for (const d of [lo, hi + 1]) if (Number.isFinite(d)) out.push(dayAfter(last, d, tz));
      break;
    }
    case "abandonedCart": {
      const at = f.customer?.abandonedCheckoutAt;
      if (!at) break;
      if (c.minHours !== undefined) out.push(at.getTime() + c.minHours * HOUR);
      // Elapsed ≤ maxHours is inclusive: it stops matching just after.
      if (c.maxHours !== undefined) out.push(at.getTime() + c.maxHours * HOUR + 1);
      break;
    }
    case "productPurchased":
      if (c.withinDays !== undefined)
        for (const p of f.products) if (c.value.includes(p.productId)) out.push(dayAfter(p.lastPurchasedAt, c.withinDays, tz));
      break;
    case "linkClicked":
      if (c.withinDays !== undefined) for (const k of f.linkClicks) out.push(dayAfter(k.at, c.withinDays, tz));
      break;
    case "richMenuTapped":
      if (c.withinDays !== undefined) for (const t of f.taps) out.push(dayAfter(t.at, c.withinDays, tz));
      break;
    case "hubspotProperty":
    case "klaviyoProperty":
      // A value on local day d is "within the last N days" from the start of d to the start of d + N.
      if (c.op === "withinLastDays")
        for (const k of f.contacts) {
          if (k.provider !== providerOfField(c.field)) continue;
          const w = propertyWhen(propertyText(k.properties[c.property]));
          if (!w) continue;
          const d = "day" in w ? dayNumber(w.day) : localDayNumber(w.at, tz);
          out.push(startOfLocalDay(d, tz).getTime(), startOfLocalDay(d + c.value, tz).getTime());
        }
      break;
    default:
      break;
  }
  return out;
}

export function nextMembershipChange(def: SegmentDefinition, f: FriendFacts, ctx: EvalContext): Date | null {
  const now = ctx.now.getTime();
  let best = Infinity;
  for (const g of def.groups) for (const c of g.conditions) for (const t of candidates(c, f, ctx)) if (t > now && t < best) best = t;
  return best === Infinity ? null : new Date(best);
}

/** Does the definition depend on time passing at all (worth a sweep)? */
export function isTimeDependent(def: SegmentDefinition): boolean {
  return def.groups.some((g) =>
    g.conditions.some(
      (c) =>
        (c.field === "friendAddedAt" && c.op === "withinLastDays") ||
        c.field === "daysSinceLastPurchase" ||
        (c.field === "abandonedCart" && (c.minHours !== undefined || c.maxHours !== undefined)) ||
        ((c.field === "productPurchased" || c.field === "linkClicked" || c.field === "richMenuTapped") && c.withinDays !== undefined) ||
        ((c.field === "hubspotProperty" || c.field === "klaviyoProperty") && c.op === "withinLastDays"),
    ),
  );
}
