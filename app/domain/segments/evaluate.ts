// Single-friend evaluation over loaded facts: the reference semantics the SQL compiler must match.
import type { Condition, SegmentDefinition } from "./schema";
import { compareNumber, daysSinceRange, friendAddedRange, inAbandonedRange, inRange, withinDaysFrom, type EvalContext } from "./bounds";

export type { EvalContext } from "./bounds";

export interface CustomerFacts {
  purchaseCount: number;
  lastPurchaseAt: Date | null;
  amountSpent: number;
  tags: string[];
  abandonedCheckoutAt: Date | null;
}

export interface FriendFacts {
  followedAt: Date | null;
  following: boolean;
  marketingOptOut: boolean;
  /** Friend tag names. */
  tags: string[];
  /** The linked Shopify customer, null when not linked. */
  customer: CustomerFacts | null;
  /** CustomerProduct rows of the linked customer (product id as a decimal string). */
  products: Array<{ productId: string; lastPurchasedAt: Date }>;
  linkClicks: Array<{ at: Date; linkId: number; linkTag: string | null }>;
  taps: Array<{ at: Date; richMenuId: number | null; area: string | null }>;
}

/** Bought at least once: the precondition of every purchase condition (even `lt`). */
export function hasPurchased(f: FriendFacts): boolean {
  return f.customer !== null && f.customer.purchaseCount > 0;
}

function evaluateCondition(c: Condition, f: FriendFacts, ctx: EvalContext): boolean {
  const cust = f.customer;
  switch (c.field) {
    case "friendAddedAt":
      return inRange(f.followedAt, friendAddedRange(c, ctx));
    case "tag": {
      const list = Array.isArray(c.value) ? c.value : [c.value];
      const any = list.some((t) => f.tags.includes(t));
      return c.op === "has" || c.op === "hasAny" ? any : !any;
    }
    case "shopifyLinked":
      return (cust !== null) === c.value;
    case "marketingConsent":
      return !f.marketingOptOut === c.value;
    case "following":
      return f.following === c.value;
    case "hasPurchased":
      return hasPurchased(f) === c.value;
    case "shopifyTag": {
      const any = cust !== null && c.value.some((t) => cust.tags.includes(t));
      return c.op === "hasAny" ? any : !any;
    }
    case "purchaseCount":
      return hasPurchased(f) && compareNumber(cust!.purchaseCount, c.op, c.value);
    case "amountSpent":
      return hasPurchased(f) && compareNumber(cust!.amountSpent, c.op, c.value);
    case "daysSinceLastPurchase":
      return hasPurchased(f) && inRange(cust!.lastPurchaseAt, daysSinceRange(c.op, c.value, ctx));
    case "abandonedCart":
      return (cust !== null && inAbandonedRange(cust.abandonedCheckoutAt, c, ctx)) === c.value;
    case "productPurchased": {
      if (!hasPurchased(f)) return false;
      const from = c.withinDays !== undefined ? withinDaysFrom(c.withinDays, ctx) : undefined;
      const any = f.products.some(
        (p) => c.value.includes(p.productId) && (from === undefined || p.lastPurchasedAt.getTime() >= from.getTime()),
      );
      return c.op === "hasAny" ? any : !any;
    }
    case "linkClicked": {
      const from = c.withinDays !== undefined ? withinDaysFrom(c.withinDays, ctx).getTime() : -Infinity;
      const n = f.linkClicks.filter(
        (k) =>
          k.at.getTime() >= from &&
          (c.linkId === undefined || k.linkId === c.linkId) &&
          (c.linkTag === undefined || k.linkTag === c.linkTag),
      ).length;
      return compareNumber(n, c.op, c.value);
    }
    case "richMenuTapped": {
      const from = c.withinDays !== undefined ? withinDaysFrom(c.withinDays, ctx).getTime() : -Infinity;
      const n = f.taps.filter(
        (t) =>
          t.at.getTime() >= from &&
          (c.richMenuId === undefined || t.richMenuId === c.richMenuId) &&
          (c.area === undefined || t.area === c.area),
      ).length;
      return compareNumber(n, c.op, c.value);
    }
  }
}

/** Groups are OR-ed, conditions AND-ed; zero groups match every friend. */
export function evaluateDefinition(def: SegmentDefinition, f: FriendFacts, ctx: EvalContext): boolean {
  if (def.groups.length === 0) return true;
  return def.groups.some((g) => g.conditions.every((c) => evaluateCondition(c, f, ctx)));
}

export type ExclusionReason = "blocked" | "optedOut";

/** Why a friend may not receive marketing sends (blocked wins when both apply). */
export function exclusionReason(f: Pick<FriendFacts, "following" | "marketingOptOut">): ExclusionReason | null {
  if (!f.following) return "blocked";
  if (f.marketingOptOut) return "optedOut";
  return null;
}
