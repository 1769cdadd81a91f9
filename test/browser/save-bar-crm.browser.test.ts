// Contextual save bar (issue 10) on the segment editor, menu rules, the menu designer and the tags page:
// a change shows the bar, Discard puts the saved values back, Save stores them (read back from the
// database), a refused value is shown at its field in the merchant's language, and leaving with
// unsaved changes asks first. In the sandbox the bar is the app's own Polaris bar (app/components/save-bar.tsx).
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { db } from "~/db.server";
import { setUpAdminPages } from "./support/admin-pages";

const admin = setUpAdminPages({ customers: 10 });
const BAR = "[data-save-bar]";

/**
 * The page at `path` in `locale` (always named: the admin language sticks to the session once a page
 * asked for one), with locator waits short enough to fail before the test's own timeout names nothing.
 */
async function open(path: string, locale: "en" | "ja" = "en") {
  const page = await admin.expectPageLoads(path, { locale });
  page.setDefaultTimeout(10_000);
  return page;
}
const bar = (page: Page) => page.locator(BAR);
const barButton = (page: Page, name: "Save" | "Discard" | "保存" | "破棄") => bar(page).getByRole("button", { name, exact: true });

describe("segment editor", () => {
  it("appears when the name changes; Discard restores it", async () => {
    const page = await open(`/app/segments/${admin.ids.segment}`);
    const name = page.getByLabel("Segment name");
    expect(await name.inputValue()).toBe("Repeat buyers");
    expect(await bar(page).count()).toBe(0);
    await name.fill("Repeat buyers (draft)");
    await bar(page).waitFor();
    await barButton(page, "Discard").click();
    await expect.poll(() => name.inputValue()).toBe("Repeat buyers");
    expect(await bar(page).count()).toBe(0);
  });

  it("Save stores the change", async () => {
    const page = await open(`/app/segments/${admin.ids.segment}`);
    const folder = page.getByLabel("Folder");
    await folder.fill("Loyal");
    await barButton(page, "Save").click();
    await expect.poll(() => bar(page).count(), { timeout: 60_000 }).toBe(0);
    const seg = await db().segment.findUniqueOrThrow({ where: { id: admin.ids.segment }, include: { folder: true } });
    expect(seg.folder?.name).toBe("Loyal");
    await page.reload();
    await expect.poll(() => page.getByLabel("Folder").inputValue(), { timeout: 60_000 }).toBe("Loyal");
  });

  it("leaving with unsaved changes asks first (in Japanese)", async () => {
    const page = await open(`/app/segments/${admin.ids.segment}`, "ja");
    const name = page.getByLabel("セグメント名");
    await name.fill("リピーター（下書き）");
    await bar(page).waitFor();
    await admin.expectNoEnglish(page, "ja");
    await page.locator('a[href="/app/segments"]').first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("未保存の変更があります。ページを離れますか？").waitFor();
    await dialog.getByRole("button", { name: "このページにとどまる" }).click();
    expect(new URL(page.url()).pathname).toBe(`/app/segments/${admin.ids.segment}`);
    expect(await name.inputValue()).toBe("リピーター（下書き）");
  });
});

describe("menu rules", () => {
  const dwell = async () => (await db().menuRule.findFirstOrThrow({ where: { shopId: admin.ids.shopId } })).dwellHours;

  it("appears when a rule changes; Discard restores it", async () => {
    const page = await open("/app/menu-rules");
    const field = page.getByLabel("Dwell (hours)").first();
    const saved = await field.inputValue();
    await field.fill("48");
    await bar(page).waitFor();
    await barButton(page, "Discard").click();
    await expect.poll(() => field.inputValue()).toBe(saved);
    expect(await bar(page).count()).toBe(0);
  });

  it("refuses a dwell time past 90 days at the field, then Save stores a sane one", async () => {
    const page = await open("/app/menu-rules");
    const field = page.getByLabel("Dwell (hours)").first();
    await field.fill("99999");
    await barButton(page, "Save").click();
    await page.getByText("Enter whole hours from 0 to 2,160 (90 days)").waitFor();
    expect(await dwell()).toBe(24);
    expect(await bar(page).count()).toBe(1);
    await field.fill("36");
    await barButton(page, "Save").click();
    await expect.poll(() => bar(page).count(), { timeout: 60_000 }).toBe(0);
    expect(await dwell()).toBe(36);
  });
});

describe("menu designer", () => {
  it("appears when the name changes; Discard restores it; Save stores the chat bar text", async () => {
    const page = await open(`/app/rich-menus/${admin.ids.richMenu}`);
    const name = page.getByLabel("Menu name");
    await name.fill("Main menu (draft)");
    await bar(page).waitFor();
    await barButton(page, "Discard").click();
    await expect.poll(() => name.inputValue()).toBe("Main menu");
    expect(await bar(page).count()).toBe(0);

    await page.getByLabel("Chat bar text").fill("Tap here");
    await barButton(page, "Save").click();
    await expect.poll(() => bar(page).count(), { timeout: 60_000 }).toBe(0);
    const menu = await db().richMenu.findUniqueOrThrow({ where: { id: admin.ids.richMenu } });
    expect(menu.chatBarText).toBe("Tap here");
  });
});

describe("tags", () => {
  it("renaming shows the bar; Discard closes the editor with the name unchanged; an empty name is refused at the field", async () => {
    const page = await open("/app/tags");
    await page.getByRole("row", { name: /VIP/ }).getByRole("button", { name: "Rename", exact: true }).click();
    const name = page.getByRole("row", { name: /VIP/ }).getByLabel("Tag name");
    await name.fill("VIP gold");
    await bar(page).waitFor();
    await barButton(page, "Discard").click();
    await expect.poll(() => bar(page).count(), { timeout: 60_000 }).toBe(0);
    expect(await page.getByRole("row", { name: /VIP/ }).getByLabel("Tag name").count()).toBe(0);

    await page.getByRole("row", { name: /VIP/ }).getByRole("button", { name: "Rename", exact: true }).click();
    await page.getByRole("row", { name: /VIP/ }).getByLabel("Tag name").fill("   ");
    await barButton(page, "Save").click();
    await page.getByText("Enter a tag name").waitFor();
    expect((await db().tag.findUniqueOrThrow({ where: { id: admin.ids.tag } })).name).toBe("VIP");
  });

  it("a rule being written shows the bar; Save adds it", async () => {
    const page = await open("/app/tags");
    await page.getByLabel("Match").fill("sale");
    await bar(page).waitFor();
    await barButton(page, "Save").click();
    await expect.poll(() => bar(page).count(), { timeout: 60_000 }).toBe(0);
    await expect
      .poll(async () => (await db().tagRule.findMany({ where: { shopId: admin.ids.shopId, trigger: "keyword" } })).map((r) => r.match), {
        timeout: 60_000,
      })
      .toEqual(["sale"]);
    expect(await page.getByLabel("Match").inputValue()).toBe("");
  });
});
