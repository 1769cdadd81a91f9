import { describe, expect, it } from "vitest";
import { renderText, renderMessages, messagesArePersonalized } from "./personalize";
import { assignVariant, pickWinner } from "./ab";
import { isStale, replenishmentDueAt } from "./lifecycle";
import { scheduleFromForm } from "~/services/broadcasts/admin.server";
import { wallClock } from "~/domain/time/zoned";

describe("personalize", () => {
  it.each([
    ["Hi {{displayName|there}}", { displayName: "Taro" }, "Hi Taro"],
    ["Hi {{displayName|there}}", { displayName: "  " }, "Hi there"],
    ["Hi {{ displayName }}!", {}, "Hi !"],
    ["Loved {{lastProduct|our bestsellers}}?", { lastProduct: null }, "Loved our bestsellers?"],
    ["Loved {{lastProduct|x}}?", { lastProduct: "Green tea" }, "Loved Green tea?"],
  ])("%s", (text, facts, out) => expect(renderText(text, facts)).toBe(out));
  it("renders inside message objects and detects placeholders", () => {
    const msgs = [{ type: "flex", altText: "For {{displayName|you}}", contents: { body: { text: "x" } } }];
    expect(renderMessages(msgs, { displayName: "Ann" })[0]!.altText).toBe("For Ann");
    expect(messagesArePersonalized(msgs)).toBe(true);
    expect(messagesArePersonalized([{ type: "text", text: "plain" }])).toBe(false);
  });
});

describe("A/B split", () => {
  it("is deterministic and roughly even with a holdout", () => {
    const counts = [0, 0, 0];
    for (let id = 1; id <= 10_000; id++) counts[assignVariant(id, 7, 2, 20) + 1]!++;
    expect(counts[0]! / 10_000).toBeGreaterThan(0.17);
    expect(counts[0]! / 10_000).toBeLessThan(0.23);
    expect(Math.abs(counts[1]! - counts[2]!)).toBeLessThan(600);
    expect(assignVariant(42, 7, 2, 20)).toBe(assignVariant(42, 7, 2, 20));
  });
  it("spreads a small run of consecutive friend ids across every group", () => {
    for (const seed of [1, 7, 42, 1234]) {
      const counts = [0, 0, 0];
      for (let id = 100; id < 160; id++) counts[assignVariant(id, seed, 2, 50) + 1]!++;
      expect(Math.min(...counts)).toBeGreaterThan(5);
    }
  });
  it("picks the winner by rate", () => {
    const r = [
      { variant: "A", recipients: 100, clicks: 10, orders: 1 },
      { variant: "B", recipients: 50, clicks: 6, orders: 0 },
    ];
    expect(pickWinner(r, "click")).toBe("B");
    expect(pickWinner(r, "order")).toBe("A");
    expect(pickWinner([], "click")).toBeNull();
  });
});

describe("schedule in the shop's time zone", () => {
  it.each([
    ["2025-03-01", "09:30", "Asia/Tokyo", "2025-03-01T00:30:00.000Z"],
    ["2025-03-01", "00:15", "Asia/Taipei", "2025-02-28T16:15:00.000Z"],
    ["2025-03-01", "09:00", "Asia/Bangkok", "2025-03-01T02:00:00.000Z"],
    ["2025-07-01", "12:00", "America/New_York", "2025-07-01T16:00:00.000Z"],
    ["2025-01-01", "12:00", "America/New_York", "2025-01-01T17:00:00.000Z"],
  ])("%s %s %s", (d, t, tz, iso) => {
    expect(scheduleFromForm(d, t, tz)!.toISOString()).toBe(iso);
    expect(wallClock(new Date(iso), tz)).toMatchObject({ date: d, time: t });
  });
  it.each([
    // 02:30 does not exist on 2026-03-08 in New York: sent when the clocks reach 03:00 EDT.
    ["2026-03-08", "02:30", "2026-03-08T07:00:00.000Z"],
    // 01:30 happens twice on 2026-11-01: the first time (EDT).
    ["2026-11-01", "01:30", "2026-11-01T05:30:00.000Z"],
  ])("New York across DST: %s %s → %s", (d, t, iso) => {
    expect(scheduleFromForm(d, t, "America/New_York")!.toISOString()).toBe(iso);
  });
  it("a date or time that is not real is no schedule", () => {
    expect(scheduleFromForm("2026-02-30", "09:00", "Asia/Tokyo")).toBeNull();
    expect(scheduleFromForm("2026-02-01", "25:00", "Asia/Tokyo")).toBeNull();
    expect(scheduleFromForm("", "09:00", "Asia/Tokyo")).toBeNull();
  });
});

describe("replenishment", () => {
  const last = new Date("2025-01-01T00:00:00Z");
  it.each([
    [{ orderCount: 2, ownIntervalDays: 20, shopMedianDays: 30, daysBefore: 3 }, "2025-01-18T00:00:00.000Z"],
    [{ orderCount: 1, ownIntervalDays: null, shopMedianDays: 30, daysBefore: 3 }, "2025-01-28T00:00:00.000Z"],
    [{ orderCount: 1, ownIntervalDays: 10, shopMedianDays: 30, daysBefore: 0 }, "2025-01-31T00:00:00.000Z"],
    [{ orderCount: 3, ownIntervalDays: null, shopMedianDays: null, daysBefore: 3 }, null],
  ])("%o", (i, due) => {
    expect(replenishmentDueAt({ lastPurchasedAt: last, ...i })?.toISOString() ?? null).toBe(due);
  });
  it("stale", () => {
    expect(isStale(new Date("2025-01-01"), new Date("2025-01-05"), 3)).toBe(true);
    expect(isStale(new Date("2025-01-01"), new Date("2025-01-03"), 3)).toBe(false);
  });
});
