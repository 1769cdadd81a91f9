import { describe, expect, it } from "vitest";
import {
  PLAN_TABLES,
  deliverableMessages,
  estimateCost,
  extraMessagesCost,
  planForQuota,
  planTableFor,
  resolvePlan,
  type Quota,
} from "./cost";

const jp = PLAN_TABLES.JP!;
const tw = PLAN_TABLES.TW!;
const plan = (id: string) => jp.plans.find((p) => p.id === id)!;
const limited = (value: number, totalUsage = 0): Quota => ({ type: "limited", value, totalUsage });
const none = (totalUsage = 0): Quota => ({ type: "none", totalUsage });

describe("estimateCost", () => {
  it.each([
    // recipients, plan, quota, batch → deliverable, notDelivered, extraMessages, extraCost, fit
    [150, "communication", limited(200), 500, 150, 0, 0, 0, null],
    // Issue 10: the free plan cannot send beyond its 200 messages: nothing extra is bought, the rest is refused.
    [264, "communication", limited(200), 500, 0, 264, 0, 0, 200],
    [264, "communication", limited(200), 1, 200, 64, 0, 0, 200],
    [1000, "light", limited(5000, 4500), 500, 500, 500, 0, 0, 500],
    [1000, "standard", none(29_500), 500, 1000, 0, 500, 1500, null],
    [1200, "standard", limited(31_000, 30_000), 500, 1000, 200, 1000, 3000, 1000],
    [0, "standard", none(), 500, 0, 0, 0, 0, null],
  ] as const)("%i recipients on %s", (recipients, id, quota, batchSize, deliverable, notDelivered, extra, cost, fit) => {
    const e = estimateCost({ recipients, plan: plan(id), currency: "JPY", quota, batchSize });
    expect(e).toMatchObject({
      deliverable,
      notDelivered,
      extraMessages: extra,
      extraCost: cost,
      exceedsQuota: notDelivered > 0,
      recipientsThatFit: fit,
    });
  });

  it("never reads an unknown quota as unlimited, and has no price without a plan", () => {
    expect(estimateCost({ recipients: 64, plan: null, currency: null, quota: null })).toMatchObject({
      quotaKnown: false,
      remainingQuota: null,
      extraCost: null,
      currency: null,
      freeRemaining: null,
    });
  });

  it("counts one message per recipient per request, not per message object", () => {
    expect(estimateCost({ recipients: 10, plan: plan("standard"), currency: "JPY", quota: none() }).messages).toBe(10);
    expect(estimateCost({ recipients: 10, requestsPerRecipient: 2, plan: plan("standard"), currency: "JPY", quota: none() }).messages).toBe(
      20,
    );
  });
});

describe("deliverableMessages", () => {
  it("LINE refuses a whole request that does not fit; later, smaller requests may still fit", () => {
    expect(deliverableMessages(1200, null, 500)).toBe(1200);
    expect(deliverableMessages(1200, 600, 500)).toBe(500);
    expect(deliverableMessages(1200, 700, 500)).toBe(700); // 500 fits, the next 500 does not, the last 200 does
    expect(deliverableMessages(30, 16, 1)).toBe(16);
  });
});

describe("planForQuota", () => {
  it.each([
    ["free plan: limited to exactly its allowance", jp, limited(200), null, "communication"],
    ["light", jp, limited(5000), null, "light"],
    ["standard with a cap on paid messages", jp, limited(80_000), null, "standard"],
    ["unlimited is only possible with paid extras", jp, none(), null, "standard"],
    ["a configured plan that agrees with LINE", jp, limited(200), "communication", "communication"],
    ["a configured plan LINE contradicts (issue 10: free plan configured, quota says otherwise)", jp, none(), "communication", "standard"],
    ["quota unknown: the configured plan", jp, null, "light", "light"],
    ["TW high", tw, none(), null, "high"],
  ] as const)("%s", (_label, table, quota, configured, expected) => {
    expect(planForQuota(table, quota, configured)?.id).toBe(expected);
  });
  it("is null when nothing tells the plan or the region has no price table", () => {
    expect(planForQuota(jp, limited(6), null)).toBeNull();
    expect(planForQuota(jp, null, null)).toBeNull();
    expect(planForQuota(planTableFor("TH"), none(), "pro")).toBeNull(); // TH prices are not known (unpriced table)
    expect(planTableFor("tw")?.currency).toBe("TWD");
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
    expect(resolvePlan({ planId: "standard" }, "JP").plan.monthlyFee).toBe(15000);
    expect(resolvePlan({ planId: "high" }, "TW")).toMatchObject({ table: { currency: "TWD" }, plan: { freeMessages: 6000 } });
    expect(resolvePlan({}, "ZZ").table.country).toBe("JP");
    // The region defaults from the shop's country where LINE sells plans; the merchant's choice wins.
    expect(resolvePlan({}, "TW").table).toMatchObject({ country: "TW", currency: "TWD" });
    expect(resolvePlan({}, "TH").table).toMatchObject({ country: "TH", currency: "THB", priced: false });
    expect(resolvePlan({}, "US").table.country).toBe("JP");
    expect(resolvePlan({ country: "TW" }, "US").table.currency).toBe("TWD");
  });
});
