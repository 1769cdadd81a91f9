// Contextual save bar (issue 10, Polaris pattern): the Consent settings form, the segment assistant's
// model settings and the integrations' LINE user id property show the save bar once a field changes;
// Discard puts the saved values back; Save stores them; leaving with unsaved changes asks first. In the
// sandbox (no Shopify admin around the app) the bar is the app's own Polaris bar.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { setUpAdminPages } from "./support/admin-pages";

const admin = setUpAdminPages({ customers: 10 });
const BAR = "[data-save-bar]";
const TEXT = {
  en: {
    save: "Save",
    discard: "Discard",
    leaveTitle: "Leave page with unsaved changes?",
    stay: "Stay",
    baseUrl: "Base URL",
    lineProperty: "Property holding the LINE user ID",
    badUrl: "Enter the endpoint's base URL, e.g. https://api.example.com/v1",
  },
  ja: {
    save: "保存",
    discard: "破棄",
    leaveTitle: "未保存の変更があります。ページを離れますか？",
    stay: "このページにとどまる",
    baseUrl: "ベースURL",
    lineProperty: "LINEユーザーIDを保存するプロパティ",
    badUrl: "エンドポイントのベースURLを入力してください（例: https://api.example.com/v1）",
  },
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

async function storedAssistantBaseUrl(): Promise<string | null> {
  return (await db().assistantSetting.findUnique({ where: { shopId: admin.ids.shopId } }))?.baseUrl ?? null;
}

describe.each(["en", "ja"] as const)("segment assistant model settings save bar in %s", (locale) => {
  const text = TEXT[locale];
  // The form is loaded by a fetcher after hydration; its fields are disabled until the stored values are in.
  const baseUrlField = async (page: Awaited<ReturnType<typeof admin.expectPageLoads>>) => {
    const field = page.getByLabel(text.baseUrl, { exact: true });
    await expect.poll(() => field.isEnabled(), { timeout: 15_000 }).toBe(true);
    return field;
  };

  it("appears when a field changes; Discard restores the saved value", async () => {
    const page = await admin.expectPageLoads("/app/settings", { locale });
    const field = await baseUrlField(page);
    const saved = await field.inputValue();
    expect(await page.locator(BAR).count()).toBe(0);
    await field.fill("https://llm.example/v1");
    await page.locator(BAR).waitFor();
    await page.locator(BAR).getByRole("button", { name: text.discard }).click();
    await expect.poll(() => field.inputValue(), { timeout: 15_000 }).toBe(saved);
    expect(await page.locator(BAR).count()).toBe(0);
  });

  it("Save stores the change; a refused value is said on its field in the page's language and the bar stays", async () => {
    const page = await admin.expectPageLoads("/app/settings", { locale });
    const field = await baseUrlField(page);
    await field.fill("ftp://llm.example");
    await page.locator(BAR).getByRole("button", { name: text.save }).click();
    await page.getByText(text.badUrl).waitFor();
    expect(await page.locator(BAR).count()).toBe(1);
    const url = `https://llm-${locale}.example/v1`;
    await field.fill(`${url}/`);
    await page.locator(BAR).getByRole("button", { name: text.save }).click();
    await expect.poll(() => page.locator(BAR).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(storedAssistantBaseUrl, { timeout: 15_000 }).toBe(url);
    // What the server stored (no trailing "/") is the form's value and its saved state.
    expect(await field.inputValue()).toBe(url);
    await page.reload();
    await expect.poll(async () => (await baseUrlField(page)).inputValue(), { timeout: 15_000 }).toBe(url);
  });

  it("leaving with unsaved changes asks first", async () => {
    const page = await admin.expectPageLoads("/app/settings", { locale });
    const field = await baseUrlField(page);
    await field.fill("https://wait.example/v1");
    await page.locator(BAR).waitFor();
    await page.locator('a[href="/app/broadcasts"]').first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(text.leaveTitle).waitFor();
    await dialog.getByRole("button", { name: text.stay }).click();
    expect(new URL(page.url()).pathname).toBe("/app/settings");
    expect(await field.inputValue()).toBe("https://wait.example/v1");
  });
});

describe.each(["en", "ja"] as const)("integrations LINE user id property save bar in %s", (locale) => {
  const text = TEXT[locale];
  const storedProperty = async () =>
    (await db().integrationConnection.findUniqueOrThrow({ where: { shopId_provider: { shopId: admin.ids.shopId, provider: "hubspot" } } }))
      .lineUserIdProperty;

  // A connected HubSpot account whose sync has seen two text properties (the page's choices).
  beforeAll(async () => {
    const shopId = admin.ids.shopId;
    await db().integrationConnection.upsert({
      where: { shopId_provider: { shopId, provider: "hubspot" } },
      create: {
        shopId,
        provider: "hubspot",
        authType: "private_app",
        credentialEnc: "unused",
        accountName: "HubSpot 1",
        lineUserIdProperty: null,
      },
      update: { lineUserIdProperty: null },
    });
    for (const [name, label] of [
      ["line_user_id", "LINE user ID"],
      ["nickname", "Nickname"],
    ])
      await db().integrationProperty.upsert({
        where: { shopId_provider_name: { shopId, provider: "hubspot", name } },
        create: { shopId, provider: "hubspot", name, label, type: "string" },
        update: {},
      });
  });

  it("appears when the property changes; Discard restores it; Save stores it", async () => {
    const page = await admin.expectPageLoads("/app/integrations", { locale });
    const select = page.getByRole("combobox", { name: text.lineProperty, exact: true });
    const saved = await select.inputValue();
    expect(await page.locator(BAR).count()).toBe(0);
    await select.selectOption("nickname");
    await page.locator(BAR).waitFor();
    await page.locator(BAR).getByRole("button", { name: text.discard }).click();
    await expect.poll(() => select.inputValue(), { timeout: 15_000 }).toBe(saved);
    expect(await page.locator(BAR).count()).toBe(0);

    await select.selectOption("line_user_id");
    await page.locator(BAR).getByRole("button", { name: text.save }).click();
    await expect.poll(() => page.locator(BAR).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(storedProperty, { timeout: 15_000 }).toBe("line_user_id");
    await page.reload();
    await expect
      .poll(() => page.getByRole("combobox", { name: text.lineProperty, exact: true }).inputValue(), { timeout: 15_000 })
      .toBe("line_user_id");
    await select.selectOption("");
    await page.locator(BAR).getByRole("button", { name: text.save }).click();
    await expect.poll(storedProperty, { timeout: 15_000 }).toBe(null);
  });

  it("leaving with unsaved changes asks first", async () => {
    const page = await admin.expectPageLoads("/app/integrations", { locale });
    const select = page.getByRole("combobox", { name: text.lineProperty, exact: true });
    await select.selectOption("nickname");
    await page.locator(BAR).waitFor();
    await page.locator('a[href="/app/broadcasts"]').first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(text.leaveTitle).waitFor();
    await dialog.getByRole("button", { name: text.stay }).click();
    expect(new URL(page.url()).pathname).toBe("/app/integrations");
    expect(await select.inputValue()).toBe("nickname");
  });
});
