// A Thai store (THB, Asia/Bangkok) in Thai: every page, Gregorian dates, the unpriced LINE plan and the
// broadcast estimate; the checks are in ./support/regions.ts.
import { describe, expect, it } from "vitest";
import { setUpAdminPages } from "./support/admin-pages";
import { expectNoJapanLeak, REGION_PAGES, THAI_MONTH, visibleText } from "./support/regions";

describe("a Thai store (THB, Asia/Bangkok) in Thai", () => {
  const admin = setUpAdminPages({ region: "TH" });

  it.each(REGION_PAGES)("%s", async (name, to) => {
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
    await expect.poll(() => page.locator("#estimate").innerText(), { timeout: 60_000 }).toMatch(/\d/);
    await admin.expectNoEnglish(page, "th");
    expectNoJapanLeak(await visibleText(page), "estimate");
    await page.close();
  });
});
