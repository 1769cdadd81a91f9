// What binds a Shopify webhook delivery to a shop and a topic. Shopify's HMAC covers the body only,
// so X-Shopify-Topic and X-Shopify-Shop-Domain are NOT signed: a genuine body replayed with another
// shop's domain and `shop/redact` would erase that shop. So:
//   - the topic is the route's (one route per topic, shopify.app.toml); a different header topic is refused;
//   - when the signed body names the shop, it must be the header's shop.
// Which fields name the shop (Shopify webhook payloads, shopify.dev/docs/api/webhooks):
//   `shop_domain` — compliance topics (customers/data_request, customers/redact, shop/redact);
//   `myshopify_domain` — the Shop resource (app/uninstalled, shop/update);
//   `domain` — also on the Shop resource, but that is the shop's PRIMARY domain, which can be a custom
//   domain; it names the shop only when it is a *.myshopify.com domain.

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** A shop's permanent domain as Shopify sends it: `<name>.myshopify.com`, lower case. */
function isShopDomain(domain: string): boolean {
  return SHOP_DOMAIN.test(domain);
}

/** The shop a webhook body names, if it names one (see the field list above). */
export function payloadShopDomain(payload: unknown): string | undefined {
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return undefined;
  const p = payload as Record<string, unknown>;
  for (const key of ["shop_domain", "myshopify_domain"] as const) {
    if (typeof p[key] === "string" && p[key]) return (p[key] as string).toLowerCase();
  }
  if (typeof p.domain === "string" && isShopDomain(p.domain.toLowerCase())) return p.domain.toLowerCase();
  return undefined;
}

export type BindingRefusal = "shop-domain" | "topic-mismatch" | "shop-mismatch";

/**
 * Whether a validly signed delivery may be recorded for the header's shop on this route.
 * `headerTopic`/`headerShop` as sent; `payload` the parsed body.
 */
export function checkWebhookBinding(input: {
  routeTopic: string;
  headerTopic: string;
  headerShop: string;
  payload: unknown;
}): { ok: true } | { ok: false; reason: BindingRefusal; payloadShop?: string } {
  if (!isShopDomain(input.headerShop)) return { ok: false, reason: "shop-domain" };
  if (input.headerTopic.toLowerCase() !== input.routeTopic) return { ok: false, reason: "topic-mismatch" };
  const named = payloadShopDomain(input.payload);
  if (named !== undefined && named !== input.headerShop) return { ok: false, reason: "shop-mismatch", payloadShop: named };
  return { ok: true };
}
