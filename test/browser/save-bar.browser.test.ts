// Contextual save bar (issue 10, Polaris pattern): every settings form (Settings, Consent), both
// automation pages and the integrations' LINE user id property show the save bar once a field changes;
// Discard puts the saved values back; Save stores them (read back through the settings area's loader);
// leaving with unsaved changes asks first. In the sandbox (no Shopify admin around the app) the bar is
// the app's own Polaris bar.
import { beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { db } from "~/db.server";
import { resources } from "~/i18n/config";
import { loadAbandonedCartSettings } from "~/db/settings/abandoned-cart.server";
import { loadLifecycleSettings } from "~/db/settings/lifecycle.server";
import { loadPlanSettings } from "~/db/settings/plan.server";
import { loadAssistantSettings } from "~/db/settings/assistant.server";
import { setUpAdminPages } from "./support/admin-pages";

const admin = setUpAdminPages({ customers: 10 });
const BAR = "[data-save-bar]";
const TEXT = {
  en: {
    save: "Save",
    discard: "Discard",
    leaveTitle: "Leave page with unsaved changes?",
    stay: "Stay",
    lineProperty: "Property holding the LINE user ID",
  },
  ja: {
    save: "保存",
    discard: "破棄",
    leaveTitle: "未保存の変更があります。ページを離れますか？",
    stay: "このページにとどまる",
    lineProperty: "LINEユーザーIDを保存するプロパティ",
  },
} as const;

async function storedOptOutKeywords(): Promise<string[]> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: admin.ids.shopId } });
  return ((shop.settings as { consent?: { optOutKeywords?: string[] } }).consent?.optOutKeywords ?? []) as string[];
}

/**
 * One settings form: `field(page)` is the input the test changes with `edit`, `stored()` reads the
 * saved value back through the settings area's loader, `expected` is what Save must store and
 * `shown` what the field shows after a reload.
 */
interface SettingsForm {
  name: string;
  path: string;
  field: (page: Page, locale: "en" | "ja") => Locator;
  edit: (input: Locator) => Promise<unknown>;
  value: (input: Locator) => Promise<string>;
  stored: () => Promise<unknown>;
  expected: unknown;
  shown: string;
}

const FORMS: SettingsForm[] = [
  {
    name: "Settings (LINE plan)",
    path: "/app/settings",
    field: (page: Page, locale: "en" | "ja") => page.getByLabel(resources[locale].admin.settings.plan.region, { exact: true }),
    edit: (input: Locator) => input.selectOption("TW"),
    value: (input: Locator) => input.inputValue(),
    stored: async () => (await loadPlanSettings(admin.ids.shopId)).country,
    expected: "TW",
    shown: "TW",
  },
  {
    name: "Settings (segment assistant model)",
    path: "/app/settings",
    field: (page: Page, locale: "en" | "ja") => page.getByLabel(resources[locale].admin.assistant.settings.model, { exact: true }),
    edit: (input: Locator) => input.fill("llama3.2"),
    value: (input: Locator) => input.inputValue(),
    stored: async () => (await loadAssistantSettings(admin.ids.shopId)).model,
    expected: "llama3.2",
    shown: "llama3.2",
  },
  {
    name: "Abandoned cart",
    path: "/app/automations/abandoned-cart",
    field: (page: Page, locale: "en" | "ja") => page.getByLabel(resources[locale].admin.automations.cart.hours, { exact: true }),
    edit: (input: Locator) => input.fill("5"),
    value: (input: Locator) => input.inputValue(),
    stored: async () => (await loadAbandonedCartSettings(admin.ids.shopId)).config.delay,
    expected: "PT5H",
    shown: "5",
  },
  {
    name: "Lifecycle automations",
    path: "/app/automations/lifecycle",
    field: (page: Page, locale: "en" | "ja") => page.getByLabel(resources[locale].admin.automations.lifecycle.days.review, { exact: true }),
    edit: (input: Locator) => input.fill("12"),
    value: (input: Locator) => input.inputValue(),
    stored: async () => (await loadLifecycleSettings(admin.ids.shopId)).review.afterDays,
    expected: 12,
    shown: "12",
  },
];

describe.each(FORMS)("$name save bar", (f) => {
  it.each(["en", "ja"] as const)("appears when a field changes; Discard restores the saved value (%s)", async (locale) => {
    const page = await admin.expectPageLoads(f.path, { locale });
    const input = f.field(page, locale);
    const saved = await f.value(input);
    expect(await page.locator(BAR).count()).toBe(0);
    await f.edit(input);
    await page.locator(BAR).waitFor();
    await page.locator(BAR).getByRole("button", { name: TEXT[locale].discard }).click();
    await expect.poll(() => f.value(input)).toBe(saved);
    expect(await page.locator(BAR).count()).toBe(0);
    expect(await f.stored()).not.toBe(f.expected);
    if (locale !== "en") await admin.expectNoEnglish(page, locale);
    await page.close();
  });

  it("Save stores the change, the bar goes away, and the page shows it after a reload", async () => {
    const page = await admin.expectPageLoads(f.path, { locale: "en" });
    await f.edit(f.field(page, "en"));
    await page.locator(BAR).getByRole("button", { name: TEXT.en.save }).click();
    await expect.poll(() => page.locator(BAR).count()).toBe(0);
    await expect.poll(f.stored).toBe(f.expected);
    expect(await page.locator("[data-error-boundary]").count()).toBe(0);
    await page.reload();
    const after = f.field(page, "en");
    await after.waitFor();
    expect(await f.value(after)).toBe(f.shown);
    await page.close();
  });
});

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
    await expect.poll(() => select.inputValue(), { timeout: 60_000 }).toBe(saved);
    expect(await page.locator(BAR).count()).toBe(0);

    await select.selectOption("line_user_id");
    await page.locator(BAR).getByRole("button", { name: text.save }).click();
    await expect.poll(() => page.locator(BAR).count(), { timeout: 60_000 }).toBe(0);
    await expect.poll(storedProperty, { timeout: 60_000 }).toBe("line_user_id");
    await page.reload();
    await expect
      .poll(() => page.getByRole("combobox", { name: text.lineProperty, exact: true }).inputValue(), { timeout: 60_000 })
      .toBe("line_user_id");
    await select.selectOption("");
    await page.locator(BAR).getByRole("button", { name: text.save }).click();
    await expect.poll(storedProperty, { timeout: 60_000 }).toBe(null);
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
