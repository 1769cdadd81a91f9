// Backend of the checkout UI extension ("Get order updates on LINE"). The body names the order (and,
// on the Thank-you page, the checkout token); who the customer is comes from Shopify: the order is
// read through the Admin API and, when the session token carries a customer (`sub`), it must be that
// order's customer. A guest may claim only a recent order of the checkout they hold whose customer
// is not linked yet (app/domain/linking/checkout-claim.ts). Every refusal about the order gets the
// same answer after the same work, so the endpoint cannot be used to enumerate orders.
import { z } from "zod";
import { ApiVersion } from "@shopify/shopify-app-remix/server";
import { db } from "~/db.server";
import { unauthenticated } from "~/shopify.server";
import { parseShopifyId } from "~/domain/linking/linking";
import { decideCheckoutClaim, type CheckoutOrderFacts } from "~/domain/linking/checkout-claim";
import { childLogger } from "~/adapters/logger.server";
import { issueLinkIntent, loginStartUrl } from "./intents.server";

const LinkIntentBody = z.object({
  orderId: z.string().min(1),
  target: z.enum(["thank_you", "order_status"]),
  /** `shopify.checkoutToken` on the Thank-you page; required for guests. */
  checkoutToken: z.string().max(256).optional(),
});

const FunnelBody = z.object({
  kind: z.enum(["view", "click"]),
  target: z.enum(["thank_you", "order_status", "storefront"]),
  orderId: z.string().optional(),
});

export type CheckoutIntentResult = { ok: true; url: string } | { ok: false; status: number; error: string };

/** The one answer for every order-dependent refusal (no such order, not yours, too old, linked…). */
const ORDER_NOT_LINKABLE: CheckoutIntentResult = {
  ok: false,
  status: 404,
  error: "This order cannot be connected to LINE here. Log in to your store account to connect LINE.",
};

// Order.checkoutToken exists in Admin GraphQL from 2026-07 ("New checkoutToken field added to the
// Order object", shopify.dev changelog, 2026-05-15); the rest of the app stays on its own version.
const ORDER_QUERY_VERSION = ApiVersion.July26;
const ORDER_QUERY = `#graphql
  query LinkIntentOrder($id: ID!) {
    order(id: $id) { id createdAt processedAt checkoutToken customer { id } }
  }`;

interface OrderAnswer {
  data?: {
    order: { id: string; createdAt: string; processedAt: string; checkoutToken: string | null; customer: { id: string } | null } | null;
  };
}

/**
 * POST /api/link-intent. `sessionCustomerGid` = the verified session token's `sub` (absent for
 * guests). Returns the /line/login URL of a one-time intent, or 400 (bad body), 404 (shop not
 * installed, or — the same answer for all — an order that is not this buyer's to link), 409 (LINE
 * Login not configured), 502 (Shopify did not answer).
 */
export async function createCheckoutLinkIntent(input: {
  shopDomain: string;
  sessionCustomerGid?: string;
  body: unknown;
  now?: Date;
}): Promise<CheckoutIntentResult> {
  const now = input.now ?? new Date();
  const parsed = LinkIntentBody.safeParse(input.body);
  if (!parsed.success) return { ok: false, status: 400, error: "orderId and target (thank_you | order_status) are required" };
  const orderId = parseShopifyId(parsed.data.orderId, "Order") ?? parseShopifyId(parsed.data.orderId, "OrderIdentity");
  if (!orderId) return { ok: false, status: 400, error: "orderId is not a Shopify order id" };
  const shop = await db().shop.findUnique({ where: { domain: input.shopDomain } });
  if (!shop || shop.uninstalledAt) return { ok: false, status: 404, error: "shop not installed" };
  if (!shop.lineLoginChannelId) return { ok: false, status: 409, error: "LINE Login is not configured for this shop" };
  const log = childLogger({ shop: shop.domain });

  let order: CheckoutOrderFacts | null;
  try {
    order = await readOrder(shop.domain, orderId);
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, "order lookup for link intent failed");
    return { ok: false, status: 502, error: "could not verify the order" };
  }
  // Always run both lookups (with an id no customer has when there is none) so a refusal takes as
  // long whatever its reason.
  const [customerLinked, claimedIntent] = await Promise.all([
    isCustomerLinked(shop.id, order?.customerId ?? -1n),
    db().linkIntent.findFirst({ where: { shopId: shop.id, shopifyOrderId: orderId, usedAt: { not: null } }, select: { id: true } }),
  ]);
  const claim = decideCheckoutClaim(
    {
      order,
      sessionCustomerId: input.sessionCustomerGid ? parseShopifyId(input.sessionCustomerGid, "Customer") : null,
      presentedCheckoutToken: parsed.data.checkoutToken ?? null,
      customerLinked,
      orderClaimed: claimedIntent !== null,
    },
    now,
  );
  if (!claim.ok) {
    log.info({ orderId: String(orderId), reason: claim.reason, guest: !input.sessionCustomerGid }, "link intent refused");
    return ORDER_NOT_LINKABLE;
  }
  const { code } = await issueLinkIntent({
    shopId: shop.id,
    shopifyCustomerId: claim.customerId,
    source: parsed.data.target,
    orderId,
    guestCheckout: claim.guest,
    now,
  });
  return { ok: true, url: loginStartUrl(code) };
}

async function isCustomerLinked(shopId: number, shopifyCustomerId: bigint): Promise<boolean> {
  const customer = await db().customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } },
    select: { id: true },
  });
  const friend = await db().friend.findUnique({
    where: { shopId_customerId: { shopId, customerId: customer?.id ?? -1 } },
    select: { id: true },
  });
  return friend !== null;
}

async function readOrder(shopDomain: string, orderId: bigint): Promise<CheckoutOrderFacts | null> {
  const { admin } = await unauthenticated.admin(shopDomain);
  const res = await admin.graphql(ORDER_QUERY, { variables: { id: `gid://shopify/Order/${orderId}` }, apiVersion: ORDER_QUERY_VERSION });
  const order = ((await res.json()) as OrderAnswer).data?.order ?? null;
  if (!order) return null;
  return {
    customerId: order.customer ? parseShopifyId(order.customer.id, "Customer") : null,
    createdAt: new Date(order.createdAt),
    processedAt: new Date(order.processedAt ?? order.createdAt),
    checkoutToken: order.checkoutToken ?? null,
  };
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
