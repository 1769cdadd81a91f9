import { describe, expect, it } from "vitest";
import { evaluateDefinition, exclusionReason, friendFacts, type FriendFacts } from "./evaluate";
import { parseDefinition, type Condition, type SegmentDefinition } from "./schema";
import { startOfLocalDate, localDayNumber, dayNumber } from "../time/zoned";

const TOKYO = "Asia/Tokyo";
// 2026-03-10 12:00 in Tokyo.
const NOW = new Date("2026-03-10T03:00:00Z");
const ctx = { now: NOW, timeZone: TOKYO };

function facts(over: Partial<FriendFacts> = {}): FriendFacts {
  return friendFacts({ followedAt: new Date("2026-03-05T00:00:00Z"), following: true, marketingOptOut: false, ...over });
}
const customer = (over: Partial<NonNullable<FriendFacts["customer"]>> = {}) => ({
  purchaseCount: 3,
  lastPurchaseAt: new Date("2026-01-01T03:00:00Z"),
  amountSpent: 12000,
  tags: ["vip"],
  abandonedCheckoutAt: null,
  ...over,
});
const one = (c: Condition): SegmentDefinition => {
  const r = parseDefinition({ groups: [{ conditions: [c] }] });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.definition;
};

type Row = [string, Condition, Partial<FriendFacts>, boolean];
const tokyoMidnightJan1 = "2025-12-31T15:00:00Z";

const rows: Row[] = [
  // friendAddedAt — shop-local days (Tokyo = UTC+9)
  ["added within 7 days: 5 days ago", { field: "friendAddedAt", op: "withinLastDays", value: 7 }, {}, true],
  [
    "added within 7 days: first instant of day 7",
    { field: "friendAddedAt", op: "withinLastDays", value: 7 },
    { followedAt: startOfLocalDate("2026-03-04", TOKYO) },
    true,
  ],
  [
    "added within 7 days: last instant before day 7",
    { field: "friendAddedAt", op: "withinLastDays", value: 7 },
    { followedAt: new Date(startOfLocalDate("2026-03-04", TOKYO).getTime() - 1) },
    false,
  ],
  [
    "added within 1 day = today only",
    { field: "friendAddedAt", op: "withinLastDays", value: 1 },
    { followedAt: startOfLocalDate("2026-03-10", TOKYO) },
    true,
  ],
  [
    "added within 1 day: yesterday 23:59 local",
    { field: "friendAddedAt", op: "withinLastDays", value: 1 },
    { followedAt: new Date("2026-03-09T14:59:59Z") },
    false,
  ],
  ["no followedAt never matches a date", { field: "friendAddedAt", op: "withinLastDays", value: 7 }, { followedAt: null }, false],
  [
    "before 2026-01-01: 2025-12-31T15:30Z is Jan 1 in Tokyo",
    { field: "friendAddedAt", op: "before", value: "2026-01-01" },
    { followedAt: new Date("2025-12-31T15:30:00Z") },
    false,
  ],
  [
    "before 2026-01-01: 2025-12-31T14:59Z is Dec 31 in Tokyo",
    { field: "friendAddedAt", op: "before", value: "2026-01-01" },
    { followedAt: new Date("2025-12-31T14:59:59Z") },
    true,
  ],
  [
    "after 2026-01-01 excludes the day itself",
    { field: "friendAddedAt", op: "after", value: "2026-01-01" },
    { followedAt: new Date("2025-12-31T15:30:00Z") },
    false,
  ],
  [
    "after 2026-01-01 includes Jan 2 00:00 local",
    { field: "friendAddedAt", op: "after", value: "2026-01-01" },
    { followedAt: startOfLocalDate("2026-01-02", TOKYO) },
    true,
  ],
  [
    "between includes first day start",
    { field: "friendAddedAt", op: "between", value: ["2026-01-01", "2026-02-01"] },
    { followedAt: new Date(tokyoMidnightJan1) },
    true,
  ],
  [
    "between includes last day end",
    { field: "friendAddedAt", op: "between", value: ["2026-01-01", "2026-02-01"] },
    { followedAt: new Date(startOfLocalDate("2026-02-02", TOKYO).getTime() - 1) },
    true,
  ],
  [
    "between excludes the day after",
    { field: "friendAddedAt", op: "between", value: ["2026-01-01", "2026-02-01"] },
    { followedAt: startOfLocalDate("2026-02-02", TOKYO) },
    false,
  ],
  [
    "between excludes the day before",
    { field: "friendAddedAt", op: "between", value: ["2026-01-01", "2026-02-01"] },
    { followedAt: new Date(new Date(tokyoMidnightJan1).getTime() - 1) },
    false,
  ],
  // friend tags
  ["tag has", { field: "tag", op: "has", value: "VIP" }, { tags: ["VIP"] }, true],
  ["tag has is case-sensitive", { field: "tag", op: "has", value: "VIP" }, { tags: ["vip"] }, false],
  ["tag hasNot", { field: "tag", op: "hasNot", value: "VIP" }, { tags: ["other"] }, true],
  ["tag hasNot with tag", { field: "tag", op: "hasNot", value: "VIP" }, { tags: ["VIP"] }, false],
  ["tag hasAny", { field: "tag", op: "hasAny", value: ["a", "b"] }, { tags: ["b"] }, true],
  ["tag hasNone", { field: "tag", op: "hasNone", value: ["a", "b"] }, { tags: ["b"] }, false],
  // booleans
  ["linked true", { field: "shopifyLinked", op: "is", value: true }, { customer: customer() }, true],
  ["linked true, unlinked", { field: "shopifyLinked", op: "is", value: true }, {}, false],
  ["linked false, unlinked", { field: "shopifyLinked", op: "is", value: false }, {}, true],
  ["marketingConsent true", { field: "marketingConsent", op: "is", value: true }, {}, true],
  ["marketingConsent false", { field: "marketingConsent", op: "is", value: false }, { marketingOptOut: true }, true],
  ["following true, blocked", { field: "following", op: "is", value: true }, { following: false }, false],
  ["following false, blocked", { field: "following", op: "is", value: false }, { following: false }, true],
  ["hasPurchased true", { field: "hasPurchased", op: "is", value: true }, { customer: customer() }, true],
  [
    "hasPurchased false: linked, zero orders",
    { field: "hasPurchased", op: "is", value: false },
    { customer: customer({ purchaseCount: 0 }) },
    true,
  ],
  ["hasPurchased false: unlinked", { field: "hasPurchased", op: "is", value: false }, {}, true],
  // Shopify tags
  ["shopifyTag hasAny", { field: "shopifyTag", op: "hasAny", value: ["wholesale", "vip"] }, { customer: customer() }, true],
  ["shopifyTag hasAny unlinked", { field: "shopifyTag", op: "hasAny", value: ["vip"] }, {}, false],
  ["shopifyTag hasNone", { field: "shopifyTag", op: "hasNone", value: ["wholesale"] }, { customer: customer() }, true],
  ["shopifyTag hasNone with tag", { field: "shopifyTag", op: "hasNone", value: ["vip"] }, { customer: customer() }, false],
  ["shopifyTag hasNone unlinked matches", { field: "shopifyTag", op: "hasNone", value: ["vip"] }, {}, true],
  // purchaseCount: every numeric operator
  ["count eq", { field: "purchaseCount", op: "eq", value: 3 }, { customer: customer() }, true],
  ["count eq miss", { field: "purchaseCount", op: "eq", value: 2 }, { customer: customer() }, false],
  ["count gt", { field: "purchaseCount", op: "gt", value: 2 }, { customer: customer() }, true],
  ["count gt boundary", { field: "purchaseCount", op: "gt", value: 3 }, { customer: customer() }, false],
  ["count gte boundary", { field: "purchaseCount", op: "gte", value: 3 }, { customer: customer() }, true],
  ["count lt", { field: "purchaseCount", op: "lt", value: 4 }, { customer: customer() }, true],
  ["count lt boundary", { field: "purchaseCount", op: "lt", value: 3 }, { customer: customer() }, false],
  ["count lte boundary", { field: "purchaseCount", op: "lte", value: 3 }, { customer: customer() }, true],
  ["count between inclusive low", { field: "purchaseCount", op: "between", value: [3, 5] }, { customer: customer() }, true],
  ["count between inclusive high", { field: "purchaseCount", op: "between", value: [1, 3] }, { customer: customer() }, true],
  ["count between outside", { field: "purchaseCount", op: "between", value: [4, 5] }, { customer: customer() }, false],
  ["no customer never matches lt", { field: "purchaseCount", op: "lt", value: 5 }, {}, false],
  [
    "no purchase never matches lt",
    { field: "purchaseCount", op: "lt", value: 5 },
    { customer: customer({ purchaseCount: 0, lastPurchaseAt: null }) },
    false,
  ],
  [
    "no purchase never matches eq 0",
    { field: "purchaseCount", op: "eq", value: 0 },
    { customer: customer({ purchaseCount: 0, lastPurchaseAt: null }) },
    false,
  ],
  // amountSpent
  ["spent gte", { field: "amountSpent", op: "gte", value: 12000 }, { customer: customer() }, true],
  ["spent gt", { field: "amountSpent", op: "gt", value: 12000 }, { customer: customer() }, false],
  ["spent between decimals", { field: "amountSpent", op: "between", value: [11999.5, 12000.5] }, { customer: customer() }, true],
  ["spent lt unlinked", { field: "amountSpent", op: "lt", value: 100 }, {}, false],
  // daysSinceLastPurchase: whole local days
  ["days since: 68 days (Jan 1 → Mar 10)", { field: "daysSinceLastPurchase", op: "eq", value: 68 }, { customer: customer() }, true],
  ["days since gte 90 false", { field: "daysSinceLastPurchase", op: "gte", value: 90 }, { customer: customer() }, false],
  [
    "days since: yesterday 23:59 local = 1",
    { field: "daysSinceLastPurchase", op: "eq", value: 1 },
    { customer: customer({ lastPurchaseAt: new Date("2026-03-09T14:59:00Z") }) },
    true,
  ],
  [
    "days since: today 00:00 local = 0",
    { field: "daysSinceLastPurchase", op: "lt", value: 1 },
    { customer: customer({ lastPurchaseAt: new Date("2026-03-09T15:00:00Z") }) },
    true,
  ],
  ["days since lte", { field: "daysSinceLastPurchase", op: "lte", value: 68 }, { customer: customer() }, true],
  ["days since lt boundary", { field: "daysSinceLastPurchase", op: "lt", value: 68 }, { customer: customer() }, false],
  ["days since gt", { field: "daysSinceLastPurchase", op: "gt", value: 67 }, { customer: customer() }, true],
  ["days since between", { field: "daysSinceLastPurchase", op: "between", value: [60, 68] }, { customer: customer() }, true],
  [
    "days since no purchase never matches lt",
    { field: "daysSinceLastPurchase", op: "lt", value: 1000 },
    { customer: customer({ purchaseCount: 0, lastPurchaseAt: null }) },
    false,
  ],
  // abandonedCart
  [
    "abandoned is true",
    { field: "abandonedCart", op: "is", value: true },
    { customer: customer({ abandonedCheckoutAt: new Date("2026-03-10T01:00:00Z") }) },
    true,
  ],
  [
    "abandoned within hours window",
    { field: "abandonedCart", op: "is", value: true, minHours: 1, maxHours: 48 },
    { customer: customer({ abandonedCheckoutAt: new Date("2026-03-10T01:00:00Z") }) },
    true,
  ],
  [
    "abandoned exactly minHours",
    { field: "abandonedCart", op: "is", value: true, minHours: 2 },
    { customer: customer({ abandonedCheckoutAt: new Date("2026-03-10T01:00:00Z") }) },
    true,
  ],
  [
    "abandoned too recent",
    { field: "abandonedCart", op: "is", value: true, minHours: 3 },
    { customer: customer({ abandonedCheckoutAt: new Date("2026-03-10T01:00:00Z") }) },
    false,
  ],
  [
    "abandoned too old",
    { field: "abandonedCart", op: "is", value: true, maxHours: 48 },
    { customer: customer({ abandonedCheckoutAt: new Date("2026-03-07T01:00:00Z") }) },
    false,
  ],
  ["abandoned is false, none", { field: "abandonedCart", op: "is", value: false }, { customer: customer() }, true],
  ["abandoned is false, unlinked", { field: "abandonedCart", op: "is", value: false }, {}, true],
  [
    "abandoned is false with window, outside",
    { field: "abandonedCart", op: "is", value: false, minHours: 3 },
    { customer: customer({ abandonedCheckoutAt: new Date("2026-03-10T01:00:00Z") }) },
    true,
  ],
  // productPurchased
  [
    "product hasAny",
    { field: "productPurchased", op: "hasAny", value: ["101"] },
    { customer: customer(), products: [{ productId: "101", lastPurchasedAt: new Date("2026-01-01T00:00:00Z") }] },
    true,
  ],
  [
    "product hasAny within 30 days: too old",
    { field: "productPurchased", op: "hasAny", value: ["101"], withinDays: 30 },
    { customer: customer(), products: [{ productId: "101", lastPurchasedAt: new Date("2026-01-01T00:00:00Z") }] },
    false,
  ],
  [
    "product hasNone",
    { field: "productPurchased", op: "hasNone", value: ["102"] },
    { customer: customer(), products: [{ productId: "101", lastPurchasedAt: new Date("2026-01-01T00:00:00Z") }] },
    true,
  ],
  ["product hasNone unlinked never matches", { field: "productPurchased", op: "hasNone", value: ["102"] }, {}, false],
  // linkClicked
  ["clicked at least once", { field: "linkClicked", op: "gte", value: 1 }, { linkClicks: [{ at: NOW, linkId: 1, linkTag: null }] }, true],
  ["clicked at least twice", { field: "linkClicked", op: "gte", value: 2 }, { linkClicks: [{ at: NOW, linkId: 1, linkTag: null }] }, false],
  ["clicked zero times (eq 0) matches a friend without clicks", { field: "linkClicked", op: "eq", value: 0 }, {}, true],
  [
    "clicked tagged link within 7 days",
    { field: "linkClicked", op: "gte", value: 1, linkTag: "spring", withinDays: 7 },
    { linkClicks: [{ at: NOW, linkId: 1, linkTag: "spring" }] },
    true,
  ],
  [
    "clicked specific link",
    { field: "linkClicked", op: "gte", value: 1, linkId: 2 },
    { linkClicks: [{ at: NOW, linkId: 1, linkTag: null }] },
    false,
  ],
  [
    "clicked too long ago",
    { field: "linkClicked", op: "gte", value: 1, withinDays: 7 },
    { linkClicks: [{ at: new Date("2026-02-01T00:00:00Z"), linkId: 1, linkTag: null }] },
    false,
  ],
  // richMenuTapped
  [
    "tapped area",
    { field: "richMenuTapped", op: "gte", value: 1, area: "coupon" },
    { taps: [{ at: NOW, richMenuId: 3, area: "coupon" }] },
    true,
  ],
  [
    "tapped other menu",
    { field: "richMenuTapped", op: "gte", value: 1, richMenuId: 4 },
    { taps: [{ at: NOW, richMenuId: 3, area: "coupon" }] },
    false,
  ],
  ["tapped lt 1 without taps", { field: "richMenuTapped", op: "lt", value: 1 }, {}, true],
];

describe("evaluateDefinition: one condition", () => {
  it.each(rows)("%s", (_name, cond, over, expected) => {
    expect(evaluateDefinition(one(cond), facts(over), ctx)).toBe(expected);
  });
});

describe("evaluateDefinition: groups", () => {
  const vip: Condition = { field: "tag", op: "has", value: "VIP" };
  const linked: Condition = { field: "shopifyLinked", op: "is", value: true };
  it("zero groups match everyone", () => {
    expect(evaluateDefinition({ groups: [] }, facts({ following: false }), ctx)).toBe(true);
  });
  it("AND inside a group", () => {
    const def = { groups: [{ conditions: [vip, linked] }] };
    expect(evaluateDefinition(def, facts({ tags: ["VIP"] }), ctx)).toBe(false);
    expect(evaluateDefinition(def, facts({ tags: ["VIP"], customer: customer() }), ctx)).toBe(true);
  });
  it("OR between groups", () => {
    const def = { groups: [{ conditions: [vip] }, { conditions: [linked] }] };
    expect(evaluateDefinition(def, facts({ tags: ["VIP"] }), ctx)).toBe(true);
    expect(evaluateDefinition(def, facts({ customer: customer() }), ctx)).toBe(true);
    expect(evaluateDefinition(def, facts(), ctx)).toBe(false);
  });
});

describe("time zones", () => {
  it("the same instant is a different calendar day in Tokyo and in UTC", () => {
    const at = new Date("2025-12-31T15:30:00Z");
    const def = one({ field: "friendAddedAt", op: "between", value: ["2026-01-01", "2026-01-01"] });
    expect(evaluateDefinition(def, facts({ followedAt: at }), { now: NOW, timeZone: "Asia/Tokyo" })).toBe(true);
    expect(evaluateDefinition(def, facts({ followedAt: at }), { now: NOW, timeZone: "UTC" })).toBe(false);
    expect(localDayNumber(at, "Asia/Tokyo")).toBe(dayNumber("2026-01-01"));
  });
  it("days since purchase follow the shop's calendar across a DST change (New York)", () => {
    const tz = "America/New_York";
    // DST starts 2026-03-08 in New York; midnight to midnight across it is 23 hours.
    const last = startOfLocalDate("2026-03-07", tz);
    const now = new Date(startOfLocalDate("2026-03-09", tz).getTime() + 60_000);
    const def = one({ field: "daysSinceLastPurchase", op: "eq", value: 2 });
    expect(evaluateDefinition(def, facts({ customer: customer({ lastPurchaseAt: last }) }), { now, timeZone: tz })).toBe(true);
    expect(startOfLocalDate("2026-03-09", tz).getTime() - startOfLocalDate("2026-03-08", tz).getTime()).toBe(23 * 3_600_000);
  });
});

describe("exclusionReason", () => {
  it("blocked wins over opted out", () => {
    expect(exclusionReason({ following: false, marketingOptOut: true })).toBe("blocked");
    expect(exclusionReason({ following: true, marketingOptOut: true })).toBe("optedOut");
    expect(exclusionReason({ following: true, marketingOptOut: false })).toBeNull();
  });
});
