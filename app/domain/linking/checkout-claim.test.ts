import { describe, expect, it } from "vitest";
import { constantTimeEqual, decideCheckoutClaim, GUEST_CLAIM_WINDOW_MS, type CheckoutClaimFacts } from "./checkout-claim";

const now = new Date("2026-12-01T03:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const TOKEN = "b1946ac92492d2347c6235b4d2611184";

const guest = (
  over: Partial<CheckoutClaimFacts> = {},
  order: Partial<NonNullable<CheckoutClaimFacts["order"]>> = {},
): CheckoutClaimFacts => ({
  order: { customerId: 42n, createdAt: minutesAgo(2), processedAt: minutesAgo(2), checkoutToken: TOKEN, ...order },
  sessionCustomerId: null,
  presentedCheckoutToken: TOKEN,
  customerLinked: false,
  orderClaimed: false,
  ...over,
});

describe("decideCheckoutClaim", () => {
  it.each([
    ["guest, same checkout, 2 min old, unlinked", guest(), { ok: true, customerId: 42n, guest: true }],
    [
      "guest at the window's edge",
      guest({}, { createdAt: minutesAgo(30), processedAt: minutesAgo(30) }),
      { ok: true, customerId: 42n, guest: true },
    ],
    ["no such order", guest({ order: null }), { ok: false, reason: "order-not-found" }],
    ["order without customer", guest({}, { customerId: null }), { ok: false, reason: "no-customer" }],
    ["guest without a checkout token", guest({ presentedCheckoutToken: null }), { ok: false, reason: "checkout-mismatch" }],
    ["guest with another checkout's token", guest({ presentedCheckoutToken: "0".repeat(32) }), { ok: false, reason: "checkout-mismatch" }],
    ["guest, token prefix only", guest({ presentedCheckoutToken: TOKEN.slice(0, 16) }), { ok: false, reason: "checkout-mismatch" }],
    ["order has no checkout token (draft/POS)", guest({}, { checkoutToken: null }), { ok: false, reason: "checkout-mismatch" }],
    ["guest, 31 min old", guest({}, { createdAt: minutesAgo(31), processedAt: minutesAgo(31) }), { ok: false, reason: "too-old" }],
    [
      "guest, imported order: created now, processed last year",
      guest({}, { processedAt: new Date("2025-12-01T00:00:00Z") }),
      { ok: false, reason: "too-old" },
    ],
    ["guest, order from the future", guest({}, { createdAt: new Date(now.getTime() + 3600_000) }), { ok: false, reason: "too-old" }],
    ["guest, customer already linked", guest({ customerLinked: true }), { ok: false, reason: "already-linked" }],
    ["guest, order already claimed", guest({ orderClaimed: true }), { ok: false, reason: "already-claimed" }],
    [
      "logged in, own order (any age, linked or not: a replacement is confirmed in LINE later)",
      guest({ sessionCustomerId: 42n, presentedCheckoutToken: null, customerLinked: true }, { createdAt: minutesAgo(90_000) }),
      { ok: true, customerId: 42n, guest: false },
    ],
    ["logged in, another customer's order", guest({ sessionCustomerId: 7n }), { ok: false, reason: "other-customer" }],
  ] as const)("%s", (_name, facts, expected) => {
    expect(decideCheckoutClaim(facts, now)).toEqual(expected);
  });

  it("the window is minutes, not hours", () => {
    expect(GUEST_CLAIM_WINDOW_MS).toBe(30 * 60_000);
  });
});

describe("constantTimeEqual", () => {
  it.each([
    ["abc", "abc", true],
    ["abc", "abd", false],
    ["abc", "ab", false],
    ["", "", true],
    ["", "a", false],
  ])("%j vs %j", (a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
  });
});
