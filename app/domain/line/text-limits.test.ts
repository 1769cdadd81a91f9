import { describe, expect, it } from "vitest";
import { checkText, graphemeLength, LINE_TEXT_LIMITS, measureText, truncateFor, truncateText } from "./text-limits";

const THAI_14 = "แตะเพื่อดูเมนูพิเศษ"; // "tap to see the special menu": 14 graphemes, 19 code points
const FAMILY = "👨‍👩‍👧‍👦"; // man ZWJ woman ZWJ girl ZWJ boy: 1 grapheme, 7 code points, 11 UTF-16 units
const APPLE = "🍎"; // LINE's own example: 2 UTF-16 units

const hasLoneSurrogate = (s: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe("measuring as LINE counts", () => {
  it.each([
    ["a", 1, 1],
    ["あ", 1, 1],
    ["𠀋", 2, 1],
    ["👋🏻", 4, 1],
    [APPLE, 2, 1],
    [FAMILY, 11, 1],
    [THAI_14, 19, 14],
    ["🇯🇵", 4, 1],
  ])("%s is %i UTF-16 units and %i grapheme(s)", (s, units, clusters) => {
    expect(graphemeLength(s)).toBe(clusters);
    expect(measureText(s, "utf16")).toBe(units);
    expect(measureText(s, "grapheme")).toBe(clusters);
  });
});

describe("checkText", () => {
  it("accepts a 14-grapheme Thai chat bar text (19 code points) and refuses 15 graphemes", () => {
    expect(checkText("chatBarText", THAI_14)).toBeNull();
    expect(checkText("chatBarText", `${THAI_14}ก`)).toEqual({
      code: "too_long",
      field: "chatBarText",
      limit: 14,
      unit: "grapheme",
      length: 15,
    });
  });

  it("counts a family emoji as one character in a chat bar text and a label", () => {
    expect(checkText("chatBarText", FAMILY.repeat(14))).toBeNull();
    expect(checkText("richMenuActionLabel", FAMILY.repeat(20))).toBeNull();
    expect(checkText("richMenuActionLabel", FAMILY.repeat(21))).toMatchObject({ code: "too_long", length: 21 });
  });

  it("counts message text in UTF-16 units: 5,000 accepted, 5,001 refused, astral characters count twice", () => {
    expect(checkText("messageText", APPLE.repeat(2500))).toBeNull();
    expect(checkText("messageText", `${APPLE.repeat(2500)}x`)).toEqual({
      code: "too_long",
      field: "messageText",
      limit: 5000,
      unit: "utf16",
      length: 5001,
    });
    // 4,999 code points but 5,001 UTF-16 units: a code-point count would let it through.
    const text = `${"x".repeat(4997)}${APPLE}${APPLE}`;
    expect([...text].length).toBe(4999);
    expect(checkText("messageText", text)).toMatchObject({ code: "too_long", length: 5001 });
  });

  it("reports blank text as empty unless optional", () => {
    expect(checkText("messageText", " ")).toEqual({ code: "empty", field: "messageText" });
    expect(checkText("messageText", undefined)).toEqual({ code: "empty", field: "messageText" });
    expect(checkText("postbackDisplayText", undefined, { optional: true })).toBeNull();
  });

  it("names a source for every limit", () => {
    for (const [field, l] of Object.entries(LINE_TEXT_LIMITS))
      expect(l.source, field).toMatch(/^(https:\/\/developers\.line\.biz|shared\/line-openapi)/);
  });
});

describe("truncateText", () => {
  it("never cuts a surrogate pair when shortening to UTF-16 units", () => {
    for (let max = 0; max < 12; max++) {
      const out = truncateText(`a${APPLE.repeat(10)}`, max, "utf16");
      expect(hasLoneSurrogate(out), `max ${max}`).toBe(false);
      expect(out.length).toBeLessThanOrEqual(max);
    }
    expect(truncateText(`a${APPLE}${APPLE}`, 4, "utf16")).toBe(`a${APPLE}`);
  });

  it("never cuts a grapheme cluster (emoji ZWJ sequence, Thai vowel marks)", () => {
    expect(truncateText(`ab${FAMILY}`, 12, "utf16")).toBe("ab");
    expect(truncateText(`ab${FAMILY}`, 13, "utf16")).toBe(`ab${FAMILY}`);
    expect(truncateText("ที่", 2, "utf16")).toBe(""); // one grapheme of 3 units
    expect(truncateText(`${THAI_14}ก`, 14, "grapheme")).toBe(THAI_14);
  });

  it("appends the ellipsis within the limit, only when it cuts", () => {
    expect(truncateText("hello", 5, "utf16", "…")).toBe("hello");
    expect(truncateText("hello world", 6, "utf16", "…")).toBe("hello…");
    expect(truncateText(`${APPLE.repeat(3)}`, 5, "utf16", "…")).toBe(`${APPLE}${APPLE}…`);
  });

  it("shortens to a field's limit in that field's unit", () => {
    expect(graphemeLength(truncateFor("chatBarText", FAMILY.repeat(20)))).toBe(14);
    expect(truncateFor("messageText", APPLE.repeat(2600)).length).toBe(5000);
  });
});
