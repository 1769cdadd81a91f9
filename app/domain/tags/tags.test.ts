import { describe, expect, it } from "vitest";
import { rulesFor, tagChanges, tagRuleInputSchema, tagInputSchema, type TagRuleLike } from "./tags";

const rule = (over: Partial<TagRuleLike>): TagRuleLike => ({
  id: 1,
  trigger: "keyword",
  match: "coupon",
  action: "add",
  tagId: 10,
  enabled: true,
  ...over,
});

describe("rulesFor", () => {
  it.each<[string, TagRuleLike, { kind: TagRuleLike["trigger"]; values: string[] }, boolean]>([
    ["keyword, same case", rule({}), { kind: "keyword", values: ["coupon"] }, true],
    ["keyword ignores case, space and width", rule({ match: "Coupon" }), { kind: "keyword", values: ["  ＣＯＵＰＯＮ "] }, true],
    ["keyword is a whole-message match", rule({}), { kind: "keyword", values: ["coupon please"] }, false],
    ["keyword rule needs a match", rule({ match: null }), { kind: "keyword", values: ["x"] }, false],
    ["disabled rule", rule({ enabled: false }), { kind: "keyword", values: ["coupon"] }, false],
    ["other trigger", rule({ trigger: "menu_tap", match: "area:coupon" }), { kind: "keyword", values: ["area:coupon"] }, false],
    [
      "menu tap by data",
      rule({ trigger: "menu_tap", match: "action=coupon" }),
      { kind: "menu_tap", values: ["action=coupon", "coupon"] },
      true,
    ],
    ["segment enter by id", rule({ trigger: "segment_enter", match: "5" }), { kind: "segment_enter", values: ["5"] }, true],
    ["segment enter other id", rule({ trigger: "segment_enter", match: "5" }), { kind: "segment_enter", values: ["6"] }, false],
    ["account linked, any", rule({ trigger: "account_linked", match: null }), { kind: "account_linked", values: [] }, true],
  ])("%s", (_n, r, e, expected) => {
    expect(rulesFor(e as never, [r]).length === 1).toBe(expected);
  });
});

describe("tagChanges", () => {
  it("remove wins over add for the same tag", () => {
    expect(tagChanges([rule({ tagId: 1 }), rule({ tagId: 1, action: "remove" }), rule({ tagId: 2 })])).toEqual({ add: [2], remove: [1] });
  });
});

describe("input schemas", () => {
  it("tag kinds", () => {
    expect(tagInputSchema.parse({ name: " VIP ", kind: "value" })).toEqual({ name: "VIP", kind: "value" });
    expect(tagInputSchema.safeParse({ name: "x", kind: "weird" }).success).toBe(false);
  });
  it("keyword rules need a keyword; segment rules a segment id", () => {
    expect(tagRuleInputSchema.safeParse({ trigger: "keyword", tagId: 1 }).success).toBe(false);
    expect(tagRuleInputSchema.safeParse({ trigger: "segment_enter", match: "abc", tagId: 1 }).success).toBe(false);
    expect(tagRuleInputSchema.safeParse({ trigger: "segment_enter", match: "3", tagId: 1 }).success).toBe(true);
  });
});
