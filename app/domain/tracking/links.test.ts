import { describe, expect, it } from "vitest";
import { cartPermalink, codeFromBytes, extractUrls, isValidCode, parseFriendToken, redirectTarget, shortUrl } from "./links";

describe("redirectTarget", () => {
  it.each([
    ["https://s.example/p?a=1", "https://s.example/p?a=1&utm_source=line&utm_medium=broadcast&utm_campaign=abc"],
    ["https://s.example/p?utm_source=mail", "https://s.example/p?utm_source=mail&utm_medium=broadcast&utm_campaign=abc"],
    ["https://s.example/p#top", "https://s.example/p?utm_source=line&utm_medium=broadcast&utm_campaign=abc#top"],
  ])("%s", (url, out) => expect(redirectTarget(url, { sourceType: "broadcast", code: "abc" })).toBe(out));
  it("carries the click's extra parameters but never the friend token", () => {
    const extra = new URLSearchParams("f=12.0123456789abcdef&ref=x");
    expect(redirectTarget("https://s.example/", { sourceType: "menu_area", code: "c", extraParams: extra })).toBe(
      "https://s.example/?ref=x&utm_source=line&utm_medium=menu_area&utm_campaign=c",
    );
  });
});

describe("codes and tokens", () => {
  it("codes are short and valid", () => {
    const code = codeFromBytes(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(code).toHaveLength(8);
    expect(isValidCode(code)).toBe(true);
    expect(isValidCode("../etc")).toBe(false);
  });
  it("parses friend tokens strictly", () => {
    expect(parseFriendToken("12.0123456789abcdef")).toEqual({ friendId: 12, sig: "0123456789abcdef" });
    expect(parseFriendToken("12.zz")).toBeNull();
    expect(parseFriendToken("0.0123456789abcdef")).toBeNull();
    expect(parseFriendToken(null)).toBeNull();
  });
  it("urls", () => {
    expect(shortUrl("https://app.example/", "abc", "1.x")).toBe("https://app.example/r/abc?f=1.x");
    expect(cartPermalink("s.myshopify.com", [{ variantId: 123n, quantity: 2 }])).toBe("https://s.myshopify.com/cart/123:2");
    expect(extractUrls("a https://x.example/a?b=1 and https://x.example/a?b=1 then http://y.example")).toEqual([
      "https://x.example/a?b=1",
      "http://y.example",
    ]);
  });
});
