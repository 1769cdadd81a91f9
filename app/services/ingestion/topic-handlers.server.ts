// Shopify topic handlers. Each parses its payload (zod; failure → quarantined with the path, nothing
// applied) and calls the same ingestion services the backfill uses.
import type { z } from "zod";
import type { Shop } from "@prisma/client";
import { db, hotPool } from "~/db.server";
import {
  BulkOperationFinishPayload,
  CheckoutPayload,
  CustomerDeletePayload,
  CustomerPayload,
  CustomerTagsPayload,
  CustomersDataRequestPayload,
  CustomersRedactPayload,
  FulfillmentPayload,
  OrderPayload,
  ScopesUpdatePayload,
  ShopRedactPayload,
  ShopUpdatePayload,
  parsePayload,
} from "~/adapters/shopify/payloads";
import { applyShopSettings, recordInstall } from "~/db/shops.server";
import {
  eraseCustomer,
  ingestCheckout,
  ingestCustomer,
  ingestCustomerTags,
  ingestFulfillment,
  ingestOrder,
} from "~/services/ingestion/ingest.server";
import { fetchCustomerTags } from "~/adapters/shopify/customer-tags.server";
import { recordDataRequest, redactCustomer, redactShop } from "~/services/ingestion/compliance.server";
import { bulkOperationFinished } from "~/services/ingestion/backfill.server";
import type { DeliveryContext, HandlerOutcome, TopicHandler } from "~/services/ingestion/topic-registry.server";

/** What the ingestion handlers need of the shop. */
type ShopRef = Pick<Shop, "id" | "domain" | "timezone">;

/**
 * The delivery's shop, read once per delivery (a named statement on the hot-path pool, no query
 * compiler). The Shop row may be missing (app installed before this table existed): created on the fly.
 */
async function ensureShop(domain: string): Promise<ShopRef> {
  const { rows } = await hotPool().query<ShopRef>({
    name: "delivery-shop",
    text: `SELECT id, domain, timezone FROM "Shop" WHERE domain = $1`,
    values: [domain],
  });
  return rows[0] ?? (await recordInstall(domain)).shop;
}

function handle<S extends z.ZodType>(schema: S, fn: (shop: ShopRef, data: z.output<S>, d: DeliveryContext) => Promise<HandlerOutcome>) {
  return async (d: DeliveryContext): Promise<HandlerOutcome> => {
    const parsed = parsePayload(schema, d.payload);
    if (!parsed.ok) return { status: "quarantined", reason: parsed.reason };
    return fn(await ensureShop(d.shopDomain), parsed.data, d);
  };
}

const outcome = (status: "processed" | "stale", detail?: string): HandlerOutcome => ({ status, detail });

// Compliance topics must not create a Shop row for a shop we no longer know.
function compliance<S extends z.ZodType>(
  schema: S,
  fn: (shop: Shop | null, data: z.output<S>, d: DeliveryContext) => Promise<HandlerOutcome>,
) {
  return async (d: DeliveryContext): Promise<HandlerOutcome> => {
    const parsed = parsePayload(schema, d.payload);
    if (!parsed.ok) return { status: "quarantined", reason: parsed.reason };
    return fn(await db().shop.findUnique({ where: { domain: d.shopDomain } }), parsed.data, d);
  };
}

/** The same handler for several topics, given the topic. */
const each = (topics: string[], handler: (topic: string) => TopicHandler) =>
  Object.fromEntries(topics.map((topic) => [topic, handler(topic)]));

/**
 * Every Shopify topic this app processes → its handler (app/uninstalled is added by the processor,
 * app/services/shopify-webhook-processing.server.ts). Read top to bottom; a topic not listed is
 * quarantined ("no handler").
 */
export const TOPIC_HANDLERS: Readonly<Record<string, TopicHandler>> = {
  ...each(["orders/create", "orders/updated", "orders/cancelled", "orders/fulfilled", "orders/paid"], (topic) =>
    handle(OrderPayload, async (shop, o) => outcome(await ingestOrder(shop, o, topic))),
  ),

  ...each(["fulfillments/create", "fulfillments/update"], (topic) =>
    handle(FulfillmentPayload, async (shop, f) => outcome(await ingestFulfillment(shop, f, topic))),
  ),

  ...each(["checkouts/create", "checkouts/update"], (topic) =>
    handle(CheckoutPayload, async (shop, c) => outcome(await ingestCheckout(shop, c, topic))),
  ),

  ...each(["customers/create", "customers/update"], (topic) =>
    handle(CustomerPayload, async (shop, c) => outcome(await ingestCustomer(shop, c, topic))),
  ),

  // Since API 2025-01 customer payloads carry no tags; these topics say a customer's tags changed.
  // The payload lists only the changed tags, so the current list is re-read (order-independent).
  ...each(["customer.tags_added", "customer.tags_removed"], (topic) =>
    handle(CustomerTagsPayload, async (shop, p) => {
      const tags = await fetchCustomerTags(shop.domain, p.customerId);
      if (tags === null) return outcome("processed", "customer no longer in Shopify");
      return outcome(await ingestCustomerTags(shop, p.customerId, tags, topic));
    }),
  ),

  "customers/delete": handle(CustomerDeletePayload, async (shop, c) => {
    await eraseCustomer(shop, c.id, { cause: "customers/delete", eraseOrders: false });
    return outcome("processed");
  }),

  "customers/redact": compliance(CustomersRedactPayload, async (shop, p, d) => {
    if (!shop) return outcome("processed", "unknown shop: nothing stored");
    await redactCustomer(shop, p.customer.id, p.orders_to_redact ?? [], d.id, { email: p.customer.email, phone: p.customer.phone });
    return outcome("processed", "redacted");
  }),

  "customers/data_request": compliance(CustomersDataRequestPayload, async (shop, p, d) => {
    if (!shop) return outcome("processed", "unknown shop: nothing stored");
    const row = await recordDataRequest(shop, d.id, p.customer.id, p.orders_requested ?? [], p.data_request?.id ?? null);
    return outcome("processed", `export ${row.id}`);
  }),

  "shop/redact": compliance(ShopRedactPayload, async (_shop, _p, d) => outcome("processed", (await redactShop(d.shopDomain, d.id)).status)),

  // The shop's time zone, currency, country and locale as the merchant changes them; a delivery
  // older than the stored settings (updated_at) is stale.
  "shop/update": compliance(ShopUpdatePayload, async (shop, p, d) => {
    if (!shop) return outcome("processed", "unknown shop");
    const r = await applyShopSettings(d.shopDomain, p);
    return outcome(r === "stale" ? "stale" : "processed", r);
  }),

  // As Shopify's template: keep the stored session's scope in step with the granted scopes.
  "app/scopes_update": compliance(ScopesUpdatePayload, async (_shop, p, d) => {
    const r = await db().session.updateMany({ where: { shop: d.shopDomain }, data: { scope: p.current.join(",") } });
    return outcome("processed", `${r.count} sessions`);
  }),

  "bulk_operations/finish": compliance(BulkOperationFinishPayload, async (shop, p) => {
    if (!shop) return outcome("processed", "unknown shop");
    return outcome("processed", await bulkOperationFinished(shop.id, p.admin_graphql_api_id));
  }),
};
