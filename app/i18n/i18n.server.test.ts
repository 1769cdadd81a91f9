import { describe, expect, it } from "vitest";
import { adminLanguage } from "./i18n.server";
import { withLocale } from "./config";

const shop = { country: "JP", primaryLocale: null };
const req = (url: string, cookie?: string) => new Request(url, { headers: cookie ? { cookie } : {} });
const cookieFor = async (language: string) => {
  const { setCookie } = await adminLanguage(req(`https://app.example/app?locale=${language}`), shop);
  return setCookie!.split(";")[0]!;
};

describe("adminLanguage", () => {
  it("a document load's locale wins and is remembered", async () => {
    const r = await adminLanguage(req("https://app.example/app/segments?locale=zh-TW"), shop);
    expect(r.language).toBe("zh-TW");
    expect(r.setCookie).toMatch(/^admin_locale=/);
  });

  it("a later request without locale answers in the remembered language, else the shop's", async () => {
    const th = await cookieFor("th");
    expect((await adminLanguage(req("https://app.example/app/tags", th), shop)).language).toBe("th");
    expect((await adminLanguage(req("https://app.example/app/tags"), shop)).language).toBe("ja");
  });

  it("a data request (another tab's revalidation) answers in its own locale but does not change the remembered one", async () => {
    const ja = await cookieFor("ja");
    const r = await adminLanguage(req("https://app.example/app/segments/1?locale=en&_data=routes%2Fapp", ja), shop);
    expect(r.language).toBe("en");
    expect(r.setCookie).toBeUndefined();
  });
});

describe("withLocale", () => {
  it("sets locale, keeping the other parameters", () => {
    expect(withLocale("/app/segments/preview", "ja")).toBe("/app/segments/preview?locale=ja");
    expect(withLocale("/app/menu-rules/progress?run=7&locale=en", "zh-TW")).toBe("/app/menu-rules/progress?run=7&locale=zh-TW");
  });
});
