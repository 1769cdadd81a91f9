// Shopify ingestion end to end on real PostgreSQL and Redis: genuinely signed webhooks → route →
// recorded delivery → worker → orders/checkouts/customers → recomputed facts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { queue } from "~/adapters/queue/queues.server";
import { getCustomerView } from "~/services/ingestion/customer-view.server";
import { processDelivery, retryDelivery } from "~/services/shopify-webhook-processing.server";
import { syncHealth } from "~/services/ingestion/sync-health.server";
import { command as customerShow } from "../../scripts/cli/commands/customer";
import { fulfillmentBody } from "./ingestion-fixtures";
import { sweepUnprocessedDeliveries } from "~/services/webhook-deliveries.server";
import * as ordersCreate from "~/routes/webhooks.orders.create";
import * as ordersUpdated from "~/routes/webhooks.orders.updated";
import * as ordersCancelled from "~/routes/webhooks.orders.cancelled";
import * as ordersFulfilled from "~/routes/webhooks.orders.fulfilled";
import * as fulfillmentsCreate from "~/routes/webhooks.fulfillments.create";
import * as fulfillmentsUpdate from "~/routes/webhooks.fulfillments.update";
import * as checkoutsCreate from "~/routes/webhooks.checkouts.create";
import * as checkoutsUpdate from "~/routes/webhooks.checkouts.update";
import * as customersCreate from "~/routes/webhooks.customers.create";
import * as customersUpdate from "~/routes/webhooks.customers.update";
import * as customersDelete from "~/routes/webhooks.customers.delete";
import * as customersRedact from "~/routes/webhooks.customers.redact";
import * as customersDataRequest from "~/routes/webhooks.customers.data_request";
import * as shopRedact from "~/routes/webhooks.shop.redact";
import * as scopesUpdate from "~/routes/webhooks.app.scopes_update";
import { signedWebhook, uniqueShop } from "../support/shopify";
import { checkoutBody, customerBody, customerSequence, lineItem, orderBody, seededShuffle } from "./ingestion-fixtures";
import type { WebhookEvent } from "./ingestion-fixtures";
import type { ActionFunctionArgs } from "@remix-run/node";
import { identityKey } from "~/adapters/crypto.server";
import { emailHash, phoneHash } from "~/domain/integrations/identity";

const ROUTES: Record<string, { action: (args: ActionFunctionArgs) => Promise<Response> }> = {
  "orders/create": ordersCreate,
  "orders/updated": ordersUpdated,
  "orders/cancelled": ordersCancelled,
  "orders/fulfilled": ordersFulfilled,
  "fulfillments/create": fulfillmentsCreate,
  "fulfillments/update": fulfillmentsUpdate,
  "checkouts/create": checkoutsCreate,
  "checkouts/update": checkoutsUpdate,
  "customers/create": customersCreate,
  "customers/update": customersUpdate,
  "customers/delete": customersDelete,
  "customers/redact": customersRedact,
  "customers/data_request": customersDataRequest,
  "shop/redact": shopRedact,
  "app/scopes_update": scopesUpdate,
};

let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  worker = await startWorker({ concurrency: 2, sweeps: false });
});
afterAll(async () => {
  await worker.stop();
});

async function deliver(shop: string, e: Pick<WebhookEvent, "topic" | "body"> & Partial<WebhookEvent>, secret?: string): Promise<number> {
  const route = ROUTES[e.topic];
  if (!route) throw new Error(`no route for ${e.topic}`);
  const request = await signedWebhook({ topic: e.topic, shop, body: e.body, webhookId: e.webhookId, triggeredAt: e.triggeredAt, secret });
  try {
    return (await route.action({ request, params: {}, context: {} })).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

async function idle() {
  const r = await waitForIdleQueues({ timeoutMs: 60_000, pollMs: 25 });
  expect(r.idle).toBe(true);
}

async function shopId(domain: string) {
  return (await db().shop.findUniqueOrThrow({ where: { domain } })).id;
}

const plain = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));
const sortBy = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));

/** Every fact/order/checkout row of a shop with internal ids and bookkeeping times removed. */
async function snapshot(domain: string) {
  const id = await shopId(domain);
  const [customers, orders, checkouts, products, rebuys, fulfillments] = await Promise.all([
    db().customer.findMany({ where: { shopId: id } }),
    db().order.findMany({ where: { shopId: id }, include: { lines: true } }),
    db().checkout.findMany({ where: { shopId: id } }),
    db().customerProduct.findMany({ where: { shopId: id } }),
    db().productRebuy.findMany({ where: { shopId: id } }),
    db().fulfillment.findMany({ where: { shopId: id } }),
  ]);
  return plain({
    customers: sortBy(
      customers.map(({ id: _i, shopId: _s, createdAt: _c, updatedAt: _u, factsUpdatedAt: _f, ...r }) => r),
      (r) => String(r.shopifyCustomerId),
    ),
    orders: sortBy(
      orders.map(({ id: _i, shopId: _s, lines, ...r }) => ({
        ...r,
        lines: sortBy(
          lines.map(({ id: _li, orderId: _o, shopId: _ls, ...l }) => l),
          (l) => `${l.productId}:${l.quantity}`,
        ),
      })),
      (r) => String(r.shopifyOrderId),
    ),
    checkouts: sortBy(
      checkouts.map(({ id: _i, shopId: _s, ...r }) => r),
      (r) => r.token,
    ),
    products: sortBy(
      products.map(({ shopId: _s, ...r }) => r),
      (r) => `${r.shopifyCustomerId}:${r.productId}`,
    ),
    rebuys: sortBy(
      rebuys.map(({ shopId: _s, updatedAt: _u, ...r }) => r),
      (r) => String(r.productId),
    ),
    fulfillments: sortBy(
      fulfillments.map(({ id: _i, shopId: _s, ...r }) => r),
      (r) => String(r.shopifyFulfillmentId),
    ),
  });
}

describe("Shopify ingestion", () => {
  // ~100 deliveries, the in-order half waiting for the worker after each: minutes on a loaded 2-core machine.
  it("shuffled and duplicated deliveries give the same facts as in-order delivery", { timeout: 180_000 }, async () => {
    const inOrderShop = uniqueShop("inorder");
    const shuffledShop = uniqueShop("shuffled");
    await installDevShop({ domain: inOrderShop });
    // The second shop has no Shop row: it is created on the fly by the first delivery.
    const events = [0, 1, 2].flatMap((k) => customerSequence(k));

    for (const e of events) {
      expect(await deliver(inOrderShop, e)).toBe(200);
      await idle();
    }

    const shuffled = seededShuffle(events, 42);
    const duplicated = [...shuffled, ...seededShuffle(events, 7).slice(0, 15)];
    for (let i = 0; i < duplicated.length; i += 4) {
      const statuses = await Promise.all(duplicated.slice(i, i + 4).map((e) => deliver(shuffledShop, e)));
      expect(statuses.every((s) => s === 200)).toBe(true);
    }
    await idle();

    const a = await snapshot(inOrderShop);
    const b = await snapshot(shuffledShop);
    expect(b).toEqual(a);
    // One recorded row per webhook id, none left unprocessed.
    expect(await db().webhookDelivery.count({ where: { shopDomain: shuffledShop } })).toBe(events.length);
    expect(
      await db().webhookDelivery.count({ where: { shopDomain: shuffledShop, status: { in: ["received", "quarantined", "failed"] } } }),
    ).toBe(0);

    // And the facts are the expected ones.
    const view = await getCustomerView(await shopId(shuffledShop), 9000n, new Date("2025-03-01T00:00:00Z"));
    expect(view?.customer).toMatchObject({
      purchaseCount: 2,
      amountSpent: "7500.00",
      firstPurchaseAt: new Date("2025-01-02T03:10:00Z"),
      lastPurchaseAt: new Date("2025-02-01T03:00:00Z"),
      firstPurchaseChannel: "web",
      abandonedCheckoutAt: new Date("2025-02-15T03:03:00Z"),
      lastDeliveredAt: new Date("2025-01-06T03:00:00Z"),
      tags: ["vip", "repeat"],
      emailMarketingState: "SUBSCRIBED",
    });
    expect(view?.products.find((p) => p.productId === "100")).toMatchObject({
      orderCount: 2,
      quantity: 3,
      rebuyIntervalDays: 30,
      shopMedianIntervalDays: 30,
    });
    expect(view?.products.find((p) => p.productId === "300")).toBeUndefined(); // cancelled order
    expect(view?.checkouts.map((c) => [c.token, c.state])).toEqual([
      ["tok-0-1", "completed"],
      ["tok-0-2", "abandoned"],
    ]);
    expect(a.rebuys).toEqual([{ productId: "100", medianIntervalDays: 30, sampleSize: 3 }]);
    // customer.facts-changed was emitted: its reaction jobs were enqueued (and run by the worker).
    const shopRow = await db().shop.findUniqueOrThrow({ where: { domain: shuffledShop } });
    const reactions = (await queue("inbound").getJobs(["completed", "waiting", "active", "delayed"])).filter(
      (j) => j?.name === "roi.attribute-orders" && j.data.shopId === shopRow.id && j.data.shopifyCustomerId === "9001",
    );
    expect(reactions.length).toBeGreaterThan(0);
  });

  it("an order re-evaluates the segments of the customer's linked friend (named in the event); an unlinked customer's order asks for no segment or menu work", async () => {
    const shop = uniqueShop();
    await installDevShop({ domain: shop });
    const id = await shopId(shop);
    const buyers = await db().segment.create({
      data: { shopId: id, name: "Buyers", definition: { groups: [{ conditions: [{ field: "purchaseCount", op: "gte", value: 1 }] }] } },
    });
    const customer = await db().customer.create({ data: { shopId: id, shopifyCustomerId: 7101n, tags: [] } });
    const friend = await db().friend.create({
      data: { shopId: id, lineUserId: `Ulinked${id}`, followedAt: new Date(), customerId: customer.id },
    });
    const order = (oid: number, customerId: number) =>
      orderBody({
        id: oid,
        customerId,
        processedAt: "2025-06-01T00:00:00Z",
        updatedAt: "2025-06-01T00:00:00Z",
        total: "1000.00",
        lines: [lineItem(1, 1, "1000.00")],
      });
    expect(await deliver(shop, { topic: "orders/create", body: order(81001, 7101) })).toBe(200);
    expect(await deliver(shop, { topic: "orders/create", body: order(81002, 7102) })).toBe(200); // no friend
    await idle();
    expect(await db().segmentMembership.findMany({ where: { segmentId: buyers.id }, select: { friendId: true } })).toEqual([
      { friendId: friend.id },
    ]);
    const jobs = (await queue("inbound").getJobs(["completed", "waiting", "active", "delayed"])).filter((j) => j?.data.shopId === id);
    // Batched per shop (friend-batches.server.ts): the jobs ran the pending friends, only the linked one.
    const friendsRun = (js: typeof jobs) => js.reduce((n, j) => n + (j.returnvalue?.friends ?? 0), 0);
    const segmentJobs = jobs.filter((j) => j.name === "segments.reevaluate-friends");
    expect(segmentJobs.map((j) => j.data)).toContainEqual({ shopId: id, pending: true });
    expect(friendsRun(segmentJobs)).toBe(1);
    // Both orders were ingested and reacted to (attributed) …
    expect(
      jobs
        .filter((j) => j.name === "roi.attribute-orders")
        .map((j) => j.data.shopifyCustomerId)
        .sort(),
    ).toEqual(["7101", "7102"]);
    // … but the customer with no LINE friend cost no cart check (reminders are the friend's) …
    const cartJobs = jobs.filter((j) => j.name === "automations.check-friends-carts");
    expect(cartJobs.map((j) => j.data)).toContainEqual({ shopId: id, pending: true });
    expect(friendsRun(cartJobs)).toBe(1);
    // … and no segment and no menu job.
    const menuJobs = (await queue("line-outbound").getJobs(["completed", "waiting", "active", "delayed"])).filter(
      (j) => j?.name === "rich-menus.sync-friends" && j.data.shopId === id,
    );
    expect(menuJobs.map((j) => j.data)).toContainEqual({ shopId: id, pending: true });
    // The friend's menu ran twice: for the order, and for entering Buyers (segment.entered).
    expect(friendsRun(menuJobs)).toBe(2);
  });

  it("drops an old checkouts/update that arrives after a newer one", async () => {
    const shop = uniqueShop();
    const base = { id: 77, token: "tok-stale", customerId: 501, createdAt: "2025-05-01T00:00:00Z" };
    await deliver(shop, {
      topic: "checkouts/update",
      body: checkoutBody({ ...base, updatedAt: "2025-05-01T00:10:00Z", total: "2000.00", lines: [lineItem(1, 2, "1000.00")] }),
    });
    await idle();
    await deliver(shop, {
      topic: "checkouts/update",
      body: checkoutBody({ ...base, updatedAt: "2025-05-01T00:05:00Z", total: "1000.00", lines: [lineItem(1, 1, "1000.00")] }),
    });
    await idle();
    const c = await db().checkout.findFirstOrThrow({ where: { token: "tok-stale", shopId: await shopId(shop) } });
    expect(c.totalPrice.toFixed(2)).toBe("2000.00");
    expect(c.abandonedAt).toEqual(new Date("2025-05-01T00:10:00Z"));
    const statuses = (await db().webhookDelivery.findMany({ where: { shopDomain: shop }, orderBy: { id: "asc" } })).map((d) => d.status);
    expect(statuses).toEqual(["processed", "stale"]);
  });

  it("an order's email / phone fill only the hashes its customer lacks; the first order with a checkout's token completes it", async () => {
    const shop = uniqueShop();
    let id = 0;
    const key = identityKey();
    const hashesOf = async () => {
      const c = await db().customer.findUniqueOrThrow({ where: { shopId_shopifyCustomerId: { shopId: id, shopifyCustomerId: 701n } } });
      return { emailHash: c.emailHash, phoneHash: c.phoneHash, updatedAt: c.updatedAt };
    };
    const order = (n: number, at: string, extra: Record<string, unknown> = {}) => ({
      ...orderBody({
        id: n,
        customerId: 701,
        processedAt: at,
        updatedAt: at,
        total: "100",
        lines: [lineItem(1, 1, "100")],
        checkoutToken: "tok-701",
      }),
      ...extra,
    });
    await deliver(shop, {
      topic: "checkouts/update",
      body: checkoutBody({
        id: 70,
        token: "tok-701",
        customerId: 701,
        createdAt: "2025-07-01T00:00:00Z",
        updatedAt: "2025-07-01T00:05:00Z",
        total: "100",
        lines: [lineItem(1, 1, "100")],
      }),
    });
    await idle();
    id = await shopId(shop);
    expect((await db().checkout.findFirstOrThrow({ where: { shopId: id, token: "tok-701" } })).abandonedAt).not.toBeNull();

    // The first order: the customer had no hashes; the order's email gives one (no phone: none).
    await deliver(shop, { topic: "orders/create", body: order(8901, "2025-07-01T01:00:00Z", { email: "first@example.com", phone: null }) });
    await idle();
    const first = await hashesOf();
    expect(first.emailHash).toBe(emailHash("first@example.com", key));
    expect(first.phoneHash).toBeNull();
    const checkout = await db().checkout.findFirstOrThrow({ where: { shopId: id, token: "tok-701" } });
    expect(checkout.completedAt).toEqual(new Date("2025-07-01T01:00:00Z"));
    expect(checkout.abandonedAt).toBeNull();

    // A later order with another email and a phone: the email hash stays, the phone hash is filled.
    await deliver(shop, {
      topic: "orders/create",
      body: order(8902, "2025-07-02T01:00:00Z", { email: "other@example.com", phone: "+81 90-1234-5678" }),
    });
    await idle();
    const second = await hashesOf();
    expect(second.emailHash).toBe(first.emailHash);
    expect(second.phoneHash).toBe(phoneHash("+819012345678", key));
    // The same checkout token again keeps the first completion.
    expect((await db().checkout.findFirstOrThrow({ where: { shopId: id, token: "tok-701" } })).completedAt).toEqual(
      new Date("2025-07-01T01:00:00Z"),
    );
  });

  it("an orders/updated before its orders/create keeps the newer version", async () => {
    const shop = uniqueShop();
    const o = { id: 8801, customerId: 601, processedAt: "2025-06-01T00:00:00Z", lines: [lineItem(5, 1, "100.00")] };
    await deliver(shop, {
      topic: "orders/updated",
      body: orderBody({ ...o, updatedAt: "2025-06-01T01:00:00Z", total: "100.00", cancelledAt: "2025-06-01T01:00:00Z" }),
    });
    await idle();
    await deliver(shop, { topic: "orders/create", body: orderBody({ ...o, updatedAt: "2025-06-01T00:00:00Z", total: "100.00" }) });
    await idle();
    const order = await db().order.findFirstOrThrow({ where: { shopifyOrderId: 8801n, shopId: await shopId(shop) } });
    expect(order.cancelledAt).toEqual(new Date("2025-06-01T01:00:00Z"));
    const customer = await db().customer.findFirstOrThrow({ where: { shopifyCustomerId: 601n, shopId: await shopId(shop) } });
    expect(customer.purchaseCount).toBe(0);
  });

  it("quarantines a malformed payload with its reason, applies nothing, and the queue keeps going", async () => {
    const shop = uniqueShop();
    const bad = {
      ...orderBody({
        id: 9901,
        customerId: 701,
        processedAt: "2025-07-01T00:00:00Z",
        updatedAt: "2025-07-01T00:00:00Z",
        total: "10.00",
        lines: [],
      }),
      line_items: "x",
    };
    expect(await deliver(shop, { topic: "orders/create", body: bad, webhookId: "bad-1" })).toBe(200);
    expect(
      await deliver(shop, {
        topic: "orders/create",
        body: orderBody({
          id: 9902,
          customerId: 701,
          processedAt: "2025-07-01T00:00:00Z",
          updatedAt: "2025-07-01T00:00:00Z",
          total: "10.00",
          lines: [lineItem(1, 1, "10.00")],
        }),
      }),
    ).toBe(200);
    await idle();
    const q = await db().webhookDelivery.findFirstOrThrow({ where: { shopDomain: shop, webhookId: "bad-1" } });
    expect(q.status).toBe("quarantined");
    expect(q.error).toMatch(/line_items/);
    const id = await shopId(shop);
    expect(await db().order.count({ where: { shopId: id, shopifyOrderId: 9901n } })).toBe(0);
    expect(await db().order.count({ where: { shopId: id, shopifyOrderId: 9902n } })).toBe(1);

    const health = await syncHealth(shop);
    expect(health.counts).toMatchObject({ quarantined: 1, processed: 1 });
    expect(health.attention).toEqual([
      expect.objectContaining({ id: q.id, topic: "orders/create", status: "quarantined", error: expect.stringMatching(/line_items/) }),
    ]);
    expect(JSON.stringify(health)).not.toContain("example.com"); // no payload PII

    // The sweeper never re-runs it; a manual retry does (and it quarantines again: still malformed).
    expect((await sweepUnprocessedDeliveries(new Date(Date.now() + 3_600_000))).requeued).toBe(0);
    expect((await retryDelivery(shop, q.id)).status).toBe("requeued");
    await idle();
    const again = await db().webhookDelivery.findUniqueOrThrow({ where: { id: q.id } });
    expect(again.status).toBe("quarantined");
    expect(again.attempts).toBe(1);
  });

  it("refuses a bad HMAC with 401 and records nothing", async () => {
    const shop = uniqueShop();
    const status = await deliver(
      shop,
      {
        topic: "orders/create",
        body: orderBody({
          id: 1,
          customerId: 1,
          processedAt: "2025-01-01T00:00:00Z",
          updatedAt: "2025-01-01T00:00:00Z",
          total: "1.00",
          lines: [],
        }),
      },
      "wrong-secret",
    );
    expect(status).toBe(401);
    expect(await db().webhookDelivery.count({ where: { shopDomain: shop } })).toBe(0);
  });

  it("customers/delete removes facts and unlinks the friend; orders stay", async () => {
    const shop = uniqueShop();
    for (const e of customerSequence(5)) await deliver(shop, e);
    await idle();
    const id = await shopId(shop);
    const customer = await db().customer.findFirstOrThrow({ where: { shopId: id, shopifyCustomerId: 9005n } });
    const friend = await db().friend.create({
      data: { shopId: id, lineUserId: "Udel", customerId: customer.id, linkedAt: new Date(), linkSource: "thank_you" },
    });
    await deliver(shop, { topic: "customers/delete", body: { id: 9005 } });
    await idle();
    expect(await db().customer.count({ where: { shopId: id } })).toBe(0);
    expect(await db().customerProduct.count({ where: { shopId: id } })).toBe(0);
    expect(await db().order.count({ where: { shopId: id } })).toBe(3);
    expect(await db().friend.findUniqueOrThrow({ where: { id: friend.id } })).toMatchObject({ customerId: null, linkedAt: null });

    // A late retry of an update triggered before the deletion must not bring the customer back.
    const late = customerSequence(5).filter((e) => e.topic === "customers/update" || e.topic === "checkouts/update");
    for (const e of late) await deliver(shop, { ...e, webhookId: `late-${e.webhookId ?? e.topic}` });
    await idle();
    expect(await db().customer.count({ where: { shopId: id } })).toBe(0);
    expect(await db().checkout.count({ where: { shopId: id } })).toBe(0);
  });

  it("customers/data_request stores an export; customers/redact erases the customer; shop/redact erases the shop", async () => {
    const shop = uniqueShop();
    await installDevShop({ domain: shop });
    for (const e of [...customerSequence(1), ...customerSequence(2)]) await deliver(shop, e);
    await idle();
    const id = await shopId(shop);
    const c1 = await db().customer.findFirstOrThrow({ where: { shopId: id, shopifyCustomerId: 9001n } });
    const friend = await db().friend.create({
      data: { shopId: id, lineUserId: "Ured", customerId: c1.id, linkedAt: new Date(), linkSource: "line" },
    });

    await deliver(shop, {
      topic: "customers/data_request",
      body: {
        shop_id: 1,
        shop_domain: shop,
        customer: { id: 9001, email: "c9001@example.com" },
        orders_requested: [50011],
        data_request: { id: 42 },
      },
    });
    await idle();
    const exp = await db().dataRequestExport.findFirstOrThrow({ where: { shopId: id } });
    expect(exp.dataRequestId).toBe("42");
    const body = exp.export as { customer: { purchaseCount: number }; orders: unknown[]; link: { lineUserId: string } };
    expect(body.customer.purchaseCount).toBe(2);
    expect(body.orders).toHaveLength(3);
    expect(body.link.lineUserId).toBe("Ured");

    await deliver(shop, {
      topic: "customers/redact",
      body: { shop_id: 1, shop_domain: shop, customer: { id: 9001 }, orders_to_redact: [50011, 50012, 50013] },
    });
    await idle();
    expect(await db().customer.count({ where: { shopId: id, shopifyCustomerId: 9001n } })).toBe(0);
    expect(await db().order.count({ where: { shopId: id, shopifyCustomerId: 9001n } })).toBe(0);
    expect(await db().checkout.count({ where: { shopId: id, shopifyCustomerId: 9001n } })).toBe(0);
    expect(await db().customerProduct.count({ where: { shopId: id, shopifyCustomerId: 9001n } })).toBe(0);
    expect((await db().friend.findUniqueOrThrow({ where: { id: friend.id } })).customerId).toBeNull();
    expect(await db().customer.count({ where: { shopId: id, shopifyCustomerId: 9002n } })).toBe(1);
    const mentioning = await db().$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM "WebhookDelivery" WHERE "shopDomain" = ${shop} AND payload::text LIKE '%9001%'`;
    expect(Number(mentioning[0].n)).toBe(0);

    await deliver(shop, { topic: "shop/redact", body: { shop_id: 1, shop_domain: shop } });
    await idle();
    expect(
      await db().webhookDelivery.findMany({
        where: { shopDomain: shop, status: { not: "processed" } },
        select: { topic: true, status: true, error: true },
      }),
    ).toEqual([]);
    expect(await db().shop.count({ where: { domain: shop } })).toBe(0);
    for (const n of [
      db().customer.count({ where: { shopId: id } }),
      db().order.count({ where: { shopId: id } }),
      db().friend.count({ where: { shopId: id } }),
      db().dataRequestExport.count({ where: { shopId: id } }),
    ])
      expect(await n).toBe(0);
    expect(await db().session.count({ where: { shop } })).toBe(0);
    const left = await db().webhookDelivery.findMany({ where: { shopDomain: shop } });
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ topic: "shop/redact", status: "processed", payload: {} });
  });

  it("customers/update older than the stored version is stale; app/scopes_update updates the session scope", async () => {
    const shop = uniqueShop();
    await installDevShop({ domain: shop });
    await deliver(shop, { topic: "customers/update", body: customerBody(3001, "2025-08-02T00:00:00Z", "new") });
    await idle();
    await deliver(shop, { topic: "customers/create", body: customerBody(3001, "2025-08-01T00:00:00Z", "old", "not_subscribed") });
    await deliver(shop, {
      topic: "app/scopes_update",
      body: { id: 1, previous: ["read_orders"], current: ["read_orders", "read_customers"], updated_at: "2025-08-01T00:00:00Z" },
    });
    await idle();
    const c = await db().customer.findFirstOrThrow({ where: { shopId: await shopId(shop), shopifyCustomerId: 3001n } });
    expect(c.tags).toEqual(["new"]);
    expect(c.emailMarketingState).toBe("SUBSCRIBED");
    expect((await db().session.findFirstOrThrow({ where: { shop } })).scope).toBe("read_orders,read_customers");
  });

  it("fulfillments/create with shipment_status delivered before its order still marks the order delivered", async () => {
    const shop = uniqueShop();
    await deliver(shop, {
      topic: "fulfillments/create",
      body: fulfillmentBody({ id: 1201, orderId: 1200, updatedAt: "2025-09-05T00:00:00Z", shipmentStatus: "delivered" }),
    });
    await idle();
    await deliver(shop, {
      topic: "orders/create",
      body: orderBody({
        id: 1200,
        customerId: 1300,
        processedAt: "2025-09-01T00:00:00Z",
        updatedAt: "2025-09-01T00:00:00Z",
        total: "10.00",
        lines: [lineItem(1, 1, "10.00")],
      }),
    });
    await idle();
    const id = await shopId(shop);
    expect((await db().order.findFirstOrThrow({ where: { shopId: id, shopifyOrderId: 1200n } })).deliveredAt).toEqual(
      new Date("2025-09-05T00:00:00Z"),
    );
    expect((await db().customer.findFirstOrThrow({ where: { shopId: id, shopifyCustomerId: 1300n } })).lastDeliveredAt).toEqual(
      new Date("2025-09-05T00:00:00Z"),
    );
    // The earliest delivery wins, whichever fulfillment brings it; one not delivered changes nothing.
    await deliver(shop, {
      topic: "fulfillments/create",
      body: fulfillmentBody({ id: 1202, orderId: 1200, updatedAt: "2025-09-03T00:00:00Z", shipmentStatus: "delivered" }),
    });
    await deliver(shop, {
      topic: "fulfillments/create",
      body: fulfillmentBody({ id: 1203, orderId: 1200, updatedAt: "2025-09-02T00:00:00Z", shipmentStatus: "in_transit" }),
    });
    await idle();
    expect((await db().order.findFirstOrThrow({ where: { shopId: id, shopifyOrderId: 1200n } })).deliveredAt).toEqual(
      new Date("2025-09-03T00:00:00Z"),
    );
  });

  it("a handler that throws leaves the delivery received; the retry processes it", async () => {
    // The topic → handler map is declared (TOPIC_HANDLERS); a map of its own makes one handler fail once.
    let calls = 0;
    const flaky = new Map([
      [
        "test/flaky",
        async () => {
          if (++calls === 1) throw new Error("database hiccup");
          return { status: "processed" as const };
        },
      ],
    ]);
    const row = await db().webhookDelivery.create({
      data: { shopDomain: uniqueShop(), webhookId: "flaky-1", topic: "test/flaky", payload: { id: 1 } },
    });
    await expect(processDelivery(row.id, flaky)).rejects.toThrow("database hiccup");
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "received",
      attempts: 1,
      error: "database hiccup",
    });
    expect(await processDelivery(row.id, flaky)).toEqual({ status: "processed" });
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "processed",
      attempts: 2,
      error: null,
    });
    // A redelivered job for a processed row runs nothing and does not count an attempt; an unknown id is an error.
    expect(await processDelivery(row.id, flaky)).toEqual({ status: "already-done" });
    expect(calls).toBe(2);
    expect((await db().webhookDelivery.findUniqueOrThrow({ where: { id: row.id } })).attempts).toBe(2);
    await expect(processDelivery(row.id + 1_000_000, flaky)).rejects.toThrow(`delivery ${row.id + 1_000_000} not found`);
  });

  it("customer:show prints facts, products, checkouts, link and friend; unknown customer is an error", async () => {
    const shop = uniqueShop();
    for (const e of customerSequence(8)) await deliver(shop, e);
    await idle();
    const out = (await customerShow.run({ shop, customer: "gid://shopify/Customer/9008" })) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["customer", "products", "checkouts", "link", "friend"]);
    expect(out.customer).toMatchObject({ shopifyCustomerId: "9008", purchaseCount: 2 });
    expect(out.link).toBeNull();
    await expect(customerShow.run({ shop, customer: "12345" })).rejects.toThrow(/Unknown customer/);
  });
});
