// Every number and date a definition may hold is bounded (LIMITS), and every value inside the
// bounds can be compiled and evaluated: a definition that passes validation can never poison a
// shop's re-evaluation ("Invalid time value", int overflow).
import { describe, expect, it } from "vitest";
import { editableDefinition, LIMITS, parseDefinition, type Condition } from "./schema";
import { compileDefinition } from "./compile-sql";
import { evaluateDefinition, type FriendFacts } from "./evaluate";
import { nextMembershipChange } from "./next-change";

const one = <C>(c: C) => ({ groups: [{ conditions: [c] }] });
const issuesOf = (c: unknown) => {
  const r = parseDefinition(one(c));
  return r.ok ? [] : r.issues;
};

/** The largest value of each bounded field, as a condition (every op kind that carries a number or date). */
const AT_LIMITS: Condition[] = [
  { field: "friendAddedAt", op: "withinLastDays", value: LIMITS.days },
  { field: "friendAddedAt", op: "before", value: LIMITS.firstDate },
  { field: "friendAddedAt", op: "after", value: LIMITS.lastDate },
  { field: "friendAddedAt", op: "between", value: [LIMITS.firstDate, LIMITS.lastDate] },
  { field: "purchaseCount", op: "gt", value: LIMITS.count },
  { field: "purchaseCount", op: "lte", value: LIMITS.count },
  { field: "purchaseCount", op: "between", value: [0, LIMITS.count] },
  { field: "amountSpent", op: "gte", value: LIMITS.amount },
  { field: "daysSinceLastPurchase", op: "lte", value: LIMITS.days },
  { field: "daysSinceLastPurchase", op: "gt", value: LIMITS.days },
  { field: "daysSinceLastPurchase", op: "between", value: [0, LIMITS.days] },
  { field: "abandonedCart", op: "is", value: true, minHours: LIMITS.hours, maxHours: LIMITS.hours },
  { field: "productPurchased", op: "hasAny", value: ["9223372036854775807"], withinDays: LIMITS.days },
  { field: "linkClicked", op: "gte", value: LIMITS.count, linkId: LIMITS.id, withinDays: LIMITS.days },
  { field: "richMenuTapped", op: "lt", value: LIMITS.count, richMenuId: LIMITS.id, withinDays: LIMITS.days },
  { field: "hubspotList", op: "hasAny", value: ["x".repeat(LIMITS.externalId)] },
  { field: "hubspotProperty", property: "p".repeat(LIMITS.propertyName), op: "contains", value: "v".repeat(LIMITS.propertyText) },
  { field: "hubspotProperty", property: "amount", op: "lte", value: -LIMITS.propertyNumber },
  { field: "klaviyoProperty", property: "amount", op: "between", value: [-LIMITS.propertyNumber, LIMITS.propertyNumber] },
  { field: "klaviyoProperty", property: "renewal", op: "withinLastDays", value: LIMITS.days },
  { field: "klaviyoProperty", property: "renewal", op: "between", value: [LIMITS.firstDate, LIMITS.lastDate] },
  { field: "hubspotProperty", property: "closedate", op: "before", value: LIMITS.firstDate },
  { field: "hubspotProperty", property: "closedate", op: "after", value: LIMITS.lastDate },
];

/** One past each limit: each must be refused with the path of the bad value. */
const PAST_LIMITS: Array<[unknown, string]> = [
  [{ field: "daysSinceLastPurchase", op: "lte", value: 200_000_000 }, "value"],
  [{ field: "purchaseCount", op: "gte", value: 3_000_000_000 }, "value"],
  [{ field: "purchaseCount", op: "between", value: [0, LIMITS.count + 1] }, "value[1]"],
  [{ field: "daysSinceLastPurchase", op: "gte", value: LIMITS.days + 1 }, "value"],
  [{ field: "friendAddedAt", op: "withinLastDays", value: LIMITS.days + 1 }, "value"],
  [{ field: "friendAddedAt", op: "before", value: "1899-12-31" }, "value"],
  [{ field: "friendAddedAt", op: "after", value: "3000-01-01" }, "value"],
  [{ field: "amountSpent", op: "gte", value: 1e12 }, "value"],
  [{ field: "amountSpent", op: "gte", value: Number.MAX_VALUE }, "value"],
  [{ field: "abandonedCart", op: "is", value: true, minHours: LIMITS.hours + 1 }, "minHours"],
  [{ field: "abandonedCart", op: "is", value: true, maxHours: 1e300 }, "maxHours"],
  [{ field: "productPurchased", op: "hasAny", value: ["9223372036854775808"] }, "value[0]"],
  [{ field: "productPurchased", op: "hasAny", value: ["1".repeat(30)] }, "value[0]"],
  [{ field: "productPurchased", op: "hasAny", value: ["1"], withinDays: LIMITS.days + 1 }, "withinDays"],
  [{ field: "linkClicked", op: "gte", value: LIMITS.count + 1 }, "value"],
  [{ field: "linkClicked", op: "gte", value: 1, linkId: LIMITS.id + 1 }, "linkId"],
  [{ field: "richMenuTapped", op: "gte", value: 1, richMenuId: 2 ** 40 }, "richMenuId"],
  [{ field: "hubspotList", op: "hasAny", value: ["x".repeat(LIMITS.externalId + 1)] }, "value[0]"],
  [{ field: "hubspotProperty", property: "p".repeat(LIMITS.propertyName + 1), op: "isKnown" }, "property"],
  [{ field: "hubspotProperty", property: "note", op: "contains", value: "v".repeat(LIMITS.propertyText + 1) }, "value"],
  [{ field: "hubspotProperty", property: "amount", op: "gt", value: 1_000_000_000_000 }, "value"],
  [{ field: "hubspotProperty", property: "amount", op: "gt", value: 0.0001 }, "value"],
  [{ field: "klaviyoProperty", property: "amount", op: "between", value: [0, 1e13] }, "value[1]"],
  [{ field: "klaviyoProperty", property: "renewal", op: "between", value: ["2026-01-01", "3000-01-01"] }, "value[1]"],
  [{ field: "klaviyoProperty", property: "renewal", op: "withinLastDays", value: LIMITS.days + 1 }, "value"],
];

const NOW = new Date("2026-03-08T07:00:00Z");
const facts: FriendFacts = {
  followedAt: new Date("2020-01-01T00:00:00Z"),
  following: true,
  marketingOptOut: false,
  tags: [],
  customer: {
    purchaseCount: 3,
    lastPurchaseAt: new Date("2026-03-01T00:00:00Z"),
    amountSpent: 100,
    tags: [],
    abandonedCheckoutAt: new Date("2026-03-07T00:00:00Z"),
  },
  products: [{ productId: "9223372036854775807", lastPurchasedAt: new Date("2026-02-01T00:00:00Z") }],
  linkClicks: [{ at: new Date("2026-03-05T00:00:00Z"), linkId: LIMITS.id, linkTag: null }],
  taps: [{ at: new Date("2026-03-05T00:00:00Z"), richMenuId: LIMITS.id, area: null }],
  contacts: [
    { provider: "hubspot", properties: { amount: "999999999999.999", closedate: "1900-01-01", renewal: "2999-12-31" }, lists: ["x"] },
    { provider: "klaviyo", properties: { amount: -999999999999.999, renewal: "2999-12-31T23:59:59.999+14:00" }, lists: [] },
  ],
};

describe("segment limits", () => {
  it.each(PAST_LIMITS)("refuses %j at %s", (c, path) => {
    expect(issuesOf(c).map((i) => i.path)).toContain(`groups[0].conditions[0].${path}`);
  });

  it.each(AT_LIMITS.map((c) => [c] as const))("accepts, compiles and evaluates %j", (c) => {
    expect(issuesOf(c)).toEqual([]);
    for (const timeZone of ["America/New_York", "Asia/Tokyo", "Pacific/Kiritimati", "Pacific/Pago_Pago"]) {
      const ctx = { now: NOW, timeZone };
      const { params } = compileDefinition(one(c), { ...ctx, shopId: 1 });
      // Every time bound is a real instant PostgreSQL accepts as timestamp(3).
      for (const p of params) if (typeof p === "string" && /^\d{4}-/.test(p)) expect(Number.isNaN(Date.parse(`${p}Z`))).toBe(false);
      expect(typeof evaluateDefinition(one(c), facts, ctx)).toBe("boolean");
      const next = nextMembershipChange(one(c), facts, ctx);
      if (next) expect(Number.isNaN(next.getTime())).toBe(false);
    }
  });

  it("keeps the sane values of before (backward compatible)", () => {
    for (const c of [
      { field: "daysSinceLastPurchase", op: "gte", value: 0 },
      { field: "purchaseCount", op: "eq", value: 0 },
      { field: "amountSpent", op: "between", value: [0.5, 1_000_000] },
      { field: "abandonedCart", op: "is", value: false, minHours: 0.5, maxHours: 720 },
      { field: "friendAddedAt", op: "between", value: ["2011-06-23", "2026-12-31"] },
    ])
      expect(issuesOf(c)).toEqual([]);
  });
});

describe("editableDefinition", () => {
  it("opens a stored definition that is only out of bounds, not one of unknown shape", () => {
    const past = one({ field: "daysSinceLastPurchase", op: "lte", value: 200_000_000 });
    expect(editableDefinition(past)).toEqual(past);
    expect(editableDefinition(one({ field: "nope", op: "is", value: true }))).toBeNull();
    expect(editableDefinition(one({ field: "tag", op: "nope", value: "x" }))).toBeNull();
    expect(editableDefinition({ groups: "x" })).toBeNull();
  });
});
