import { describe, expect, it } from "vitest";
import {
  AbandonedCartConfigSchema,
  decideAbandonedCart,
  delayMsOf,
  isRecoveredBy,
  isReminderCandidate,
  reminderDueAt,
} from "./abandoned-cart";

const t0 = new Date("2025-03-10T03:00:00Z"); // 12:00 Tokyo
const H = 3_600_000;
const open = { abandonedAt: t0, completedAt: null, hasOrder: false };

describe("settings", () => {
  it("defaults to a one-hour delay with the menu switch on", () => {
    const c = AbandonedCartConfigSchema.parse({});
    expect(c).toMatchObject({ delay: "PT1H", switchMenu: true, maxAge: "P7D" });
    expect(delayMsOf(c)).toBe(H);
  });
  it("accepts seconds and refuses nonsense", () => {
    expect(delayMsOf(AbandonedCartConfigSchema.parse({ delay: "PT2S" }))).toBe(2000);
    expect(AbandonedCartConfigSchema.safeParse({ delay: "1 hour" }).success).toBe(false);
  });
});

describe("reminderDueAt", () => {
  const quiet = { start: "21:00", end: "09:00" };
  it.each([
    ["daytime: abandonedAt + delay", t0, H, new Date(t0.getTime() + H)],
    ["due at 22:30 Tokyo waits for 09:00", new Date("2025-03-10T12:30:00Z"), H, new Date("2025-03-11T00:00:00Z")],
    ["due at 08:59 Tokyo waits one minute", new Date("2025-03-09T22:59:00Z"), 0, new Date("2025-03-10T00:00:00Z")],
  ])("%s", (_n, abandonedAt, delayMs, expected) => {
    expect(reminderDueAt({ abandonedAt, delayMs, quietHours: quiet, timeZone: "Asia/Tokyo" })).toEqual(expected);
  });
});

describe("decideAbandonedCart", () => {
  const base = { delayMs: H, maxAgeMs: 7 * 24 * H };
  it.each([
    ["due → send", open, new Date(t0.getTime() + H), { action: "send" }],
    ["a little early (within tolerance) → send", open, new Date(t0.getTime() + H - 100), { action: "send" }],
    [
      "too early (checkout updated since) → wait",
      open,
      new Date(t0.getTime() + H / 2),
      { action: "wait", until: new Date(t0.getTime() + H) },
    ],
    [
      "completed → cancel",
      { ...open, completedAt: t0, abandonedAt: null },
      new Date(t0.getTime() + H),
      { action: "cancel", reason: "order_completed" },
    ],
    [
      "order with its token → cancel",
      { ...open, hasOrder: true },
      new Date(t0.getTime() + H),
      { action: "cancel", reason: "order_completed" },
    ],
    ["gone → cancel", null, t0, { action: "cancel", reason: "checkout_missing" }],
    ["older than maxAge → cancel as stale", open, new Date(t0.getTime() + 8 * 24 * H), { action: "cancel", reason: "stale" }],
  ] as const)("%s", (_n, checkout, now, expected) => {
    expect(decideAbandonedCart({ ...base, checkout, now })).toEqual(expected);
  });

  it("candidates: open and recent only", () => {
    expect(isReminderCandidate(open, t0, base)).toBe(true);
    expect(isReminderCandidate({ ...open, hasOrder: true }, t0, base)).toBe(false);
    expect(isReminderCandidate(open, new Date(t0.getTime() + 8 * 24 * H), base)).toBe(false);
  });
});

describe("isRecoveredBy", () => {
  const order = (token: string | null, at: Date) => ({ checkoutToken: token, processedAt: at });
  it.each([
    ["same checkout token", null, order("tok", t0), true],
    ["click then order within the window", t0, order("other", new Date(t0.getTime() + 2 * 24 * H)), true],
    ["click then order after the window", t0, order("other", new Date(t0.getTime() + 8 * 24 * H)), false],
    ["order before the click", t0, order(null, new Date(t0.getTime() - H)), false],
    ["no click, other token", null, order("other", t0), false],
  ] as const)("%s", (_n, clickedAt, o, expected) => {
    expect(isRecoveredBy({ reminderToken: "tok", clickedAt, order: o, windowDays: 7 })).toBe(expected);
  });
});
