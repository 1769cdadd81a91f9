import { describe, expect, it } from "vitest";
import { buildCartReminderFlex, formatMoney, pickCartLocale, type CartForFlex } from "./cart-flex";

const cart: CartForFlex = {
  items: [
    { title: "Green tea", quantity: 2, price: "1500.00", imageUrl: "https://cdn.example/tea.png" },
    { title: "Cup", quantity: 1, price: "800", imageUrl: "http://insecure.example/cup.png" },
  ],
  total: "3800.00",
  currency: "JPY",
};

describe("pickCartLocale", () => {
  it.each([
    [["ja"], "ja"],
    [["zh-TW"], "zh-TW"],
    [["zh-Hant"], "zh-TW"],
    [["th"], "th"],
    [[null, "en-US"], "en"],
    [["ko", "ja"], "ja"],
    [[undefined, null], "en"],
  ] as const)("%j → %s", (cands, out) => {
    expect(pickCartLocale(cands)).toBe(out);
  });
});

describe("buildCartReminderFlex", () => {
  it("shows items, https images only, total and the recovery button", () => {
    const m = buildCartReminderFlex(cart, "en", "https://app.example/r/abc?f=1.x");
    const json = JSON.stringify(m);
    expect(m.type).toBe("flex");
    expect(json).toContain("Complete your order");
    expect(json).toContain("https://cdn.example/tea.png");
    expect(json).not.toContain("insecure.example");
    expect(json).toContain("× 2");
    expect(json).toContain(formatMoney("3800", "JPY", "en"));
    const footer = (m.contents as { footer: { contents: Array<{ action: { uri: string } }> } }).footer;
    expect(footer.contents[0]!.action.uri).toBe("https://app.example/r/abc?f=1.x");
  });

  it.each([
    ["ja", "注文を完了する", "￥3,800"],
    ["zh-TW", "完成訂單", "3,800"],
    ["th", "ทำคำสั่งซื้อให้เสร็จ", "3,800"],
  ] as const)("%s texts", (locale, button, total) => {
    const json = JSON.stringify(buildCartReminderFlex(cart, locale, "https://x.example/r/a"));
    expect(json).toContain(button);
    expect(json).toContain(total);
  });

  it("caps the item rows and uses the merchant's intro", () => {
    const many = { ...cart, items: Array.from({ length: 8 }, (_, i) => ({ title: `P${i}`, quantity: 1, price: "100" })) };
    const json = JSON.stringify(buildCartReminderFlex(many, "en", "https://x.example/r/a", { intro: "Still thinking?" }));
    expect(json).toContain("+3 more");
    expect(json).toContain("Still thinking?");
    expect(json).not.toContain("P5");
  });

  it("formats other currencies", () => {
    expect(formatMoney("12.5", "USD", "en")).toBe("$12.50");
    expect(formatMoney("100", "THB", "th")).toBe("฿100.00");
  });

  it("shows a Taiwanese customer NT$, not a bare $ (zh-TW Intl alone writes $1,234.00)", () => {
    expect(formatMoney("1234", "TWD", "zh-TW")).toBe("NT$1,234");
    expect(formatMoney("1234.5", "TWD", "zh-TW")).toBe("NT$1,234.50");
  });
});
