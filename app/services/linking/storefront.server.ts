// Storefront linking through the app proxy. Shopify signs the proxied query (shop,
// logged_in_customer_id, timestamp, signature); the route has checked the signature before calling
// these, so logged_in_customer_id is trustworthy — an empty value means "not logged in".
import { db } from "~/db.server";
import { parseShopifyId } from "~/domain/linking/linking";
import { issueLinkIntent, loginStartUrl } from "./intents.server";
import { prepareAccountLink } from "./account-link.server";

export type StorefrontResult =
  { kind: "redirect"; url: string } | { kind: "login"; returnTo: string } | { kind: "unavailable"; message: string };

async function context(query: URLSearchParams) {
  const shop = await db().shop.findUnique({ where: { domain: query.get("shop") ?? "" } });
  const customerId = parseShopifyId(query.get("logged_in_customer_id") ?? "", "Customer");
  return { shop: shop && !shop.uninstalledAt ? shop : null, customerId };
}

export async function startStorefrontLink(query: URLSearchParams, now = new Date()): Promise<StorefrontResult> {
  const { shop, customerId } = await context(query);
  if (!shop) return { kind: "unavailable", message: "This store has not set up LINE yet." };
  if (!customerId) return { kind: "login", returnTo: "/apps/line" };
  if (!shop.lineLoginChannelId) return { kind: "unavailable", message: "This store has not set up LINE Login yet." };
  const { code } = await issueLinkIntent({ shopId: shop.id, shopifyCustomerId: customerId, source: "storefront", now });
  return { kind: "redirect", url: loginStartUrl(code) };
}

export async function startStorefrontAccountLink(query: URLSearchParams, now = new Date()): Promise<StorefrontResult> {
  const linkToken = query.get("linkToken") ?? "";
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(linkToken))
    return { kind: "unavailable", message: "This link is not valid. Ask for a new one in LINE." };
  const { shop, customerId } = await context(query);
  if (!shop) return { kind: "unavailable", message: "This store has not set up LINE yet." };
  if (!customerId) return { kind: "login", returnTo: `/apps/line/account-link?linkToken=${encodeURIComponent(linkToken)}` };
  return { kind: "redirect", url: await prepareAccountLink({ shopId: shop.id, shopifyCustomerId: customerId, linkToken, now }) };
}
