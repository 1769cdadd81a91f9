// A Taiwanese store (TWD, Asia/Taipei) in Traditional Chinese: every page and the interactions that word
// server answers; the checks are in ./support/regions.ts.
import { describe, expect, it } from "vitest";
import { setUpAdminPages } from "./support/admin-pages";
import { expectNoJapanLeak, REGION_PAGES, visibleText } from "./support/regions";

describe("a Taiwanese store (TWD, Asia/Taipei) in Traditional Chinese", () => {
  const admin = setUpAdminPages({ region: "TW" });

  it.each(REGION_PAGES)("%s", async (name, to) => {
    const page = await admin.expectPageLoads(to(admin.ids), { locale: "zh-TW" });
    await admin.expectNoEnglish(page, "zh-TW");
    const text = await visibleText(page);
    expectNoJapanLeak(text, name);
    // NT$ (a bare "$" is US dollars), whole amounts as Taiwan prices them: NT$800, not NT$800.00.
    expect(text.match(/(?<![A-Z])\$\d/g) ?? [], `${name}: bare $`).toEqual([]);
    expect(text.match(/NT\$[\d,]+\.00(?!\d)/g) ?? [], `${name}: NT$ with .00`).toEqual([]);
    // Traditional Chinese punctuation is full-width after Chinese text (，：；（）).
    expect(text.match(/[\u4e00-\u9fff][,;:(](?!\/)/g) ?? [], `${name}: half-width punctuation`).toEqual([]);
    await page.close();
  });

  it("the dashboard shows the Taiwan LINE plan in NT$ and its date range in Chinese", async () => {
    const page = await admin.expectPageLoads("/app/dashboard", { locale: "zh-TW" });
    await page.getByText(/輕用量方案：每月 NT\$0，含 200 則訊息/).waitFor();
    await page.getByLabel("日期範圍").selectOption("7");
    await page.waitForURL(/days=7/);
    await page.getByText("過去 7 天").first().waitFor();
    await admin.expectNoEnglish(page, "zh-TW");
    await page.close();
  });

  it("the broadcast estimate speaks Chinese and schedules in Taipei time", async () => {
    const page = await admin.expectPageLoads("/app/broadcasts/new", { locale: "zh-TW" });
    await page.getByText("預約日期（台北標準時間）").waitFor();
    await page.getByLabel("群發名稱").fill("週末特賣");
    await page.getByLabel("訊息內容").fill("本週末全館 8 折");
    await page.getByLabel("所有好友").check();
    await page.getByRole("button", { name: "估算傳送人數" }).click();
    await expect.poll(() => page.locator("#estimate").innerText(), { timeout: 60_000 }).toMatch(/將傳送給 [\d,]+ 位好友/);
    await admin.expectNoEnglish(page, "zh-TW");
    expectNoJapanLeak(await visibleText(page), "estimate");
    await page.close();
  });

  it("a segment saved without a name is refused in Chinese", async () => {
    const page = await admin.expectPageLoads("/app/segments/new", { locale: "zh-TW" });
    await page.getByRole("button", { name: "儲存分眾" }).click();
    await page.getByText("請輸入分眾名稱").waitFor();
    await admin.expectNoEnglish(page, "zh-TW");
    await page.close();
  });
});
