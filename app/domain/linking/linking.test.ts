import { describe, expect, it } from "vitest";
import {
  checkIntent,
  linkRate,
  linkReplacesExisting,
  parsePostbackData,
  parseShopifyId,
  planLink,
  profileIsStale,
  validateLinkRows,
} from "./linking";

const U1 = "U" + "1".repeat(32);
const U2 = "U" + "a".repeat(32);

describe("planLink", () => {
  it.each([
    [
      "new link",
      { friendCustomerId: null, customerHolderFriendId: null },
      { outcome: "linked", unlinkHolderFriendId: null, previousCustomerId: null },
    ],
    ["same link again", { friendCustomerId: 7, customerHolderFriendId: 1 }, { outcome: "unchanged" }],
    [
      "friend moves to another customer",
      { friendCustomerId: 5, customerHolderFriendId: null },
      { outcome: "relinked", unlinkHolderFriendId: null, previousCustomerId: 5 },
    ],
    [
      "customer held by another friend",
      { friendCustomerId: null, customerHolderFriendId: 2 },
      { outcome: "linked", unlinkHolderFriendId: 2, previousCustomerId: null },
    ],
    [
      "both move",
      { friendCustomerId: 5, customerHolderFriendId: 2 },
      { outcome: "relinked", unlinkHolderFriendId: 2, previousCustomerId: 5 },
    ],
  ] as const)("%s", (_name, state, expected) => {
    expect(planLink(1, 7, state)).toEqual(expected);
  });
});

describe("checkIntent", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  it.each([
    ["missing", null, "unknown"],
    ["used", { expiresAt: new Date("2026-01-01T00:10:00Z"), usedAt: now }, "used"],
    ["expired exactly now", { expiresAt: now, usedAt: null }, "expired"],
    ["valid", { expiresAt: new Date("2026-01-01T00:00:01Z"), usedAt: null }, "ok"],
  ] as const)("%s", (_n, intent, expected) => {
    expect(checkIntent(intent, now)).toBe(expected);
  });
});

describe("parsePostbackData", () => {
  it("reads menu, area and action", () => {
    expect(parsePostbackData("menu=12&area=Link%20account&action=link")).toMatchObject({
      menu: "12",
      area: "Link account",
      action: "link",
    });
  });
  it("keeps unstructured data raw", () => {
    expect(parsePostbackData("hello")).toMatchObject({ raw: "hello", menu: undefined, action: undefined });
  });
});

describe("parseShopifyId", () => {
  it.each([
    ["gid://shopify/Customer/123", 123n],
    ["123", 123n],
    [456, 456n],
    ["gid://shopify/Order/123", null],
    ["0", null],
    ["-5", null],
    ["abc", null],
    ["99999999999999999999", null],
  ] as const)("%s", (v, expected) => {
    expect(parseShopifyId(v, "Customer")).toBe(expected);
  });
});

describe("validateLinkRows", () => {
  it("reports per-line errors and duplicates, keeps valid rows", () => {
    const r = validateLinkRows([
      { line: 2, values: { shopify_customer_id: "100", line_user_id: U1 } },
      { line: 3, values: { shopify_customer_id: "x", line_user_id: U2 } },
      { line: 4, values: { shopify_customer_id: "101", line_user_id: "nope" } },
      { line: 5, values: { shopify_customer_id: "100", line_user_id: U2 } },
      { line: 6, values: { shopify_customer_id: "102", line_user_id: U1 } },
      { line: 7, values: { shopify_customer_id: "gid://shopify/Customer/103", line_user_id: U2 } },
    ]);
    expect(r.rows).toEqual([
      { line: 2, shopifyCustomerId: 100n, lineUserId: U1 },
      { line: 7, shopifyCustomerId: 103n, lineUserId: U2 },
    ]);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(r.errors[2].message).toContain("line 2");
    // The admin shows these in the merchant's language from the code and its values.
    expect(r.errors.map((e) => [e.code, e.params])).toEqual([
      ["badCustomerId", { value: "x" }],
      ["badLineUserId", { value: "nope" }],
      ["duplicateCustomer", { value: "100", first: 2 }],
      ["duplicateLineUser", { value: U1, first: 2 }],
    ]);
  });
});

describe("linkRate / profileIsStale", () => {
  it("link rate is 0 without orders", () => {
    expect(linkRate(3, 0)).toBe(0);
    expect(linkRate(1, 3)).toBe(0.3333);
  });
  it("profile older than 7 days is stale", () => {
    const now = new Date("2026-01-10T00:00:00Z");
    expect(profileIsStale(null, now)).toBe(true);
    expect(profileIsStale(new Date("2026-01-02T23:59:59Z"), now)).toBe(true);
    expect(profileIsStale(new Date("2026-01-04T00:00:00Z"), now)).toBe(false);
  });
});

describe("linkReplacesExisting", () => {
  it.each([
    [{ outcome: "unchanged" }, false],
    [{ outcome: "linked", unlinkHolderFriendId: null, previousCustomerId: null }, false],
    [{ outcome: "linked", unlinkHolderFriendId: 2, previousCustomerId: null }, true],
    [{ outcome: "relinked", unlinkHolderFriendId: null, previousCustomerId: 5 }, true],
  ] as const)("%j → %s", (plan, expected) => {
    expect(linkReplacesExisting(plan)).toBe(expected);
  });
});
