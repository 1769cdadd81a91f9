// Headless Chromium against the real sandbox (web + worker + LINE emulator): compose a broadcast to
// all friends, see the estimate, confirm, and watch the report reach "sent" with every friend counted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { db } from "~/db.server";
import { startSandbox, launchBrowser, newPage, screenshot, type RunningSandbox } from "./support/sandbox";

let sandbox: RunningSandbox;
let browser: Browser;

beforeAll(async () => {
  sandbox = await startSandbox({ customers: 20 });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

describe("broadcast compose → send → report", () => {
  it("composes, estimates, confirms and shows the final report", async () => {
    const shop = await db().shop.findUniqueOrThrow({ where: { domain: sandbox.info.shop } });
    const eligible = await db().friend.count({ where: { shopId: shop.id, following: true, blockedAt: null, marketingOptOut: false } });
    expect(eligible).toBeGreaterThan(0);

    const page = await newPage(browser);
    await page.goto(
      `${sandbox.info.appUrl}/sandbox/login?shop=${encodeURIComponent(sandbox.info.shop)}&to=${encodeURIComponent("/app/broadcasts/new?locale=en")}`,
    );
    await page.waitForSelector(".Polaris-Frame");
    await page.getByLabel("Broadcast name").fill("Browser sale");
    await page.getByLabel("Message text").fill("Hello {{displayName|there}}, sale today!");
    await expect.poll(() => page.getByLabel("Phone preview").innerText()).toContain("sale today!");
    await page.getByLabel("All friends").check();
    await page.getByRole("button", { name: "Estimate recipients" }).click();
    await expect.poll(() => page.locator("#estimate").innerText(), { timeout: 60_000 }).toContain(`${eligible} friends will get this`);
    await page.getByRole("button", { name: "Send now" }).click();
    await page.getByRole("button", { name: "Confirm send" }).click();
    await page.waitForURL(/\/app\/broadcasts\/\d+$/, { timeout: 60_000 });
    await expect.poll(() => page.locator("#stat-sent").innerText(), { timeout: 30_000, interval: 500 }).toBe(String(eligible));
    expect(await page.locator("#stat-targeted").innerText()).toBe(String(eligible));
    expect(await page.locator("#stat-failed").innerText()).toBe("0");
    await screenshot(page, "broadcast-report");

    const b = await db().broadcast.findFirstOrThrow({ where: { shopId: shop.id, name: "Browser sale" } });
    expect(b).toMatchObject({ status: "sent", sent: eligible, personalized: true });
    const res = await fetch(
      `${sandbox.info.emulatorUrl}/__emulator/channels/${sandbox.info.lineChannelId}/messages?kind=push&limit=100000`,
    );
    const { messages } = (await res.json()) as { messages: Array<{ message: { text?: string } }> };
    expect(messages.filter((m) => m.message.text?.includes("sale today!")).length).toBe(eligible);
  }, 180_000);
});
