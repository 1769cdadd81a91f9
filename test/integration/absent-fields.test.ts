// Absent is not empty: since API 2025-01 Shopify omits fields that did not change or are no longer
// sent (customers/update has no `tags` or consent). A payload without a field keeps what is stored,
// for every optional field of every topic; tag changes come from customer.tags_added/_removed, with
// the current list re-read over Admin GraphQL (answered at the network boundary).
import { beforeAll, describe, expect, it } from "vitest";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { processDelivery } from "~/services/shopify-webhook-processing.server";
import { action as customersCreate } from "~/routes/webhooks.customers.create";
import { action as customersUpdate } from "~/routes/webhooks.customers.update";
import { action as tagsRemoved } from "~/routes/webhooks.customer.tags_removed";
import { action as tagsAdded } from "~/routes/webhooks.customer.tags_added";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as checkoutsUpdate } from "~/routes/webhooks.checkouts.update";
import { action as fulfillmentsCreate } from "~/routes/webhooks.fulfillments.create";
import { action as fulfillmentsUpdate } from "~/routes/webhooks.fulfillments.update";
import { checkoutBody, customerBody, fulfillmentBody, lineItem, orderBody } from "./ingestion-fixtures";
import { signedWebhook, uniqueShop } from "../support/shopify";

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;

/** Shopify's current tags per customer GID, as Admin GraphQL would answer. */
const shopifyTags = new Map<string, string[]>();
beforeAll(() => {
  setAbstractFetchFunc((async (input: RequestInfo | URL, init?: RequestInit) => {
    const { query, variables } = JSON.parse(String(init?.body ?? "{}")) as { query: string; variables?: { id?: string } };
    const url = String(input instanceof Request ? input.url : input);
    if (!url.endsWith("/graphql.json") || !query.includes("CustomerTags")) return new Response("not found", { status: 404 });
    const tags = shopifyTags.get(variables?.id ?? "");
    return new Response(JSON.stringify({ data: { customer: tags ? { tags } : null } }), {
      headers: { "Content-Type": "application/json" },
    });
  }) as typeof fetch);
});

async function deliver(action: Action, topic: string, shop: string, body: Record<string, unknown>) {
  const webhookId = `wh-${topic}-${Math.random()}`;
  const res = await action({ request: await signedWebhook({ topic, shop, body, webhookId }), params: {}, context: {} });
  expect(res.status).toBe(200);
  const row = await db().webhookDelivery.findUniqueOrThrow({ where: { shopDomain_webhookId: { shopDomain: shop, webhookId } } });
  await processDelivery(row.id);
  const done = await db().webhookDelivery.findUniqueOrThrow({ where: { id: row.id } });
  expect(done.status).toBe("processed");
}

/** The body without the given keys (what a 2025-01+ delivery leaves out). */
const without = (body: Record<string, unknown>, ...keys: string[]) =>
  Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));

describe("absent fields keep what is stored", () => {
  it("customers/update without tags or consent keeps them; tag topics re-read the current list", async () => {
    const shop = uniqueShop("absent-c");
    const { shop: row } = await installDevShop({ domain: shop });
    const where = { shopId_shopifyCustomerId: { shopId: row.id, shopifyCustomerId: 7101n } };
    await deliver(customersCreate, "customers/create", shop, { ...customerBody(7101, "2026-01-05T00:00:00Z", "vip, gold"), locale: "ja" });
    expect(await db().customer.findUniqueOrThrow({ where })).toMatchObject({
      tags: ["vip", "gold"],
      emailMarketingState: "SUBSCRIBED",
      locale: "ja",
    });

    // A 2026-01 customers/update: the name changed; tags, consent and locale are not in the payload.
    const update = without(customerBody(7101, "2026-01-06T00:00:00Z", ""), "tags", "email_marketing_consent", "sms_marketing_consent");
    await deliver(customersUpdate, "customers/update", shop, { ...update, first_name: "Renamed" });
    expect(await db().customer.findUniqueOrThrow({ where })).toMatchObject({
      tags: ["vip", "gold"],
      emailMarketingState: "SUBSCRIBED",
      locale: "ja",
    });

    // "gold" removed in the admin: the delivery names only the changed tag; the list is re-read.
    shopifyTags.set("gid://shopify/Customer/7101", ["vip"]);
    await deliver(tagsRemoved, "customer.tags_removed", shop, {
      customerId: "gid://shopify/Customer/7101",
      tags: ["gold"],
      occurredAt: "2026-01-07T00:00:00Z",
    });
    expect((await db().customer.findUniqueOrThrow({ where })).tags).toEqual(["vip"]);
    shopifyTags.set("gid://shopify/Customer/7101", ["vip", "wholesale"]);
    await deliver(tagsAdded, "customer.tags_added", shop, {
      customerId: "gid://shopify/Customer/7101",
      tags: ["wholesale"],
      occurredAt: "2026-01-08T00:00:00Z",
    });
    expect((await db().customer.findUniqueOrThrow({ where })).tags).toEqual(["vip", "wholesale"]);
  });

  it("orders, checkouts and fulfillments without optional fields keep customer, token, completion and delivery", async () => {
    const shop = uniqueShop("absent-o");
    const { shop: row } = await installDevShop({ domain: shop });
    const lines = [lineItem(100, 1, "1000.00")];
    await deliver(
      checkoutsCreate,
      "checkouts/create",
      shop,
      checkoutBody({
        id: 81,
        token: "tok-81",
        customerId: 7201,
        createdAt: "2026-01-01T00:00:00Z",
        updatedAt: "2026-01-01T00:00:00Z",
        total: "1000.00",
        lines,
      }),
    );
    const order = orderBody({
      id: 8201,
      customerId: 7201,
      processedAt: "2026-01-01T01:00:00Z",
      updatedAt: "2026-01-01T01:00:00Z",
      total: "1000.00",
      lines,
      checkoutToken: "tok-81",
    });
    await deliver(ordersCreate, "orders/create", shop, order);
    await deliver(
      fulfillmentsCreate,
      "fulfillments/create",
      shop,
      fulfillmentBody({ id: 8301, orderId: 8201, updatedAt: "2026-01-02T00:00:00Z", shipmentStatus: "delivered" }),
    );

    // Later versions that leave fields out.
    await deliver(ordersUpdated, "orders/updated", shop, {
      ...without(order, "customer", "checkout_token", "source_name"),
      updated_at: "2026-01-03T00:00:00Z",
    });
    await deliver(
      checkoutsUpdate,
      "checkouts/update",
      shop,
      without(
        {
          ...checkoutBody({
            id: 81,
            token: "tok-81",
            customerId: 7201,
            createdAt: "2026-01-01T00:00:00Z",
            updatedAt: "2026-01-03T00:00:00Z",
            total: "1000.00",
            lines,
          }),
        },
        "customer",
        "completed_at",
        "abandoned_checkout_url",
        "customer_locale",
      ),
    );
    await deliver(
      fulfillmentsUpdate,
      "fulfillments/update",
      shop,
      without(fulfillmentBody({ id: 8301, orderId: 8201, updatedAt: "2026-01-04T00:00:00Z", shipmentStatus: null }), "shipment_status"),
    );

    const o = await db().order.findFirstOrThrow({ where: { shopId: row.id, shopifyOrderId: 8201n } });
    expect(o).toMatchObject({ shopifyCustomerId: 7201n, checkoutToken: "tok-81", sourceName: "web" });
    expect(o.deliveredAt).toEqual(new Date("2026-01-02T00:00:00Z"));
    expect(await db().orderLine.findMany({ where: { orderId: o.id }, select: { shopifyCustomerId: true } })).toEqual([
      { shopifyCustomerId: 7201n },
    ]);
    const c = await db().checkout.findFirstOrThrow({ where: { shopId: row.id, token: "tok-81" } });
    expect(c).toMatchObject({
      shopifyCustomerId: 7201n,
      locale: "ja",
      abandonedAt: null,
      recoveryUrl: "https://shop.example/checkouts/tok-81/recover",
    });
    expect(c.completedAt).toEqual(new Date("2026-01-01T01:00:00Z"));
    const customer = await db().customer.findUniqueOrThrow({
      where: { shopId_shopifyCustomerId: { shopId: row.id, shopifyCustomerId: 7201n } },
    });
    expect(customer).toMatchObject({ purchaseCount: 1, abandonedCheckoutAt: null, lastDeliveredAt: new Date("2026-01-02T00:00:00Z") });
  });
});
