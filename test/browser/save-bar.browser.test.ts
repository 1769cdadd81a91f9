// Contextual save bar (issue 10, Polaris pattern): the Consent settings form shows the save bar once
// a field changes; Discard puts the saved values back; Save stores them; leaving with unsaved changes
// asks first. In the sandbox (no Shopify admin around the app) the bar is the app's own Polaris bar.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { setUpAdminPages } from "./support/admin-pages";

const admin = setUpAdminPages({ customers: 10 });
const BAR = "[data-save-bar]";
const TEXT = {
  en: { save: "Save", discard: "Discard", leaveTitle: "Leave page with unsaved changes?", stay: "Stay" },
  ja: { save: "保存", discard: "破棄", leaveTitle: "未保存の変更があります。ページを離れますか？", stay: "このページにとどまる" },
} as const;

async function storedOptOutKeywords(): Promise<string[]> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: admin.ids.shopId } });
  return ((shop.settings as { consent?: { optOutKeywords?: string[] } }).consent?.optOutKeywords ?? []) as string[];
}

describe.each(["en", "ja"] as const)("consent settings save bar in %s", (locale) => {
  const text = TEXT[locale];

  it("appears when a field changes; Discard restores the saved value", async () => {
    const page = await admin.expectPageLoads("/app/settings/consent", { locale });
    const keywords = page.locator("textarea").first();
    const saved = await keywords.inputValue();
    expect(await page.locator(BAR).count()).toBe(0);
    await keywords.fill(`${saved}\nPAUSE`);
    await page.locator(BAR).waitFor();
    await page.locator(BAR).getByRole("button", { name: text.discard }).click();
    await expect.poll(() => keywords.inputValue()).toBe(saved);
    expect(await page.locator(BAR).count()).toBe(0);
    if (locale !== "en") await admin.expectNoEnglish(page, locale);
  });

  it("Save stores the change and the bar goes away", async () => {
    const word = locale === "en" ? "HOLD" : "一時停止";
    const page = await admin.expectPageLoads("/app/settings/consent", { locale });
    const keywords = page.locator("textarea").first();
    await keywords.fill(`${await keywords.inputValue()}\n${word}`);
    await page.locator(BAR).getByRole("button", { name: text.save }).click();
    await expect.poll(() => page.locator(BAR).count()).toBe(0);
    await expect.poll(storedOptOutKeywords).toContain(word);
    await page.reload();
    await expect.poll(() => page.locator("textarea").first().inputValue()).toContain(word);
  });

  it("leaving with unsaved changes asks first", async () => {
    const page = await admin.expectPageLoads("/app/settings/consent", { locale });
    const keywords = page.locator("textarea").first();
    const typed = `${await keywords.inputValue()}\nWAIT`;
    await keywords.fill(typed);
    await page.locator(BAR).waitFor();
    await page.locator('a[href="/app/settings"]').first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(text.leaveTitle).waitFor();
    await dialog.getByRole("button", { name: text.stay }).click();
    expect(new URL(page.url()).pathname).toBe("/app/settings/consent");
    expect(await keywords.inputValue()).toBe(typed);
  });
});
