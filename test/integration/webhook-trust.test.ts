// Issue 9 item 1: Shopify signs the body only, so X-Shopify-Topic and X-Shopify-Shop-Domain are
// untrusted. A genuine body replayed with another shop's domain and a destructive topic must be refused
// (403, a RefusedWebhook row, nothing recorded) on every route, and the other tenant stays intact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { signedWebhook, uniqueShop } from "../support/shopify";
import { routeFor, subscriptions, type WebhookRoute } from "../support/webhook-routes";

async function call(route: WebhookRoute, request: Request): Promise<Response> {
  try {
    return await route.action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** The same signed body and signature with some headers changed (what an attacker can do). */
async function replay(req: Request, headers: Record<string, string>): Promise<Request> {
  const h = new Headers(req.headers);
  for (const [k, v] of Object.entries(headers)) h.set(k, v);
  return new Request(req.url, { method: "POST", headers: h, body: await req.clone().text() });
}

let worker: Awaited<ReturnType<typeof startWorker>>;
beforeAll(async () => {
  worker = await startWorker({ concurrency: 2, sweeps: false });
});
afterAll(async () => {
  await worker?.stop();
});

const idle = async () => expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);

describe("every Shopify webhook route is bound to its topic", () => {
  const subs = subscriptions();

  it("shopify.app.toml declares one route per topic and each route exports that topic", async () => {
    expect(subs.length).toBeGreaterThanOrEqual(17);
    expect(new Set(subs.map((s) => s.uri)).size).toBe(subs.length);
    for (const s of subs) {
      const route = await routeFor(s.uri);
      expect(route.topic, s.uri).toBe(s.topic);
      expect(route.hotPath, s.uri).toBe(true);
    }
  });

  it("each route refuses a validly signed delivery whose X-Shopify-Topic is another topic", async () => {
    const shop = uniqueShop();
    for (const s of subs) {
      const route = await routeFor(s.uri);
      const other = s.topic === "shop/redact" ? "app/uninstalled" : "shop/redact";
      const res = await call(route, await signedWebhook({ topic: other, shop, body: { id: 1, shop_domain: shop } }));
      expect(res.status, `${s.uri} with ${other}`).toBe(403);
    }
    expect(await db().webhookDelivery.count({ where: { shopDomain: shop } })).toBe(0);
    const refused = await db().refusedWebhook.findMany({ where: { headerShop: shop } });
    expect(refused).toHaveLength(subs.length);
    expect(new Set(refused.map((r) => r.reason))).toEqual(new Set(["topic-mismatch"]));
  });
});

describe("a genuine body replayed as another shop", () => {
  it("shop/redact for shop A re-sent with shop B's domain is refused; B keeps its data", async () => {
    const [a, b] = [uniqueShop("a"), uniqueShop("b")];
    await installDevShop({ domain: a });
    await installDevShop({ domain: b });
    const route = await routeFor("/webhooks/shop/redact");
    const genuine = await signedWebhook({ topic: "shop/redact", shop: a, body: { shop_id: 1, shop_domain: a } });

    for (let i = 0; i < 2; i++) {
      const res = await call(route, await replay(genuine, { "X-Shopify-Shop-Domain": b, "X-Shopify-Webhook-Id": `attack-${i}` }));
      expect(res.status).toBe(403);
    }
    await idle();
    expect(await db().webhookDelivery.count({ where: { shopDomain: b } })).toBe(0);
    expect(await db().shop.findUnique({ where: { domain: b } })).toMatchObject({ domain: b, uninstalledAt: null });
    expect(await db().session.count({ where: { shop: b } })).toBe(1);
    // Recorded once, counted twice; the body (shop A's data) is not stored.
    const refused = await db().refusedWebhook.findMany({ where: { headerShop: b } });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      reason: "shop-mismatch",
      routeTopic: "shop/redact",
      payloadShop: a,
      count: 2,
      webhookId: "attack-1",
    });
  });

  it("app/uninstalled for shop A re-sent with shop B's domain does not uninstall B", async () => {
    const [a, b] = [uniqueShop("a"), uniqueShop("b")];
    await installDevShop({ domain: a });
    await installDevShop({ domain: b });
    const route = await routeFor("/webhooks/app/uninstalled");
    const body = { id: 1, name: "A", domain: "www.shop-a.example", myshopify_domain: a };
    const genuine = await signedWebhook({ topic: "app/uninstalled", shop: a, body });

    expect((await call(route, await replay(genuine, { "X-Shopify-Shop-Domain": b }))).status).toBe(403);
    // The same replay through another route with the destructive topic header: refused for the topic.
    const viaOrders = await routeFor("/webhooks/orders/create");
    expect((await call(viaOrders, await replay(genuine, { "X-Shopify-Shop-Domain": b }))).status).toBe(403);
    await idle();
    expect((await db().shop.findUniqueOrThrow({ where: { domain: b } })).uninstalledAt).toBeNull();
    expect(await db().session.count({ where: { shop: b } })).toBe(1);
    expect((await db().refusedWebhook.findMany({ where: { headerShop: b } })).map((r) => r.reason).sort()).toEqual([
      "shop-mismatch",
      "topic-mismatch",
    ]);

    // The genuine delivery (custom primary domain, myshopify_domain = header) is accepted and processed.
    expect((await call(route, genuine)).status).toBe(200);
    await idle();
    expect((await db().shop.findUniqueOrThrow({ where: { domain: a } })).uninstalledAt).toBeInstanceOf(Date);
    expect((await db().shop.findUniqueOrThrow({ where: { domain: b } })).uninstalledAt).toBeNull();
  });

  it("customers/redact naming shop A is refused when sent as shop B", async () => {
    const [a, b] = [uniqueShop("a"), uniqueShop("b")];
    const route = await routeFor("/webhooks/customers/redact");
    const genuine = await signedWebhook({
      topic: "customers/redact",
      shop: a,
      body: { shop_id: 1, shop_domain: a, customer: { id: 5 }, orders_to_redact: [] },
    });
    expect((await call(route, await replay(genuine, { "X-Shopify-Shop-Domain": b }))).status).toBe(403);
    expect(await db().webhookDelivery.count({ where: { shopDomain: b } })).toBe(0);
  });

  it("refuses a header shop that is not a myshopify.com domain", async () => {
    const route = await routeFor("/webhooks/orders/create");
    const genuine = await signedWebhook({ topic: "orders/create", shop: uniqueShop(), body: { id: 1 } });
    expect((await call(route, await replay(genuine, { "X-Shopify-Shop-Domain": "evil.example.com" }))).status).toBe(403);
    expect(await db().webhookDelivery.count({ where: { shopDomain: "evil.example.com" } })).toBe(0);
  });
});
