import { describe, expect, it } from "vitest";
import { nextMembershipChange, isTimeDependent } from "./next-change";
import type { FriendFacts } from "./evaluate";
import { evaluateDefinition, friendFacts } from "./evaluate";
import type { SegmentDefinition } from "./schema";
import { startOfLocalDate } from "../time/zoned";

const TZ = "Asia/Tokyo";
const NOW = new Date("2026-03-10T03:00:00Z");
const base: FriendFacts = friendFacts({ followedAt: null, following: true, marketingOptOut: false });
const cust = (over: Partial<NonNullable<FriendFacts["customer"]>>) => ({
  purchaseCount: 1,
  lastPurchaseAt: null,
  amountSpent: 100,
  tags: [],
  abandonedCheckoutAt: null,
  ...over,
});
const def = (c: unknown): SegmentDefinition => ({ groups: [{ conditions: [c as never] }] });

describe("nextMembershipChange", () => {
  it("daysSinceLastPurchase ≥ 90 flips at shop-local midnight 90 days after the purchase day", () => {
    const f = { ...base, customer: cust({ lastPurchaseAt: new Date("2026-01-01T10:00:00Z") }) };
    const d = def({ field: "daysSinceLastPurchase", op: "gte", value: 90 });
    const at = nextMembershipChange(d, f, { now: NOW, timeZone: TZ })!;
    expect(at.toISOString()).toBe(startOfLocalDate("2026-04-01", TZ).toISOString());
    expect(evaluateDefinition(d, f, { now: new Date(at.getTime() - 1), timeZone: TZ })).toBe(false);
    expect(evaluateDefinition(d, f, { now: at, timeZone: TZ })).toBe(true);
  });

  it("daysSinceLastPurchase between [30, 60]: next is leaving at day 61", () => {
    const f = { ...base, customer: cust({ lastPurchaseAt: new Date("2026-01-20T10:00:00Z") }) };
    const d = def({ field: "daysSinceLastPurchase", op: "between", value: [30, 60] });
    const at = nextMembershipChange(d, f, { now: NOW, timeZone: TZ })!;
    expect(evaluateDefinition(d, f, { now: new Date(at.getTime() - 1), timeZone: TZ })).toBe(true);
    expect(evaluateDefinition(d, f, { now: at, timeZone: TZ })).toBe(false);
  });

  it("abandonedCart window: enters at +minHours, leaves just after +maxHours", () => {
    const abandoned = new Date("2026-03-10T02:30:00Z");
    const f = { ...base, customer: cust({ abandonedCheckoutAt: abandoned }) };
    const d = def({ field: "abandonedCart", op: "is", value: true, minHours: 1, maxHours: 48 });
    const enter = nextMembershipChange(d, f, { now: NOW, timeZone: TZ })!;
    expect(enter.getTime()).toBe(abandoned.getTime() + 3_600_000);
    expect(evaluateDefinition(d, f, { now: enter, timeZone: TZ })).toBe(true);
    const leave = nextMembershipChange(d, f, { now: enter, timeZone: TZ })!;
    expect(evaluateDefinition(d, f, { now: new Date(leave.getTime() - 1), timeZone: TZ })).toBe(true);
    expect(evaluateDefinition(d, f, { now: leave, timeZone: TZ })).toBe(false);
  });

  it("withinLastDays expires at the start of local day added + N", () => {
    const f = { ...base, followedAt: new Date("2026-03-08T20:00:00Z") }; // 2026-03-09 05:00 Tokyo
    const d = def({ field: "friendAddedAt", op: "withinLastDays", value: 7 });
    expect(nextMembershipChange(d, f, { now: NOW, timeZone: TZ })!.toISOString()).toBe(startOfLocalDate("2026-03-16", TZ).toISOString());
  });

  it("click windows expire per click", () => {
    const f = { ...base, linkClicks: [{ at: new Date("2026-03-09T00:00:00Z"), linkId: 1, linkTag: null }] };
    const d = def({ field: "linkClicked", op: "gte", value: 1, withinDays: 3 });
    expect(nextMembershipChange(d, f, { now: NOW, timeZone: TZ })!.toISOString()).toBe(startOfLocalDate("2026-03-12", TZ).toISOString());
  });

  it("static conditions never change by time", () => {
    const f = { ...base, followedAt: NOW, tags: ["VIP"] };
    const d: SegmentDefinition = {
      groups: [
        {
          conditions: [
            { field: "tag", op: "has", value: "VIP" },
            { field: "friendAddedAt", op: "before", value: "2027-01-01" },
          ],
        },
      ],
    };
    expect(nextMembershipChange(d, f, { now: NOW, timeZone: TZ })).toBeNull();
    expect(isTimeDependent(d)).toBe(false);
    expect(isTimeDependent(def({ field: "daysSinceLastPurchase", op: "gte", value: 90 }))).toBe(true);
  });

  it("past moments are not returned", () => {
    const f = { ...base, customer: cust({ abandonedCheckoutAt: new Date("2026-03-01T00:00:00Z") }) };
    expect(
      nextMembershipChange(def({ field: "abandonedCart", op: "is", value: true, minHours: 1, maxHours: 2 }), f, { now: NOW, timeZone: TZ }),
    ).toBeNull();
  });
});
