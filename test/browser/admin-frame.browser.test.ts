// Headless Chromium opens the sandbox's admin UI (sandbox-only login, no Shopify admin) and sees the
// Polaris app frame with the shop's real numbers; /healthz is green; a merchant builds a two-group
// segment in the editor and sees the live preview agree with the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { db } from "~/db.server";
import { previewSegment } from "~/services/segments/preview.server";
import { startSandbox, launchBrowser, newPage, screenshot, type RunningSandbox } from "./support/sandbox";

let sandbox: RunningSandbox;
let browser: Browser;

beforeAll(async () => {
  sandbox = await startSandbox({ customers: 40 });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

describe("sandbox admin UI", () => {
  it("reports healthy database, Redis, queues and LINE API (full report only with the health token)", async () => {
    const open = await fetch(sandbox.info.healthUrl);
    expect(await open.json()).toEqual({ status: "ok" });
    const res = await fetch(sandbox.info.healthUrl, { headers: { Authorization: `Bearer ${sandbox.info.healthToken}` } });
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(res.status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.checks.database.ok && body.checks.redis.ok && body.checks.queues.ok && body.checks.line.ok).toBe(true);
  });

  it("shows the Polaris frame with the shop's real counts", async () => {
    const shop = await db().shop.findUniqueOrThrow({ where: { domain: sandbox.info.shop } });
    const [customers, orders] = await Promise.all([
      db().customer.count({ where: { shopId: shop.id } }),
      db().order.count({ where: { shopId: shop.id } }),
    ]);
    expect(customers).toBeGreaterThan(0);
    expect(orders).toBeGreaterThan(0);

    const page = await newPage(browser);
    await page.goto(sandbox.info.adminUrl);
    await page.waitForSelector(".Polaris-Frame");
    await expect.poll(() => page.locator(".Polaris-Navigation").innerText()).toContain("Home");
    expect(await page.locator("#stat-customers").innerText()).toBe(customers.toLocaleString("en-US"));
    expect(await page.locator("#stat-orders").innerText()).toBe(orders.toLocaleString("en-US"));
    await screenshot(page, "admin-home");
  });
});

describe("segment editor", () => {
  it("builds a two-group segment (OR) and sees the live preview", async () => {
    const shop = await db().shop.findUniqueOrThrow({ where: { domain: sandbox.info.shop } });
    const definition = {
      groups: [
        { conditions: [{ field: "shopifyLinked", op: "is", value: true }] },
        { conditions: [{ field: "purchaseCount", op: "gte", value: 2 }] },
      ],
    };
    const expected = await previewSegment(shop.id, definition);

    const page = await newPage(browser);
    await page.goto(sandbox.info.adminUrl);
    await page.waitForSelector(".Polaris-Frame");
    await page.goto(`${sandbox.info.appUrl}/app/segments/new`);
    await page.getByLabel("Segment name").fill("Linked or repeat buyers");
    await page.getByRole("button", { name: "Add group" }).click();
    await page.getByLabel("Field").nth(0).selectOption("shopifyLinked");
    await page.getByRole("button", { name: "Add group" }).click();
    await page.getByLabel("Field").nth(1).selectOption("purchaseCount");
    await page.getByLabel("Operator").nth(1).selectOption("gte");
    await page.getByLabel("Value").last().fill("2");

    const matchText = `${expected.count.toLocaleString("en-US")} ${expected.count === 1 ? "friend matches" : "friends match"}`;
    await page.getByText(matchText, { exact: true }).waitFor({ timeout: 60_000 });
    await expect
      .poll(() => page.getByText(/Excluded from sends:/).innerText())
      .toBe(`Excluded from sends: ${expected.excluded.blocked} blocked, ${expected.excluded.optedOut} opted out of marketing`);
    await screenshot(page, "segment-editor");

    await page.getByRole("button", { name: "Save segment" }).click();
    await page.waitForURL(/\/app\/segments\/\d+$/);
    const saved = await db().segment.findFirstOrThrow({ where: { shopId: shop.id, name: "Linked or repeat buyers" } });
    expect(saved.definition).toMatchObject(definition);
    expect(saved.memberCount).toBe(expected.count);
  });
});
