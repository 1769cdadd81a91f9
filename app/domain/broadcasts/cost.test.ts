import { describe, expect, it } from "vitest";
import { PLAN_TABLES, estimateCost, extraMessagesCost, resolvePlan } from "./cost";

const jp = PLAN_TABLES.JP!;
const plan = (id: string) => jp.plans.find((p) => p.id === id)!;

describe("estimateCost", () => {
  it.each([
    // recipients, plan, quota, → messages, extraMessages, extraCost, exceeds, fit
    [150, "communication", { type: "limited", value: 200, totalUsage: 0 }, 150, 0, 0, false, 200],
    [250, "communication", { type: "limited", value: 200, totalUsage: 0 }, 250, 50, 0, true, 200],
    [1000, "light", { type: "limited", value: 5000, totalUsage: 4500 }, 1000, 500, 0, true, 500],
    [1000, "standard", { type: "none", value: null, totalUsage: 29_500 }, 1000, 500, 1500, false, null],
    [0, "standard", { type: "none", value: null, totalUsage: 0 }, 0, 0, 0, false, null],
  ] as const)("%i recipients on %s", (recipients, id, quota, messages, extra, cost, exceeds, fit) => {
    const e = estimateCost({ recipients, plan: plan(id), currency: "JPY", quota: { ...quota } });
    expect(e).toMatchObject({ messages, extraMessages: extra, extraCost: cost, exceedsQuota: exceeds, recipientsThatFit: fit });
  });

  it("counts one message per recipient per request, not per message object", () => {
    expect(estimateCost({ recipients: 10, plan: plan("standard"), currency: "JPY", quota: { type: "none", totalUsage: 0 } }).messages).toBe(
      10,
    );
    expect(
      estimateCost({
        recipients: 10,
        requestsPerRecipient: 2,
        plan: plan("standard"),
        currency: "JPY",
        quota: { type: "none", totalUsage: 0 },
      }).messages,
    ).toBe(20);
  });
});

describe("extraMessagesCost", () => {
  const tiers = plan("standard").extraTiers!;
  it("is tiered and cumulative over the month", () => {
    expect(extraMessagesCost(tiers, 0, 10)).toBe(30);
    expect(extraMessagesCost(tiers, 49_995, 10)).toBe(5 * 3 + 5 * 2.8);
    expect(extraMessagesCost(tiers, 2_000_000, 100)).toBe(200);
  });
});

describe("resolvePlan", () => {
  it("defaults to the shop country's first plan and honours settings", () => {
    expect(resolvePlan({}, "JP").plan.id).toBe("communication");
    expect(resolvePlan({ plan: { planId: "standard" } }, "JP").plan.monthlyFee).toBe(15000);
    expect(resolvePlan({ plan: { planId: "high" } }, "TW")).toMatchObject({ table: { currency: "TWD" }, plan: { freeMessages: 6000 } });
    expect(resolvePlan({}, "ZZ").table.country).toBe("JP");
    // The region defaults from the shop's country where LINE sells plans; the merchant's choice wins.
    expect(resolvePlan({}, "TW").table).toMatchObject({ country: "TW", currency: "TWD" });
    expect(resolvePlan({}, "TH").table).toMatchObject({ country: "TH", currency: "THB", priced: false });
    expect(resolvePlan({}, "US").table.country).toBe("JP");
    expect(resolvePlan({ plan: { country: "TW" } }, "US").table.currency).toBe("TWD");
  });
});
