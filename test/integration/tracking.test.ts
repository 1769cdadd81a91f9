// Tracked links and attribution end to end: a click through the real redirect route (worker down),
// then a genuinely signed orders/create webhook processed by the worker → Attribution row and the
// broadcast report's revenue.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as redirectLoader } from "~/routes/r.$code";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { createTrackedLink, personaliseTrackedUrls, signFriendToken } from "~/services/tracking/links.server";
import { attributeOrder } from "~/services/roi/attribution.server";
import { broadcastReport } from "~/services/broadcasts/broadcasts.server";
import { signedWebhook, uniqueShop } from "../support/shopify";
import { lineItem, orderBody } from "./ingestion-fixtures";

let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
afterAll(async () => {
  await worker?.stop();
});

async function setup(customerId: number) {
  const domain = uniqueShop();
  await installDevShop({ domain });
  const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
  const customer = await db().customer.create({ data: { shopId: shop.id, shopifyCustomerId: BigInt(customerId) } });
  const friend = await db().friend.create({
    data: { shopId: shop.id, lineUserId: `U${customerId}`, customerId: customer.id, linkedAt: new Date() },
  });
  const b = await db().broadcast.create({ data: { shopId: shop.id, name: "Sale", messages: [], audience: {}, status: "sent" } });
  return { shop, friend, b };
}

async function click(url: string, ua = "Mozilla/5.0 Line/13.0") {
  return redirectLoader({
    request: new Request(url, { headers: { "user-agent": ua } }),
    params: { code: new URL(url).pathname.split("/").pop()! },
    context: {},
  });
}

async function deliverOrder(shop: string, id: number, customerId: number, total: string, at = new Date()) {
  const body = orderBody({
    id,
    customerId,
    processedAt: at.toISOString(),
    updatedAt: at.toISOString(),
    total,
    lines: [lineItem(100, 1, total)],
  });
  const res = await ordersCreate({
    request: await signedWebhook({ topic: "orders/create", shop, body, webhookId: `o-${id}` }),
    params: {},
    context: {},
  });
  expect(res.status).toBe(200);
}

describe("tracked redirect", () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    ctx = await setup(7001);
  });

  it("records the click with the signed friend and 302s with query parameters kept and UTM added (no worker running)", async () => {
    const link = await createTrackedLink({
      shopId: ctx.shop.id,
      url: "https://shop.example/p/tea?variant=5",
      sourceType: "broadcast",
      sourceId: ctx.b.id,
    });
    const personal = personaliseTrackedUrls(`Buy ${link.shortUrl} now`, ctx.friend.id);
    const url = personal.split(" ")[1]!;
    expect(url).toBe(`${link.shortUrl}?f=${encodeURIComponent(signFriendToken(ctx.friend.id))}`);
    const res = await click(`${url}&ref=story`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(
      `https://shop.example/p/tea?variant=5&ref=story&utm_source=line&utm_medium=broadcast&utm_campaign=${link.code}`,
    );
    const rows = await db().linkClick.findMany({ where: { linkId: link.id } });
    expect(rows).toEqual([
      expect.objectContaining({ friendId: ctx.friend.id, sourceType: "broadcast", sourceId: ctx.b.id, userAgent: "Mozilla/5.0 Line/13.0" }),
    ]);
  });

  it("a forged or foreign friend token still redirects but records no friend; unknown codes 404", async () => {
    const link = await createTrackedLink({
      shopId: ctx.shop.id,
      url: "https://shop.example/?utm_source=mail",
      sourceType: "menu_area",
      sourceId: 3,
      area: "Shop",
    });
    const res = await click(`${link.shortUrl}?f=${ctx.friend.id}.0123456789abcdef`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`https://shop.example/?utm_source=mail&utm_medium=menu_area&utm_campaign=${link.code}`);
    const other = await setup(7002);
    await click(`${link.shortUrl}?f=${encodeURIComponent(signFriendToken(other.friend.id))}`);
    const rows = await db().linkClick.findMany({ where: { linkId: link.id } });
    expect(rows.map((r) => r.friendId)).toEqual([null, null]);
    expect(rows[0]).toMatchObject({ area: "Shop", sourceType: "menu_area" });
    expect((await click("https://my-test-app.myshopify.io/r/nope1234")).status).toBe(404);
  });
});

describe("attribution", () => {
  beforeAll(async () => {
    worker = await startWorker({ concurrency: 2, sweeps: false });
  });

  it("a click followed by an order webhook → Attribution row and revenue in the broadcast report", async () => {
    const { shop, friend, b } = await setup(7100);
    const link = await createTrackedLink({ shopId: shop.id, url: "https://shop.example/p/1", sourceType: "broadcast", sourceId: b.id });
    await click(`${link.shortUrl}?f=${encodeURIComponent(signFriendToken(friend.id))}`);
    await deliverOrder(shop.domain, 880001, 7100, "4200.00");
    expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);
    const order = await db().order.findUniqueOrThrow({ where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: 880001n } } });
    const attr = await db().attribution.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(attr).toMatchObject({ sourceType: "broadcast", sourceId: b.id, friendId: friend.id, method: "click", currency: "JPY" });
    expect(Number(attr.revenue)).toBe(4200);
    expect(await attributeOrder(shop.id, 880001n)).toBe("already"); // idempotent
    const report = await broadcastReport(shop.id, b.id);
    expect(report).toMatchObject({ clicks: 1, uniqueClickers: 1, orders: 1, revenue: 4200 });
  });

  it("the last click wins; clicks outside the window (default 7 days) do not count", async () => {
    const { shop, friend, b } = await setup(7200);
    const l1 = await createTrackedLink({ shopId: shop.id, url: "https://shop.example/1", sourceType: "broadcast", sourceId: b.id });
    const l2 = await createTrackedLink({
      shopId: shop.id,
      url: "https://shop.example/2",
      sourceType: "menu_area",
      sourceId: 9,
      area: "Reorder",
    });
    await click(`${l1.shortUrl}?f=${encodeURIComponent(signFriendToken(friend.id))}`);
    await click(`${l2.shortUrl}?f=${encodeURIComponent(signFriendToken(friend.id))}`);
    await db().linkClick.updateMany({ where: { linkId: l1.id }, data: { at: new Date(Date.now() - 60_000) } });
    await deliverOrder(shop.domain, 880002, 7200, "1000.00");
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect(await db().attribution.findFirst({ where: { shopId: shop.id } })).toMatchObject({
      sourceType: "menu_area",
      sourceId: 9,
      area: "Reorder",
    });

    const old = await setup(7300);
    const l3 = await createTrackedLink({ shopId: old.shop.id, url: "https://shop.example/3", sourceType: "broadcast", sourceId: old.b.id });
    await click(`${l3.shortUrl}?f=${encodeURIComponent(signFriendToken(old.friend.id))}`);
    await db().linkClick.updateMany({ where: { linkId: l3.id }, data: { at: new Date(Date.now() - 8 * 86_400_000) } });
    await deliverOrder(old.shop.domain, 880003, 7300, "1000.00");
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect(await db().attribution.count({ where: { shopId: old.shop.id } })).toBe(0);
  });

  it("assisted: the friend received the multicast and its link was clicked anonymously after the send", async () => {
    const { shop, friend, b } = await setup(7400);
    await db().messageSend.create({
      data: {
        shopId: shop.id,
        friendId: friend.id,
        kind: "broadcast",
        sourceType: "broadcast",
        sourceId: b.id,
        retryKey: "k-7400",
        status: "sent",
        sentAt: new Date(Date.now() - 3_600_000),
      },
    });
    const link = await createTrackedLink({ shopId: shop.id, url: "https://shop.example/x", sourceType: "broadcast", sourceId: b.id });
    await click(link.shortUrl);
    await deliverOrder(shop.domain, 880004, 7400, "900.00");
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect(await db().attribution.findFirst({ where: { shopId: shop.id } })).toMatchObject({ method: "assisted", sourceId: b.id });
  });
});
