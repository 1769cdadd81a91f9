// Backend of the checkout UI extension ("Get order updates on LINE"). The body only names the order;
// who the customer is comes from Shopify: the order is read through the Admin API and, when the
// session token carries a customer (`sub`), it must be that order's customer. Guest checkouts link
// through the customer record Shopify attaches to the order.
import { z } from "zod";
import { db } from "~/db.server";
import { unauthenticated } from "~/shopify.server";
import { parseShopifyId } from "~/domain/linking/linking";
import { childLogger } from "~/adapters/logger.server";
import { issueLinkIntent, loginStartUrl } from "./intents.server";

export const LinkIntentBody = z.object({
  orderId: z.string().min(1),
  target: z.enum(["thank_you", "order_status"]),
});

export const FunnelBody = z.object({
  kind: z.enum(["view", "click"]),
  target: z.enum(["thank_you", "order_status", "storefront"]),
  orderId: z.string().optional(),
});

export type CheckoutIntentResult = { ok: true; url: string } | { ok: false; status: number; error: string };

const ORDER_QUERY = `#graphql
  query LinkIntentOrder($id: ID!) {
    order(id: $id) { id createdAt customer { id } }
  }`;

interface OrderAnswer {
  data?: { order: { id: string; createdAt: string; customer: { id: string } | null } | null };
}

export async function createCheckoutLinkIntent(input: {
  shopDomain: string;
  sessionCustomerGid?: string;
  body: unknown;
  now?: Date;
}): Promise<CheckoutIntentResult> {
  const parsed = LinkIntentBody.safeParse(input.body);
  if (!parsed.success) return { ok: false, status: 400, error: "orderId and target (thank_you | order_status) are required" };
  const orderId = parseShopifyId(parsed.data.orderId, "Order") ?? parseShopifyId(parsed.data.orderId, "OrderIdentity");
  if (!orderId) return { ok: false, status: 400, error: "orderId is not a Shopify order id" };
  const shop = await db().shop.findUnique({ where: { domain: input.shopDomain } });
  if (!shop || shop.uninstalledAt) return { ok: false, status: 404, error: "shop not installed" };
  if (!shop.lineLoginChannelId) return { ok: false, status: 409, error: "LINE Login is not configured for this shop" };

  let order: NonNullable<OrderAnswer["data"]>["order"] = null;
  try {
    const { admin } = await unauthenticated.admin(shop.domain);
    const res = await admin.graphql(ORDER_QUERY, { variables: { id: `gid://shopify/Order/${orderId}` } });
    order = ((await res.json()) as OrderAnswer).data?.order ?? null;
  } catch (err) {
    childLogger({ shop: shop.domain }).warn(
      { err: err instanceof Error ? err.message : String(err) },
      "order lookup for link intent failed",
    );
    return { ok: false, status: 502, error: "could not verify the order" };
  }
  if (!order) return { ok: false, status: 404, error: "order not found" };
  const orderCustomer = order.customer ? parseShopifyId(order.customer.id, "Customer") : null;
  if (!orderCustomer) return { ok: false, status: 422, error: "the order has no customer to link" };
  if (input.sessionCustomerGid) {
    const sessionCustomer = parseShopifyId(input.sessionCustomerGid, "Customer");
    if (sessionCustomer !== orderCustomer) return { ok: false, status: 403, error: "the order belongs to another customer" };
  }
  const { code } = await issueLinkIntent({
    shopId: shop.id,
    shopifyCustomerId: orderCustomer,
    source: parsed.data.target,
    orderId,
    now: input.now,
  });
  return { ok: true, url: loginStartUrl(code) };
}

export async function recordFunnelEvent(input: {
  shopDomain: string;
  body: unknown;
  now?: Date;
}): Promise<{ ok: boolean; status: number }> {
  const parsed = FunnelBody.safeParse(input.body);
  if (!parsed.success) return { ok: false, status: 400 };
  const shop = await db().shop.findUnique({ where: { domain: input.shopDomain }, select: { id: true } });
  if (!shop) return { ok: false, status: 404 };
  const orderId = parsed.data.orderId ? parseShopifyId(parsed.data.orderId, "Order") : null;
  await db().linkFunnelEvent.create({
    data: { shopId: shop.id, kind: parsed.data.kind, source: parsed.data.target, shopifyOrderId: orderId, at: input.now ?? new Date() },
  });
  return { ok: true, status: 204 };
}
