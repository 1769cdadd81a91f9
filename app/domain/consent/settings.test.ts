import { describe, expect, it } from "vitest";
import { parseKeywordList, validateConsentSettings, type ConsentSettingsInput } from "./settings";

const valid: ConsentSettingsInput = {
  optOutKeywords: "STOP\n配信停止",
  optInKeywords: "START",
  optOutReply: "Stopped.",
  optInReply: "Welcome back.",
  mirrorShopify: false,
};

describe("consent keywords", () => {
  it("splits on lines and commas (、 and ，too), trims, and drops duplicates after matching normalisation", () => {
    expect(parseKeywordList(" stop \nSTOP\nＳＴＯＰ, halt、やめる，停止\n\n")).toEqual(["stop", "halt", "やめる", "停止"]);
  });
});

describe("validateConsentSettings", () => {
  it("accepts a valid form and stores trimmed replies and keyword lists", () => {
    expect(validateConsentSettings({ ...valid, optOutReply: "  Stopped.  ", mirrorShopify: true })).toEqual({
      ok: true,
      value: {
        optOutKeywords: ["STOP", "配信停止"],
        optInKeywords: ["START"],
        optOutReply: "Stopped.",
        optInReply: "Welcome back.",
        mirrorShopify: true,
      },
    });
  });

  it("an empty opt-in list is allowed (friends can still opt in from a menu button)", () => {
    expect(validateConsentSettings({ ...valid, optInKeywords: "" }).ok).toBe(true);
  });

  it.each<[string, Partial<ConsentSettingsInput>, object]>([
    ["no opt-out word", { optOutKeywords: " \n " }, { optOutKeywords: { code: "noOptOutKeyword" } }],
    [
      "a word in both lists (after normalisation)",
      { optInKeywords: "ｓｔｏｐ" },
      { optInKeywords: { code: "keywordInBoth", keyword: "ｓｔｏｐ" } },
    ],
    ["a 51-character keyword", { optOutKeywords: "x".repeat(51) }, { optOutKeywords: { code: "keywordTooLong", keyword: "x".repeat(51) } }],
    [
      "21 keywords",
      { optInKeywords: Array.from({ length: 21 }, (_, i) => `go${i}`).join("\n") },
      { optInKeywords: { code: "tooManyKeywords" } },
    ],
    ["an empty reply", { optOutReply: "   " }, { optOutReply: { code: "replyEmpty" } }],
    ["a reply LINE would refuse (5,001 characters)", { optInReply: "a".repeat(5001) }, { optInReply: { code: "replyTooLong" } }],
  ])("refuses %s, naming the field", (_, patch, errors) => {
    expect(validateConsentSettings({ ...valid, ...patch })).toEqual({ ok: false, errors });
  });

  it("a 5,000-character reply and a 50-character keyword are still fine", () => {
    expect(validateConsentSettings({ ...valid, optInReply: "a".repeat(5000), optOutKeywords: "x".repeat(50) }).ok).toBe(true);
  });
});
