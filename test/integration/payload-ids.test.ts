// Shopify ids are 64-bit integers in REST webhook bodies. Bodies are signed as raw text (a JS object
// cannot hold these ids), recorded as received, and parsed without rounding; a delivery that still
// cannot be applied is answered 200, quarantined, and shown on Sync health.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { processDelivery } from "~/services/shopify-webhook-processing.server";
import { syncHealth } from "~/services/ingestion/sync-health.server";
import { shopOverview } from "~/services/overview.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { lineItem, orderBody } from "./ingestion-fixtures";
import { signedWebhook, uniqueShop } from "../support/shopify";

// Two ids that a JavaScript number cannot tell apart (both parse to 820982911946154500).
const ORDER_A = "820982911946154508";
const ORDER_B = "820982911946154509";
const CUSTOMER = "9007199254740993"; // 2^53 + 1

/** An orders/create body whose ids are the given digit strings, written as JSON numbers. */
function rawOrder(orderId: string, customerId: string, productId = "7000000000000000001") {
  const body = orderBody({
    id: 111111,
    customerId: 222222,
    processedAt: "2026-11-01T00:00:00Z",
    updatedAt: "2026-11-01T00:00:00Z",
    total: "1200.00",
    lines: [{ ...lineItem(3, 1, "1200.00"), product_id: 333333 }],
  });
  return JSON.stringify(body)
    .replaceAll('"id":111111', `"id":${orderId}`)
    .replaceAll("/Order/111111", `/Order/${orderId}`)
    .replaceAll('"#111111"', `"#${orderId.slice(-4)}"`)
    .replaceAll('"id":222222', `"id":${customerId}`)
    .replaceAll('"product_id":333333', `"product_id":${productId}`);
}

async function deliver(shop: string, rawBody: string, webhookId: string) {
  const res = await ordersCreate({
    request: await signedWebhook({ topic: "orders/create", shop, rawBody, webhookId }),
    params: {},
    context: {},
  });
  const row = await db().webhookDelivery.findUniqueOrThrow({ where: { shopDomain_webhookId: { shopDomain: shop, webhookId } } });
  await processDelivery(row.id);
  return { res, row: await db().webhookDelivery.findUniqueOrThrow({ where: { id: row.id } }) };
}

describe("64-bit Shopify ids", () => {
  it("two distinct 18-digit order ids stay two orders, with exact customer and product ids", async () => {
    const shop = uniqueShop("ids");
    const { shop: row } = await installDevShop({ domain: shop });
    expect(JSON.parse(rawOrder(ORDER_A, CUSTOMER)).id).toBe(JSON.parse(rawOrder(ORDER_B, CUSTOMER)).id); // the trap

    const a = await deliver(shop, rawOrder(ORDER_A, CUSTOMER), "wh-a");
    const b = await deliver(shop, rawOrder(ORDER_B, CUSTOMER), "wh-b");
    expect([a.res.status, b.res.status]).toEqual([200, 200]);
    expect([a.row.status, b.row.status]).toEqual(["processed", "processed"]);

    const orders = await db().order.findMany({ where: { shopId: row.id }, orderBy: { shopifyOrderId: "asc" } });
    expect(orders.map((o) => o.shopifyOrderId)).toEqual([BigInt(ORDER_A), BigInt(ORDER_B)]);
    expect(orders.every((o) => o.shopifyCustomerId === BigInt(CUSTOMER))).toBe(true);
    const customer = await db().customer.findUniqueOrThrow({
      where: { shopId_shopifyCustomerId: { shopId: row.id, shopifyCustomerId: BigInt(CUSTOMER) } },
    });
    expect(customer.purchaseCount).toBe(2);
    const lines = await db().orderLine.findMany({ where: { shopId: row.id } });
    expect(lines.map((l) => l.productId)).toEqual([7000000000000000001n, 7000000000000000001n]);
  });

  it("an id beyond 64 bits is answered 200, quarantined with its reason and visible on Sync health", async () => {
    const shop = uniqueShop("ids-q");
    const { shop: row } = await installDevShop({ domain: shop });
    const { res, row: delivery } = await deliver(shop, rawOrder("18446744073709551616", CUSTOMER), "wh-too-big");
    expect(res.status).toBe(200); // recorded: Shopify must not retry a body that will never parse
    expect(delivery.status).toBe("quarantined");
    expect(delivery.error).toMatch(/^invalid payload: id: /);
    expect(await db().order.count({ where: { shopId: row.id } })).toBe(0);

    const health = await syncHealth(shop);
    expect(health.counts.quarantined).toBe(1);
    expect(health.attention).toEqual([
      expect.objectContaining({ id: delivery.id, topic: "orders/create", status: "quarantined", error: delivery.error }),
    ]);
    expect((await shopOverview(shop)).counts.quarantined).toBe(1);
  });
});
