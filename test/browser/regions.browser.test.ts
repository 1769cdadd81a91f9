// The admin as a merchant outside Japan sees it: a Taiwanese store (TWD, Asia/Taipei, zh-TW) and a
// Thai store (THB, Asia/Bangkok, th), every page in the store's language. Besides "no English" and "no
// console error": no yen or Tokyo leaking from the Japanese default, money in the shop currency with
// its usual decimals, dates in the Gregorian calendar (Thai Intl defaults to the Buddhist era),
// Traditional Chinese punctuation, and the interactions that word server answers (estimate, save
// errors, date range).
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { setUpAdminPages } from "./support/admin-pages";

const PAGES: Array<[string, (ids: { friend: number; segment: number; broadcast: number; richMenu: number }) => string]> = [
  ["Home", () => "/app"],
  ["Dashboard", () => "/app/dashboard"],
  ["Friends", () => "/app/friends"],
  ["Friend", (ids) => `/app/friends/${ids.friend}`],
  ["Segments", () => "/app/segments"],
  ["Segment editor", (ids) => `/app/segments/${ids.segment}`],
  ["Tags", () => "/app/tags"],
  ["New broadcast", () => "/app/broadcasts/new"],
  ["Broadcast report", (ids) => `/app/broadcasts/${ids.broadcast}`],
  ["Abandoned cart automation", () => "/app/automations/abandoned-cart"],
  ["Lifecycle automations", () => "/app/automations/lifecycle"],
  ["Rich menu designer", (ids) => `/app/rich-menus/${ids.richMenu}`],
  ["Menu rules", () => "/app/menu-rules"],
  ["Settings", () => "/app/settings"],
  ["Consent settings", () => "/app/settings/consent"],
  ["Integrations", () => "/app/integrations"],
];

const THAI_MONTH = String.raw`(?:ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.)`;

async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector("main")?.innerText ?? document.body.innerText);
}

/** What a store outside Japan must never see: the Japanese defaults' currency and time zone, ISO timestamps. */
function expectNoJapanLeak(text: string, where: string) {
  expect(text.match(/[¥￥]|JPY|Tokyo|東京|日本標準時|Asia\/\w+|\d{4}-\d{2}-\d{2}T\d{2}:/g) ?? [], where).toEqual([]);
}

describe("a Taiwanese store (TWD, Asia/Taipei) in Traditional Chinese", () => {
  const admin = setUpAdminPages({ region: "TW" });

  it.each(PAGES)("%s", async (name, to) => {
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
    await expect.poll(() => page.locator("#estimate").innerText(), { timeout: 15_000 }).toMatch(/將傳送給 [\d,]+ 位好友/);
    await admin.expectNoEnglish(page, "zh-TW");
    expectNoJapanLeak(await visibleText(page), "estimate");
    await page.close();
  });

  it("a segment saved without a name is refused in Chinese", async () => {
    const page = await admin.expectPageLoads("/app/segments/new", { locale: "zh-TW" });
    await page.getByRole("button", { name: "儲存分眾" }).click();
    await page.getByText("請輸入名稱").waitFor();
    await admin.expectNoEnglish(page, "zh-TW");
    await page.close();
  });
});

describe("a Thai store (THB, Asia/Bangkok) in Thai", () => {
  const admin = setUpAdminPages({ region: "TH" });

  it.each(PAGES)("%s", async (name, to) => {
    const page = await admin.expectPageLoads(to(admin.ids), { locale: "th" });
    await admin.expectNoEnglish(page, "th");
    const text = await visibleText(page);
    expectNoJapanLeak(text, name);
    // Gregorian years, as Shopify's admin and the date pickers show them (th-TH Intl would say 2569).
    expect(text.match(new RegExp(`${THAI_MONTH} 25\\d\\d`, "g")) ?? [], `${name}: Buddhist-era year`).toEqual([]);
    await page.close();
  });

  it("the friends list dates its activity in the Gregorian calendar, Bangkok time", async () => {
    const page = await admin.expectPageLoads("/app/friends", { locale: "th" });
    expect(await visibleText(page)).toMatch(new RegExp(`\\d{1,2} ${THAI_MONTH} 20\\d\\d \\d{2}:\\d{2}`));
    await page.close();
  });

  it("the dashboard does not invent a fee or allowance for Thailand's unpriced LINE plans", async () => {
    const page = await admin.expectPageLoads("/app/dashboard", { locale: "th" });
    const text = await visibleText(page);
    expect(text).toContain("แอปไม่ทราบค่าบริการรายเดือนและจำนวนข้อความฟรีของ LINE ในภูมิภาคนี้");
    expect(text).not.toMatch(/เดือนละ ฿0\.00 รวม 0 ข้อความ/);
    expect(text).not.toMatch(/ต้นทุน ฿/);
    await page.close();
  });

  it("the broadcast estimate speaks Thai and schedules in Bangkok time", async () => {
    const page = await admin.expectPageLoads("/app/broadcasts/new", { locale: "th" });
    await page
      .getByText(/เวลาอินโดจีน/)
      .first()
      .waitFor();
    await page.getByLabel("ชื่อบรอดแคสต์").fill("ลดราคาสุดสัปดาห์");
    await page.getByLabel("ข้อความ", { exact: true }).fill("ลด 20% ทั้งร้าน");
    await page.getByLabel("เพื่อนทั้งหมด").check();
    await page.getByRole("button", { name: "ประมาณจำนวนผู้รับ" }).click();
    await expect.poll(() => page.locator("#estimate").innerText(), { timeout: 15_000 }).toMatch(/\d/);
    await admin.expectNoEnglish(page, "th");
    expectNoJapanLeak(await visibleText(page), "estimate");
    await page.close();
  });
});
