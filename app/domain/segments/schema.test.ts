import { describe, expect, it } from "vitest";
import { createInstance } from "i18next";
import { i18nOptions } from "~/i18n/config";
import { ISSUE_TEXT, parseDefinition, referencedTags, renameTagInDefinition } from "./schema";

const ok = (input: unknown) => {
  const r = parseDefinition(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.definition;
};
const issues = (input: unknown) => {
  const r = parseDefinition(input);
  if (r.ok) throw new Error("expected issues");
  return r.issues;
};

describe("parseDefinition", () => {
  it("accepts every example of the issue", () => {
    const def = ok({
      groups: [
        {
          conditions: [
            { field: "friendAddedAt", op: "withinLastDays", value: 7 },
            { field: "friendAddedAt", op: "before", value: "2026-01-01" },
            { field: "friendAddedAt", op: "after", value: "2026-01-01" },
            { field: "friendAddedAt", op: "between", value: ["2026-01-01", "2026-02-01"] },
            { field: "tag", op: "has", value: "VIP" },
            { field: "tag", op: "hasNot", value: "VIP" },
            { field: "shopifyLinked", op: "is", value: true },
            { field: "shopifyTag", op: "hasAny", value: ["wholesale", "vip"] },
            { field: "shopifyTag", op: "hasNone", value: ["wholesale"] },
            { field: "purchaseCount", op: "gte", value: 3 },
            { field: "daysSinceLastPurchase", op: "gte", value: 90 },
            { field: "abandonedCart", op: "is", value: true, minHours: 1, maxHours: 48 },
          ],
        },
      ],
    });
    expect(def.groups[0]!.conditions).toHaveLength(12);
  });

  it("accepts the extensions and a version", () => {
    ok({
      version: 1,
      groups: [
        {
          conditions: [
            { field: "amountSpent", op: "between", value: [1000, 5000.5] },
            { field: "productPurchased", op: "hasAny", value: ["123"], withinDays: 30 },
            { field: "linkClicked", op: "gte", value: 2, linkTag: "spring", withinDays: 14 },
            { field: "richMenuTapped", op: "gte", value: 1, area: "coupon" },
            { field: "marketingConsent", op: "is", value: true },
            { field: "following", op: "is", value: true },
            { field: "hasPurchased", op: "is", value: false },
          ],
        },
      ],
    });
  });

  it("zero groups is valid (everyone)", () => {
    expect(ok({ groups: [] }).groups).toEqual([]);
  });

  it.each([
    [{ groups: [{ conditions: [] }] }, "groups[0].conditions", /at least one condition/],
    [{ groups: [{ conditions: [{ field: "nope", op: "is", value: 1 }] }] }, "groups[0].conditions[0].field", /Unknown field/],
    [{ groups: [{ conditions: [{ field: "tag", op: "gte", value: 1 }] }] }, "groups[0].conditions[0].op", /expected one of has, hasNot/],
    [
      {
        groups: [
          {
            conditions: [
              { field: "tag", op: "has", value: "x" },
              { field: "purchaseCount", op: "gte", value: "3" },
            ],
          },
        ],
      },
      "groups[0].conditions[1].value",
      /number/,
    ],
    [{ groups: [{ conditions: [{ field: "purchaseCount", op: "between", value: [5, 3] }] }] }, "groups[0].conditions[0].value", /low end/],
    [{ groups: [{ conditions: [{ field: "purchaseCount", op: "between", value: 3 }] }] }, "groups[0].conditions[0].value", /between takes/],
    [{ groups: [{ conditions: [{ field: "purchaseCount", op: "gte", value: 1.5 }] }] }, "groups[0].conditions[0].value", /whole/],
    [
      { groups: [{ conditions: [{ field: "friendAddedAt", op: "before", value: "2026-02-30" }] }] },
      "groups[0].conditions[0].value",
      /real calendar date/,
    ],
    [
      { groups: [{ conditions: [{ field: "friendAddedAt", op: "withinLastDays", value: 0 }] }] },
      "groups[0].conditions[0].value",
      /At least 1/,
    ],
    [
      { groups: [{ conditions: [{ field: "abandonedCart", op: "is", value: true, minHours: 50, maxHours: 48 }] }] },
      "groups[0].conditions[0].maxHours",
      /minHours/,
    ],
    [{ groups: [{ conditions: [{ field: "tag", op: "has", value: "x", extra: 1 }] }] }, "groups[0].conditions[0]", /Unknown key "extra"/],
    [{ groups: [], extra: true }, "extra", /Unknown key/],
    [{ groups: [], version: 2 }, "version", /version 1 or lower/],
    [{ groups: "x" }, "groups", /must be a list/],
    [{ groups: [{ conditions: [{ field: "shopifyTag", op: "hasAny", value: [] }] }] }, "groups[0].conditions[0].value", /at least one/],
  ])("rejects %j at %s", (input, path, message) => {
    const found = issues(input);
    expect(found.map((i) => i.path)).toContain(path);
    expect(found.find((i) => i.path === path)!.message).toMatch(message);
  });

  it("rejects a non-object", () => {
    expect(issues(null)[0]!.path).toBe("");
  });
});

describe("tag references", () => {
  const def = ok({
    groups: [
      {
        conditions: [
          { field: "tag", op: "has", value: "VIP" },
          { field: "shopifyTag", op: "hasAny", value: ["VIP"] },
        ],
      },
      { conditions: [{ field: "tag", op: "hasAny", value: ["VIP", "Gold"] }] },
    ],
  });
  it("lists friend tag names only (Shopify tags are another namespace)", () => {
    expect(referencedTags(def).sort()).toEqual(["Gold", "VIP"]);
  });
  it("renames inside tag conditions and dedupes lists", () => {
    const renamed = renameTagInDefinition(def, "VIP", "Gold");
    expect(renamed.groups[0]!.conditions[0]).toEqual({ field: "tag", op: "has", value: "Gold" });
    expect(renamed.groups[0]!.conditions[1]).toEqual({ field: "shopifyTag", op: "hasAny", value: ["VIP"] });
    expect(renamed.groups[1]!.conditions[0]).toEqual({ field: "tag", op: "hasAny", value: ["Gold"] });
  });
});

describe("issue codes", () => {
  // The admin says `segments.issue.<code>` (app/locales); the CLI and API print the English message.
  // English in the admin is the CLI's English, so a merchant and a script read the same words.
  const en = createInstance();
  void en.init({ ...i18nOptions, lng: "en" });
  const sample: Record<string, Record<string, string | number>> = {
    unknownKey: { keys: '"a", "b"', count: 2 },
    versionTooNew: { version: 1 },
    unknownField: { fields: "tag, following" },
    unknownOp: { field: "tag", ops: "has, hasNot" },
    dateRange: { from: "1900-01-01", to: "2999-12-31" },
    minDays: { min: 1 },
  };
  it.each(Object.keys(ISSUE_TEXT) as Array<keyof typeof ISSUE_TEXT>)("%s reads the same in the admin's English as in the CLI", (code) => {
    const params = sample[code] ?? { max: 36_500 };
    const text = (ISSUE_TEXT as Record<string, (p: object) => string>)[code]!(params);
    const shown = Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, typeof v === "number" && k !== "count" ? v.toLocaleString("en-US") : v]),
    );
    expect(en.t(`segments.issue.${code}`, shown)).toBe(text);
  });

  it("every issue carries a code", () => {
    const bad = [
      { field: "purchaseCount", op: "gte", value: "3" },
      { field: "purchaseCount", op: "between", value: [1] },
      { field: "tag", op: "has", value: "", extra: 1 },
      { field: "amountSpent", op: "lt", value: 1e15 },
    ];
    for (const i of issues({ groups: [{ conditions: bad }] })) expect(i.code).toMatch(/^[a-zA-Z]+$/);
    expect(issues({ groups: [{ conditions: [{ field: "amountSpent", op: "lt", value: 1e15 }] }] })[0]).toMatchObject({
      code: "atMost",
      params: { max: 999_999_999_999.99 },
      message: "At most 999,999,999,999.99",
    });
  });
});
