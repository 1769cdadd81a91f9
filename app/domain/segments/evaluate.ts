// Single-friend evaluation over loaded facts: the reference semantics the SQL compiler must match.
import type { Provider } from "../integrations/types";
import { providerOfField, type Condition, type PropertyTest, type SegmentDefinition } from "./schema";
import {
  compareNumber,
  daysSinceRange,
  friendAddedRange,
  inAbandonedRange,
  inRange,
  propertyDayRange,
  withinDaysFrom,
  type EvalContext,
} from "./bounds";
import { foldAscii, isKnownText, OPTION_SEPARATOR, propertyNumber, propertyText, propertyWhen } from "./property-values";
import { positiveTest, type PositiveTest } from "./property-tests";

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
  /**
   * HubSpot contacts / Klaviyo profiles linked to the friend (IntegrationContact.friendId, set by
   * the match job), with the external ids of the lists each belongs to.
   */
  contacts: Array<{ provider: Provider; properties: Record<string, unknown>; lists: string[] }>;
}

/** A friend's facts with nothing collected yet: the lists start empty (the loader fills them in). */
export function friendFacts(f: Pick<FriendFacts, "followedAt" | "following" | "marketingOptOut"> & Partial<FriendFacts>): FriendFacts {
  return { tags: [], customer: null, products: [], linkClicks: [], taps: [], contacts: [], ...f };
}

/** Bought at least once: the precondition of every purchase condition (even `lt`). */
function hasPurchased(f: FriendFacts): boolean {
  return f.customer !== null && f.customer.purchaseCount > 0;
}

/** One contact's property value against a positive property test (property-values.ts). */
function propertyHolds(t: PositiveTest, raw: unknown, ctx: EvalContext): boolean {
  const text = propertyText(raw);
  switch (t.op) {
    case "isKnown":
      return isKnownText(text);
    case "is":
      return text !== null && foldAscii(text) === foldAscii(String(t.value));
    case "contains":
      return text !== null && foldAscii(text).includes(foldAscii(t.value));
    case "hasAny":
      return text !== null && text.split(OPTION_SEPARATOR).some((part) => t.value.includes(part));
    case "eq":
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const n = propertyNumber(text);
      return n !== null && compareNumber(n, t.op, t.value);
    }
    case "between":
      if (typeof t.value[0] === "number") {
        const n = propertyNumber(text);
        return n !== null && compareNumber(n, "between", t.value as [number, number]);
      }
      return whenInRange(propertyDayRange({ op: "between", value: t.value as [string, string] }, ctx), text);
    case "withinLastDays":
    case "before":
    case "after":
      return whenInRange(propertyDayRange(t, ctx), text);
  }
}

function whenInRange(r: ReturnType<typeof propertyDayRange>, text: string | null): boolean {
  const w = propertyWhen(text);
  if (w === null) return false;
  if ("day" in w) return (r.first === undefined || w.day >= r.first) && (r.last === undefined || w.day <= r.last);
  return inRange(w.at, r.instants);
}

/** Some contact of the provider linked to the friend passes the test (negative ops: none does). */
function propertyCondition(t: PropertyTest & { property: string }, contacts: FriendFacts["contacts"], ctx: EvalContext): boolean {
  const { test, negate } = positiveTest(t);
  return contacts.some((c) => propertyHolds(test, c.properties[t.property], ctx)) !== negate;
}

/** How many of the friend's events (clicks, taps) match, within the last `withinDays` days when set. */
function eventsWithin<E extends { at: Date }>(
  events: E[],
  withinDays: number | undefined,
  ctx: EvalContext,
  match: (e: E) => boolean,
): number {
  const from = withinDays !== undefined ? withinDaysFrom(withinDays, ctx).getTime() : -Infinity;
  return events.filter((e) => e.at.getTime() >= from && match(e)).length;
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
      const matches = (k: FriendFacts["linkClicks"][number]) =>
        (c.linkId === undefined || k.linkId === c.linkId) && (c.linkTag === undefined || k.linkTag === c.linkTag);
      return compareNumber(eventsWithin(f.linkClicks, c.withinDays, ctx, matches), c.op, c.value);
    }
    case "richMenuTapped": {
      const matches = (t: FriendFacts["taps"][number]) =>
        (c.richMenuId === undefined || t.richMenuId === c.richMenuId) && (c.area === undefined || t.area === c.area);
      return compareNumber(eventsWithin(f.taps, c.withinDays, ctx, matches), c.op, c.value);
    }
    case "hubspotLinked":
    case "klaviyoLinked":
      return contactsOf(f, c.field).length > 0 === c.value;
    case "hubspotList":
    case "klaviyoList": {
      const any = contactsOf(f, c.field).some((k) => k.lists.some((id) => c.value.includes(id)));
      return c.op === "hasAny" ? any : !any;
    }
    case "hubspotProperty":
    case "klaviyoProperty":
      return propertyCondition(c, contactsOf(f, c.field), ctx);
  }
}

function contactsOf(f: FriendFacts, field: Condition["field"]): FriendFacts["contacts"] {
  const provider = providerOfField(field);
  return f.contacts.filter((k) => k.provider === provider);
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
