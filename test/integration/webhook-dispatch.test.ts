// The Shopify webhook ack is one INSERT: the web process never talks to Redis for a delivery. The
// worker's dispatcher turns the INSERT's NOTIFY into the processing job, and enqueues on start what
// was recorded while no worker listened. Real PostgreSQL + Redis, genuinely signed webhooks.
import { afterAll, describe, expect, it, vi } from "vitest";
import { action } from "~/routes/webhooks.app.uninstalled";
import { db } from "~/db.server";
import { resetEnv } from "~/config/env.server";
import { installDevShop } from "~/services/shops.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { freePort } from "~/adapters/infra/local-services.server";
import { startDeliveryDispatcher } from "~/services/webhook-dispatch.server";
import { queue } from "~/adapters/queue/queues.server";
import { signedWebhook, uniqueShop } from "../support/shopify";

let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
afterAll(async () => {
  await worker?.stop();
});

async function callRoute(request: Request): Promise<Response> {
  try {
    return await action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Shopify gives up on a delivery after 5 s. */
function withinShopifyTimeout<T>(p: Promise<T>): Promise<T | "timed out"> {
  return Promise.race([p, new Promise<"timed out">((r) => setTimeout(() => r("timed out"), 5_000))]);
}

describe("webhook ack without Redis", () => {
  it("answers 200 while Redis is unreachable and the worker processes the delivery when it starts", async () => {
    const shop = uniqueShop();
    await installDevShop({ domain: shop });
    const redisUrl = process.env.REDIS_URL;
    process.env.REDIS_URL = `redis://127.0.0.1:${await freePort()}`; // nothing listens there
    resetEnv();
    let res: Response | "timed out";
    try {
      res = await withinShopifyTimeout(
        callRoute(await signedWebhook({ topic: "app/uninstalled", shop, body: { id: 1, domain: shop }, webhookId: "wh-no-redis" })),
      );
    } finally {
      process.env.REDIS_URL = redisUrl;
      resetEnv();
    }
    expect(res === "timed out" ? res : res.status).toBe(200);
    const delivery = await db().webhookDelivery.findUniqueOrThrow({
      where: { shopDomain_webhookId: { shopDomain: shop, webhookId: "wh-no-redis" } },
    });
    expect(delivery.status).toBe("received");

    // No sweep: the dispatcher's start-up catch-up alone must pick the delivery up.
    worker = await startWorker({ concurrency: 2, sweeps: false });
    expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);
    expect((await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).status).toBe("processed");
    expect((await db().shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toBeInstanceOf(Date);
  });

  it("processes a delivery recorded while the worker runs through the notification (no sweep)", async () => {
    worker ??= await startWorker({ concurrency: 2, sweeps: false });
    const shop = uniqueShop();
    await installDevShop({ domain: shop });
    const res = await callRoute(
      await signedWebhook({ topic: "app/uninstalled", shop, body: { id: 1, domain: shop }, webhookId: "wh-notified" }),
    );
    expect(res.status).toBe(200);
    expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);
    const row = await db().webhookDelivery.findUniqueOrThrow({
      where: { shopDomain_webhookId: { shopDomain: shop, webhookId: "wh-notified" } },
    });
    expect(row.status).toBe("processed");
  });

  it("listens again after PostgreSQL drops its connection, and picks up what was recorded meanwhile", async () => {
    worker ??= await startWorker({ concurrency: 2, sweeps: false });
    const shop = uniqueShop();
    await installDevShop({ domain: shop });
    const listeners = () =>
      db().$queryRaw<Array<{ pid: number }>>`SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`;
    const [before] = await listeners();
    expect(before).toBeDefined();
    await db().$queryRaw`SELECT pg_terminate_backend(${before.pid}::int)`;
    // Recorded while nobody listens: only the reconnecting dispatcher's catch-up can enqueue it.
    const res = await callRoute(
      await signedWebhook({ topic: "app/uninstalled", shop, body: { id: 1, domain: shop }, webhookId: "wh-relisten" }),
    );
    expect(res.status).toBe(200);
    const deadline = Date.now() + 15_000;
    let status = "received";
    while (status !== "processed" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = (
        await db().webhookDelivery.findUniqueOrThrow({ where: { shopDomain_webhookId: { shopDomain: shop, webhookId: "wh-relisten" } } })
      ).status;
    }
    expect(status).toBe("processed");
    const [after] = await listeners();
    expect(after?.pid).not.toBe(before.pid);
  });

  it("starts listening even when its catch-up cannot enqueue (Redis restarting): those deliveries wait for the sweep", async () => {
    const shop = uniqueShop();
    await installDevShop({ domain: shop });
    // Recorded without a notification: only a catch-up (or the sweep) can enqueue it.
    const row = await db().webhookDelivery.create({
      data: { shopDomain: shop, webhookId: "wh-catch-up-fails", topic: "app/uninstalled", payload: { id: 1, domain: shop } },
    });
    const listeners = async () =>
      (await db().$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN %'`)[0]!.n;
    const before = await listeners();
    const add = vi.spyOn(queue("inbound"), "add").mockRejectedValue(new Error("Connection is closed."));
    let dispatcher: Awaited<ReturnType<typeof startDeliveryDispatcher>> | undefined;
    try {
      dispatcher = await startDeliveryDispatcher();
      expect(add).toHaveBeenCalled();
      expect(await listeners()).toBe(before + 1);
    } finally {
      add.mockRestore();
      await dispatcher?.stop();
    }
    expect((await db().webhookDelivery.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("received");
    await db().webhookDelivery.delete({ where: { id: row.id } });
  });

  it("a worker starting while Redis restarts (LOADING) retries its start-up steps instead of exiting", async () => {
    // One worker per process (Bull allows one handler per queue): the shared one stops first.
    await worker?.stop();
    worker = undefined;
    const loading = Object.assign(new Error("LOADING Redis is loading the dataset in memory"), { name: "ReplyError" });
    const repeatables = vi.spyOn(queue("inbound"), "getRepeatableJobs").mockRejectedValueOnce(loading).mockRejectedValueOnce(loading);
    try {
      worker = await startWorker({ concurrency: 1, sweeps: false });
      expect(repeatables).toHaveBeenCalledTimes(3);
    } finally {
      repeatables.mockRestore();
    }
    // It runs: a delivery recorded now is processed.
    const shop = uniqueShop();
    await installDevShop({ domain: shop });
    const res = await callRoute(
      await signedWebhook({ topic: "app/uninstalled", shop, body: { id: 1, domain: shop }, webhookId: "wh-after-loading" }),
    );
    expect(res.status).toBe(200);
    expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);
    expect((await db().webhookDelivery.findFirstOrThrow({ where: { shopDomain: shop, webhookId: "wh-after-loading" } })).status).toBe(
      "processed",
    );
  }, 30_000);
});
