import { describe, expect, it } from "vitest";
import { CLICK_WINDOW_MS, clickWindow, friendVisitor, isHumanClick } from "./clicks";

describe("clickWindow", () => {
  it("is constant within a window and steps at its end", () => {
    const start = new Date(Math.ceil(Date.UTC(2026, 11, 1) / CLICK_WINDOW_MS) * CLICK_WINDOW_MS);
    expect(clickWindow(new Date(start.getTime() + CLICK_WINDOW_MS - 1))).toBe(clickWindow(start));
    expect(clickWindow(new Date(start.getTime() + CLICK_WINDOW_MS))).toBe(clickWindow(start) + 1);
  });
});

describe("isHumanClick", () => {
  it.each([
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Line/14.0.0", true],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36", true],
    [null, true],
    ["Googlebot/2.1 (+http://www.google.com/bot.html)", false],
    ["facebookexternalhit/1.1", false],
    ["curl/8.5.0", false],
  ])("%s → %s", (ua, human) => {
    expect(isHumanClick(ua)).toBe(human);
  });
});

describe("friendVisitor", () => {
  it("keys a friend by id", () => expect(friendVisitor(42)).toBe("f:42"));
});
