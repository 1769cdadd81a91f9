// HubSpot / Klaviyo conditions: validation, evaluation (the reference semantics the SQL compiler is
// checked against in test/integration/segments-property.test.ts), time dependence and summaries.
import { describe, expect, it } from "vitest";
import { evaluateDefinition, friendFacts, type FriendFacts } from "./evaluate";
import { parseDefinition, type Condition } from "./schema";
import { isTimeDependent, nextMembershipChange } from "./next-change";
import { compileDefinition } from "./compile-sql";
import { describeDefinition } from "./summary";
import { DATE_PATTERN, DATETIME_PATTERN, propertyText } from "./property-values";

const TOKYO = "Asia/Tokyo";
// 2026-03-10 12:00 in Tokyo.
const NOW = new Date("2026-03-10T03:00:00Z");
const ctx = { now: NOW, timeZone: TOKYO };

function facts(contacts: FriendFacts["contacts"]): FriendFacts {
  return friendFacts({ followedAt: NOW, following: true, marketingOptOut: false, contacts });
}
const one = (c: unknown) => ({ groups: [{ conditions: [c as Condition] }] });
const hub = (properties: Record<string, unknown>, lists: string[] = []) => ({ provider: "hubspot" as const, properties, lists });
const kla = (properties: Record<string, unknown>, lists: string[] = []) => ({ provider: "klaviyo" as const, properties, lists });

describe("validation", () => {
  it.each([
    { field: "hubspotLinked", op: "is", value: true },
    { field: "klaviyoList", op: "hasNone", value: ["Xy12"] },
    { field: "hubspotProperty", property: "lifecyclestage", op: "hasAny", value: ["customer"] },
    { field: "hubspotProperty", property: "email", op: "contains", value: "@example.com" },
    { field: "klaviyoProperty", property: "properties.vip", op: "is", value: true },
    { field: "klaviyoProperty", property: "first_name", op: "isUnknown" },
    { field: "hubspotProperty", property: "num_orders", op: "between", value: [1.5, 3] },
    { field: "hubspotProperty", property: "closedate", op: "between", value: ["2026-01-01", "2026-01-31"] },
    { field: "hubspotProperty", property: "closedate", op: "withinLastDays", value: 30 },
  ])("accepts %j", (c) => {
    expect(parseDefinition(one(c))).toMatchObject({ ok: true });
  });

  it.each([
    [{ field: "hubspotLinked", op: "is", value: "yes" }, "value"],
    [{ field: "hubspotList", op: "hasAny", value: [] }, "value"],
    [{ field: "hubspotProperty", op: "isKnown" }, "property"],
    [{ field: "hubspotProperty", property: "x", op: "isKnown", value: 1 }, ""],
    [{ field: "hubspotProperty", property: "x", op: "contains", value: "" }, "value"],
    [{ field: "hubspotProperty", property: "x", op: "between", value: [3, 1] }, "value"],
    [{ field: "hubspotProperty", property: "x", op: "between", value: ["2026-02-01", "2026-01-01"] }, "value"],
    [{ field: "hubspotProperty", property: "x", op: "between", value: [1, "2026-01-01"] }, "value[1]"],
    [{ field: "hubspotProperty", property: "x", op: "before", value: "2026-02-30" }, "value"],
    [{ field: "hubspotProperty", property: "x", op: "gt", value: 1.2345 }, "value"],
  ])("refuses %j at %s", (c, path) => {
    const r = parseDefinition(one(c));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toContain(`groups[0].conditions[0]${path ? `.${path}` : ""}`);
  });
});

describe("evaluation", () => {
  const H = "hubspotProperty";
  // [condition, contacts, expected]
  const cases: Array<[unknown, FriendFacts["contacts"], boolean]> = [
    [{ field: "hubspotLinked", op: "is", value: true }, [hub({})], true],
    [{ field: "hubspotLinked", op: "is", value: true }, [kla({})], false],
    [{ field: "hubspotLinked", op: "is", value: false }, [kla({})], true],
    [{ field: "klaviyoLinked", op: "is", value: true }, [kla({})], true],
    [{ field: "hubspotList", op: "hasAny", value: ["1", "2"] }, [hub({}, ["2"])], true],
    [{ field: "hubspotList", op: "hasAny", value: ["1"] }, [kla({}, ["1"])], false],
    [{ field: "hubspotList", op: "hasNone", value: ["1"] }, [], true],
    [{ field: "hubspotList", op: "hasNone", value: ["1"] }, [hub({}, ["3"]), hub({}, ["1"])], false],
    // Text: A–Z case ignored, other letters compared as they are.
    [{ field: H, property: "email", op: "is", value: "Ann@Example.com" }, [hub({ email: "ann@example.com" })], true],
    [{ field: H, property: "city", op: "is", value: "ÉCOLE" }, [hub({ city: "école" })], false],
    [{ field: H, property: "email", op: "contains", value: "EXAMPLE" }, [hub({ email: "ann@example.com" })], true],
    [{ field: H, property: "email", op: "notContains", value: "example" }, [hub({ email: "ann@example.com" })], false],
    [{ field: H, property: "email", op: "notContains", value: "example" }, [], true],
    [{ field: H, property: "email", op: "isNot", value: "a@b.c" }, [hub({ email: "x@y.z" })], true],
    // Known: present and not "" (HubSpot's cleared value); arrays/objects count as unknown.
    [{ field: H, property: "company", op: "isKnown" }, [hub({ company: "" })], false],
    [{ field: H, property: "company", op: "isKnown" }, [hub({ company: "Acme" })], true],
    [{ field: H, property: "company", op: "isKnown" }, [hub({ company: ["Acme"] })], false],
    [{ field: H, property: "company", op: "isUnknown" }, [hub({}), hub({ company: "Acme" })], false],
    [{ field: H, property: "company", op: "isUnknown" }, [], true],
    // Enumerations, with HubSpot's "a;b" multi-select values.
    [{ field: H, property: "lifecyclestage", op: "hasAny", value: ["customer"] }, [hub({ lifecyclestage: "customer" })], true],
    [{ field: H, property: "lifecyclestage", op: "hasAny", value: ["customer"] }, [hub({ lifecyclestage: "lead" })], false],
    [{ field: H, property: "interests", op: "hasAny", value: ["tea"] }, [hub({ interests: "coffee;tea" })], true],
    [{ field: H, property: "interests", op: "hasNone", value: ["tea"] }, [hub({ interests: "coffee;tea" })], false],
    // Numbers: strings from HubSpot, JSON numbers from Klaviyo; other text is not a number.
    [{ field: H, property: "n", op: "gte", value: 5 }, [hub({ n: "5" })], true],
    [{ field: H, property: "n", op: "gt", value: 5 }, [hub({ n: "5.001" })], true],
    [{ field: "klaviyoProperty", property: "n", op: "lt", value: 0 }, [kla({ n: -2.5 })], true],
    [{ field: H, property: "n", op: "eq", value: 5 }, [hub({ n: "5 items" })], false],
    [{ field: H, property: "n", op: "between", value: [1, 2] }, [hub({ n: "2" })], true],
    // Booleans: "true" / true alike.
    [{ field: "klaviyoProperty", property: "vip", op: "is", value: true }, [kla({ vip: true })], true],
    [{ field: H, property: "vip", op: "is", value: true }, [hub({ vip: "true" })], true],
    [{ field: H, property: "vip", op: "is", value: false }, [hub({ vip: "true" })], false],
    // Dates: date-only values by calendar day, datetimes by the shop-local day of the instant.
    [{ field: H, property: "d", op: "before", value: "2026-03-01" }, [hub({ d: "2026-02-28" })], true],
    [{ field: H, property: "d", op: "before", value: "2026-03-01" }, [hub({ d: "2026-03-01" })], false],
    [{ field: H, property: "d", op: "after", value: "2026-03-01" }, [hub({ d: "2026-03-01" })], false],
    [{ field: H, property: "d", op: "after", value: "2026-03-01" }, [hub({ d: "2026-03-02" })], true],
    // 2026-02-28T15:00Z is 2026-03-01 00:00 in Tokyo.
    [{ field: H, property: "d", op: "before", value: "2026-03-01" }, [hub({ d: "2026-02-28T15:00:00.000Z" })], false],
    [{ field: H, property: "d", op: "before", value: "2026-03-01" }, [hub({ d: "2026-02-28T14:59:59.999Z" })], true],
    [{ field: H, property: "d", op: "between", value: ["2026-03-01", "2026-03-01"] }, [hub({ d: "2026-03-01T23:59:59+09:00" })], true],
    [{ field: H, property: "d", op: "withinLastDays", value: 1 }, [hub({ d: "2026-03-10" })], true],
    [{ field: H, property: "d", op: "withinLastDays", value: 1 }, [hub({ d: "2026-03-09" })], false],
    [{ field: H, property: "d", op: "withinLastDays", value: 7 }, [hub({ d: "2026-03-11" })], false],
    [{ field: H, property: "d", op: "after", value: "2026-01-01" }, [hub({ d: "2026-02-30" })], false],
    [{ field: H, property: "d", op: "after", value: "2026-01-01" }, [hub({ d: "2026-03-01T24:00:00Z" })], false],
  ];
  it.each(cases)("%j over %j → %s", (c, contacts, expected) => {
    const parsed = parseDefinition(one(c));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(evaluateDefinition(parsed.definition, facts(contacts), ctx)).toBe(expected);
  });

  it("the issue's example: (Shopify linked and 5+ purchases) or (HubSpot linked and lifecycle stage customer)", () => {
    const def = {
      groups: [
        {
          conditions: [
            { field: "shopifyLinked", op: "is", value: true },
            { field: "purchaseCount", op: "gte", value: 5 },
          ],
        },
        {
          conditions: [
            { field: "hubspotLinked", op: "is", value: true },
            { field: "hubspotProperty", property: "lifecyclestage", op: "hasAny", value: ["customer"] },
          ],
        },
      ],
    };
    const parsed = parseDefinition(def);
    if (!parsed.ok) throw new Error("invalid");
    expect(evaluateDefinition(parsed.definition, facts([hub({ lifecyclestage: "customer" })]), ctx)).toBe(true);
    expect(evaluateDefinition(parsed.definition, facts([hub({ lifecyclestage: "lead" })]), ctx)).toBe(false);
    expect(
      evaluateDefinition(
        parsed.definition,
        {
          ...facts([]),
          customer: { purchaseCount: 5, lastPurchaseAt: NOW, amountSpent: 1, tags: [], abandonedCheckoutAt: null },
        },
        ctx,
      ),
    ).toBe(true);
  });
});

describe("patterns", () => {
  it.each([
    ["2024-02-29", true],
    ["2023-02-29", false],
    ["2000-02-29", true],
    ["1900-02-29", false],
    ["2026-04-31", false],
    ["2026-12-31", true],
  ])("date %s → %s", (s, ok) => expect(new RegExp(DATE_PATTERN).test(s)).toBe(ok));
  it.each([
    ["2026-03-01T10:00Z", true],
    ["2026-03-01T10:00:00.123+09:00", true],
    ["2026-03-01T10:00:00.1234Z", false],
    ["2026-03-01T10:00:00", false],
    ["2026-03-01 10:00:00Z", false],
  ])("datetime %s → %s", (s, ok) => expect(new RegExp(DATETIME_PATTERN).test(s)).toBe(ok));
  it("reads JSON scalars as PostgreSQL's ->> does", () => {
    expect([propertyText("a"), propertyText(1.5), propertyText(true), propertyText(null), propertyText({ a: 1 })]).toEqual([
      "a",
      "1.5",
      "true",
      null,
      null,
    ]);
  });
});

describe("SQL", () => {
  it("keeps property names, list ids and values out of the SQL text", () => {
    const evil = 'x\'); DROP TABLE "Friend"; --';
    const { sql, params } = compileDefinition(
      {
        groups: [
          {
            conditions: [
              { field: "hubspotList", op: "hasAny", value: [evil] },
              { field: "klaviyoProperty", property: evil, op: "contains", value: evil },
              { field: "hubspotProperty", property: evil, op: "hasNone", value: [evil] },
            ],
          },
        ],
      },
      { ...ctx, shopId: 7 },
    );
    expect(sql).not.toContain("DROP");
    expect(params.filter((p) => p === evil || (Array.isArray(p) && p.includes(evil)))).toHaveLength(5);
  });
});

describe("time dependence", () => {
  const c: Condition = { field: "klaviyoProperty", property: "renewal", op: "withinLastDays", value: 7 };
  it("only 'in the last N days' moves with time", () => {
    expect(isTimeDependent(one(c))).toBe(true);
    expect(isTimeDependent(one({ ...c, op: "after", value: "2026-01-01" }))).toBe(false);
  });
  it("flips when a future date arrives and when it leaves the window", () => {
    const f = facts([kla({ renewal: "2026-03-12" })]);
    expect(nextMembershipChange(one(c), f, ctx)).toEqual(new Date("2026-03-11T15:00:00Z"));
    const past = facts([kla({ renewal: "2026-03-09T10:00:00+09:00" })]);
    expect(nextMembershipChange(one(c), past, ctx)).toEqual(new Date("2026-03-15T15:00:00Z"));
  });
});

describe("summary", () => {
  const def = {
    groups: [
      {
        conditions: [
          { field: "hubspotLinked", op: "is", value: true },
          { field: "hubspotProperty", property: "lifecyclestage", op: "hasAny", value: ["customer"] },
          { field: "klaviyoList", op: "hasAny", value: ["L1"] },
        ] as Condition[],
      },
    ],
  };
  const names = {
    lists: new Map([["klaviyo:L1", "Newsletter"]]),
    properties: new Map([["hubspot:lifecyclestage", { label: "Lifecycle stage", options: new Map([["customer", "Customer"]]) }]]),
  };
  it.each([
    [
      "en",
      "Anyone who is linked to a HubSpot contact and has HubSpot “Lifecycle stage” that is “Customer” and is in Klaviyo list “Newsletter”",
    ],
    [
      "ja",
      "HubSpotコンタクトと連携済みの かつ HubSpotの「Lifecycle stage」が「Customer」のいずれかである かつ Klaviyoリスト「Newsletter」に含まれる友だち",
    ],
    ["zh-TW", "已連結 HubSpot 聯絡人 且 HubSpot「Lifecycle stage」為「Customer」其中之一 且 在 Klaviyo 名單「Newsletter」中的好友"],
    ["th", "เพื่อนที่เชื่อมกับผู้ติดต่อ HubSpot แล้ว และ HubSpot “Lifecycle stage” เป็น “Customer” อย่างใดอย่างหนึ่ง และ อยู่ในรายชื่อ Klaviyo “Newsletter”"],
  ] as const)("%s with names from metadata", (locale, text) => {
    expect(describeDefinition(def, locale, names)).toBe(text);
  });
  it("falls back to ids without metadata", () => {
    expect(describeDefinition(def, "en")).toContain("“lifecyclestage” that is “customer”");
  });
});
