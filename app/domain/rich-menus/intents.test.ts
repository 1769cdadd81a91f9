import { describe, expect, it } from "vitest";
import { evaluateIntent, type IntentFacts } from "./intents";

const now = new Date("2026-03-10T00:00:00Z");
const H = 3_600_000;
const D = 24 * H;
const base: IntentFacts = {
  linked: true,
  abandonedCheckoutAt: null,
  lastDeliveredAt: null,
  tags: [],
  birthMonth: null,
  rebuys: [],
  timezone: "Asia/Tokyo",
};

describe("evaluateIntent", () => {
  it.each<[string, Parameters<typeof evaluateIntent>[0], Partial<IntentFacts>, boolean, Date | null]>([
    [
      "cart abandoned long enough",
      { type: "abandonedCart", minHours: 3 },
      { abandonedCheckoutAt: new Date(now.getTime() - 4 * H) },
      true,
      null,
    ],
    [
      "cart abandoned too recently",
      { type: "abandonedCart", minHours: 3 },
      { abandonedCheckoutAt: new Date(now.getTime() - 1 * H) },
      false,
      new Date(now.getTime() + 2 * H),
    ],
    ["no cart", { type: "abandonedCart", minHours: 3 }, {}, false, null],
    [
      "delivered within window",
      { type: "orderDelivered", withinDays: 7 },
      { lastDeliveredAt: new Date(now.getTime() - 2 * D) },
      true,
      new Date(now.getTime() + 5 * D),
    ],
    ["delivered long ago", { type: "orderDelivered", withinDays: 7 }, { lastDeliveredAt: new Date(now.getTime() - 8 * D) }, false, null],
    [
      "reorder due",
      { type: "reorderDue" },
      { rebuys: [{ lastPurchasedAt: new Date(now.getTime() - 31 * D), intervalDays: 30 }] },
      true,
      new Date(now.getTime() + 29 * D),
    ],
    [
      "reorder not yet",
      { type: "reorderDue" },
      { rebuys: [{ lastPurchasedAt: new Date(now.getTime() - 10 * D), intervalDays: 30 }] },
      false,
      new Date(now.getTime() + 20 * D),
    ],
    ["reorder unknown interval", { type: "reorderDue" }, { rebuys: [{ lastPurchasedAt: now, intervalDays: null }] }, false, null],
    ["birthday month in shop time zone", { type: "birthdayMonth" }, { birthMonth: 3 }, true, null],
    ["tier tag (case-insensitive)", { type: "tier", tag: "Gold" }, { tags: ["gold", "x"] }, true, null],
    ["tier missing", { type: "tier", tag: "Gold" }, { tags: ["silver"] }, false, null],
  ])("%s", (_n, intent, facts, matches, changesAt) => {
    expect(evaluateIntent(intent, { ...base, ...facts }, now)).toEqual({ matches, changesAt });
  });

  it("birthday month follows the shop's time zone at month boundaries", () => {
    const lastDayUtc = new Date("2026-02-28T20:00:00Z"); // already 1 March in Tokyo
    expect(evaluateIntent({ type: "birthdayMonth" }, { ...base, birthMonth: 3 }, lastDayUtc).matches).toBe(true);
    expect(evaluateIntent({ type: "birthdayMonth" }, { ...base, birthMonth: 3, timezone: "UTC" }, lastDayUtc).matches).toBe(false);
  });
});
