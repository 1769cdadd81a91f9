import { describe, expect, it } from "vitest";
import { losslessJsonSupported, parseJsonLossless } from "./lossless";

describe("parseJsonLossless", () => {
  it("keeps 64-bit integers exact and distinct", () => {
    const a = '{"id":820982911946154508}';
    const b = '{"id":820982911946154509}';
    // The plain parser cannot tell them apart.
    expect((JSON.parse(a) as { id: number }).id).toBe((JSON.parse(b) as { id: number }).id);
    expect(parseJsonLossless(a)).toEqual({ id: "820982911946154508" });
    expect(parseJsonLossless(b)).toEqual({ id: "820982911946154509" });
  });

  it.each([
    ["9007199254740991", 9007199254740991], // 2^53 − 1: still a number
    ["9007199254740992", "9007199254740992"],
    ["-9223372036854775808", "-9223372036854775808"],
    ["18446744073709551615", "18446744073709551615"],
    ["1.5", 1.5],
    ["1e21", 1e21], // not an integer literal: a number, as JSON.parse gives
    ['"820982911946154508"', "820982911946154508"],
    ["[1,2,12345678901234567890]", [1, 2, "12345678901234567890"]],
    ['{"a":{"b":[{"c":99999999999999999999}]}}', { a: { b: [{ c: "99999999999999999999" }] } }],
    ["null", null],
  ])("%s", (text, expected) => {
    expect(parseJsonLossless(text)).toEqual(expected);
  });

  it("rejects invalid JSON like JSON.parse", () => {
    expect(() => parseJsonLossless("{")).toThrow(SyntaxError);
  });

  it("is supported by this runtime", () => {
    expect(losslessJsonSupported()).toBe(true);
  });
});
