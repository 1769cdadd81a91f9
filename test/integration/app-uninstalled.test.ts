// End to end on real PostgreSQL and Redis: a genuinely signed app/uninstalled webhook → recorded →
// processed by the worker (Bull consumer) → shop marked uninstalled, sessions deleted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action } from "~/routes/webhooks.app.uninstalled";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { signedWebhook, uniqueShop } from "../support/shopify";

let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  worker = await startWorker({ concurrency: 2, sweeps: false });
});
afterAll(async () => {
  await worker.stop();
});

async function callRoute(request: Request): Promise<Response> {
  try {
    return await action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("app/uninstalled webhook", () => {
  it("records a signed delivery, answers 200 and the worker stops the shop", async () => {
    const shop = uniqueShop();
    await installDevShop({ domain: shop });
    expect(await db().session.count({ where: { shop } })).toBe(1);

    const res = await callRoute(
      await signedWebhook({ topic: "app/uninstalled", shop, body: { id: 1, domain: shop }, webhookId: "wh-uninstall-1" }),
    );
    expect(res.status).toBe(200);
    const delivery = await db().webhookDelivery.findUniqueOrThrow({
      where: { shopDomain_webhookId: { shopDomain: shop, webhookId: "wh-uninstall-1" } },
    });
    expect(delivery.topic).toBe("app/uninstalled");
    expect(delivery.eventId).toBeTruthy();

    const idle = await waitForIdleQueues({ timeoutMs: 60_000 });
    expect(idle.idle).toBe(true);
    const processed = await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(processed.status).toBe("processed");
    expect((await db().shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toBeInstanceOf(Date);
    expect(await db().session.count({ where: { shop } })).toBe(0);
  });

  it("treats a redelivered webhook id as a duplicate (one row, processed once)", async () => {
    const shop = uniqueShop();
    await installDevShop({ domain: shop });
    for (let i = 0; i < 3; i++) {
      const res = await callRoute(await signedWebhook({ topic: "app/uninstalled", shop, body: { id: 1 }, webhookId: "wh-dup" }));
      expect(res.status).toBe(200);
    }
    await waitForIdleQueues({ timeoutMs: 60_000 });
    const rows = await db().webhookDelivery.findMany({ where: { shopDomain: shop } });
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe("processed");
    expect(rows[0].attempts).toBe(1);
  });

  it("refuses a bad HMAC with 401 and records nothing", async () => {
    const shop = uniqueShop();
    const res = await callRoute(await signedWebhook({ topic: "app/uninstalled", shop, body: { id: 1 }, secret: "not-the-app-secret" }));
    expect(res.status).toBe(401);
    expect(await db().webhookDelivery.count({ where: { shopDomain: shop } })).toBe(0);
  });

  it("answers 400 when a required Shopify header is missing and records nothing", async () => {
    const shop = uniqueShop();
    const req = await signedWebhook({ topic: "app/uninstalled", shop, body: { id: 1 } });
    const headers = new Headers(req.headers);
    headers.delete("X-Shopify-Webhook-Id");
    const res = await callRoute(new Request(req.url, { method: "POST", headers, body: await req.text() }));
    expect(res.status).toBe(400);
    expect(await db().webhookDelivery.count({ where: { shopDomain: shop } })).toBe(0);
  });
});
