// Issue 10's broadcast and automation misfires in a real browser (headless Chromium against the
// built sandbox with its LINE emulator): each page in the four languages, a `javascript:` coupon
// link, a schedule time in the past, a test send, and a 999,999-hour reminder delay.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { setTestFriend } from "~/services/broadcasts/test-send.server";
import { screenshot } from "./support/sandbox";

import { setUpAdminPages } from "./support/admin-pages";

const admin = setUpAdminPages();
const LOCALES = ["en", "ja", "zh-TW", "th"] as const;
const PAGES = () => [
  "/app/broadcasts",
  "/app/broadcasts/new",
  `/app/broadcasts/${admin.ids.broadcast}`,
  "/app/automations",
  "/app/automations/abandoned-cart",
  "/app/automations/lifecycle",
];

describe("broadcast and automation pages", () => {
  it.each(LOCALES)(
    "load in %s without errors",
    async (locale) => {
      for (const path of PAGES()) {
        const page = await admin.expectPageLoads(path, { locale });
        if (locale === "ja") await screenshot(page, `ja-${path.split("/").slice(2).join("-").replace(/\d+/, "report")}`);
        await page.close();
      }
    },
    240_000,
  );

  it("Japanese: the composer speaks Japanese", async () => {
    const page = await admin.expectPageLoads("/app/broadcasts/new", { locale: "ja" });
    expect(await page.getByRole("heading", { name: "一斉配信を作成" }).count()).toBeGreaterThan(0);
    await page.close();
  });
});

describe("composer misfires", () => {
  it("a javascript: coupon link is refused on its field, and the send is refused by the server too", async () => {
    const before = await db().broadcast.count({ where: { shopId: admin.ids.shopId } });
    const page = await admin.expectPageLoads("/app/broadcasts/new", { locale: "en" });
    await page.getByLabel("Broadcast name").fill("Coupon drop");
    await page.getByLabel("Message type").selectOption("coupon");
    await page.getByLabel("Coupon title").fill("10% off");
    await page.getByLabel("Coupon code").fill("SAVE10");
    await page.getByLabel("Coupon link").fill("javascript:alert(1)");
    await expect
      .poll(() => page.locator(".Polaris-InlineError").allInnerTexts())
      .toContain("Enter a web address starting with https:// (for example your store's discount link).");
    await page.getByLabel("All friends").check();
    await page.getByRole("button", { name: "Send now" }).click();
    await expect
      .poll(() => page.locator(".Polaris-InlineError").allInnerTexts())
      .toContain("Enter a web address starting with https:// (for example your store's discount link).");
    expect(await page.getByRole("button", { name: "Confirm send" }).count()).toBe(0);
    expect(await db().broadcast.count({ where: { shopId: admin.ids.shopId } })).toBe(before);
    await page.close();
  });

  it("a schedule time in the past is a field error, and nothing is sent or left behind", async () => {
    const before = await db().broadcast.count({ where: { shopId: admin.ids.shopId } });
    const page = await admin.expectPageLoads("/app/broadcasts/new", { locale: "en" });
    await page.getByLabel("Broadcast name").fill("Yesterday");
    await page.getByLabel("Message text").fill("Hello");
    await page.getByLabel("All friends").check();
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel(/Schedule date/).fill(yesterday);
    await page.getByRole("button", { name: "Schedule", exact: true }).click();
    await expect
      .poll(() => page.locator(".Polaris-InlineError").allInnerTexts())
      .toEqual([expect.stringContaining("That time has already passed")]);
    expect(await db().broadcast.count({ where: { shopId: admin.ids.shopId } })).toBe(before);
    await page.close();
  });

  it("a test send reaches only the test friend, marked [TEST], and leaves no draft", async () => {
    const friends = await db().friend.findMany({ where: { shopId: admin.ids.shopId, following: true }, orderBy: { id: "asc" }, take: 2 });
    const staff = friends[1]!;
    await setTestFriend(admin.ids.shopId, staff.id, true);
    const before = await db().broadcast.count({ where: { shopId: admin.ids.shopId } });
    const page = await admin.expectPageLoads("/app/broadcasts/new", { locale: "en" });
    await page.getByLabel("Message text").fill("Flash sale today");
    await page.getByRole("button", { name: "Send test" }).click();
    await expect.poll(() => page.getByText("Test sent to 1 test friend, marked [TEST]").count(), { timeout: 60_000 }).toBe(1);
    const res = await fetch(
      `${admin.sandbox.info.emulatorUrl}/__emulator/channels/${admin.sandbox.info.lineChannelId}/messages?limit=100000`,
    );
    const { messages } = (await res.json()) as { messages: Array<{ userId: string; message: { text?: string } }> };
    const flash = messages.filter((m) => m.message.text?.includes("Flash sale today"));
    expect(flash.map((m) => [m.userId, m.message.text])).toEqual([[staff.lineUserId, "[TEST] Flash sale today"]]);
    expect(await db().broadcast.count({ where: { shopId: admin.ids.shopId } })).toBe(before);
    await page.close();
  });
});

describe("automation misfires", () => {
  it("a 999,999-hour reminder delay is refused in plain words; the delay shows in words, not ISO 8601", async () => {
    const page = await admin.expectPageLoads("/app/automations/abandoned-cart", { locale: "en" });
    expect(await page.locator("#delay-help").innerText()).toMatch(/Now: 1 hour \(/);
    await page.getByLabel("Hours", { exact: true }).fill("999999");
    await page.locator("[data-save-bar]").getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator(".Polaris-InlineError").allInnerTexts()).toContain("Choose a delay between 1 minute and 30 days.");
    expect(await page.content()).not.toMatch(/P\d+DT/);
    await page.close();
  });

  it("a negative lifecycle day count is a field error, not a crash", async () => {
    const page = await admin.expectPageLoads("/app/automations/lifecycle", { locale: "en" });
    await page.getByLabel("Days after delivery").fill("-5");
    await page.locator("[data-save-bar]").getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator(".Polaris-InlineError").allInnerTexts()).toEqual(["Choose 0 to 90 days."]);
    expect(await page.locator("[data-error-boundary]").count()).toBe(0);
    await page.close();
  });
});
