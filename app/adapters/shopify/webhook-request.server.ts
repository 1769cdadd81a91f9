// A Shopify webhook request checked the way Shopify's own library checks it
// (`shopify.webhooks.validate`, shared/reference/shopify-platform-facts.md §3.5), without the library's
// session lookup so the web process's hot path stays one HMAC + one INSERT:
//   not POST → 405; empty body → 400; no X-Shopify-Hmac-Sha256 → 400;
//   HMAC-SHA256 of the raw body with the app's client secret, base64, compared in constant time → 401;
//   X-Shopify-Topic / -Shop-Domain / -API-Version / -Webhook-Id missing → 400.
// https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook
import crypto from "node:crypto";

export type ShopifyWebhookHeaders = {
  topic: string;
  shopDomain: string;
  apiVersion: string;
  webhookId: string;
  hmac: string;
  eventId?: string;
  triggeredAt?: string;
};

export type ShopifyWebhookCheck =
  | { ok: true; headers: ShopifyWebhookHeaders }
  | { ok: false; status: 400 | 401 | 405; reason: "method" | "missing-body" | "missing-hmac" | "invalid-hmac" | "missing-headers" };

/** Shopify's signature: base64(HMAC-SHA256(client secret, raw body)), compared in constant time. */
function validShopifyHmac(rawBody: Buffer, secret: string, header: string): boolean {
  const expected = crypto.createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** `get` reads a header case-insensitively (Shopify: "treat header names as case-insensitive"). */
export function checkShopifyWebhook(
  method: string,
  get: (name: string) => string | null | undefined,
  rawBody: Buffer,
  secret: string,
): ShopifyWebhookCheck {
  if (method !== "POST") return { ok: false, status: 405, reason: "method" };
  if (rawBody.length === 0) return { ok: false, status: 400, reason: "missing-body" };
  const hmac = get("x-shopify-hmac-sha256");
  if (!hmac) return { ok: false, status: 400, reason: "missing-hmac" };
  if (!validShopifyHmac(rawBody, secret, hmac)) return { ok: false, status: 401, reason: "invalid-hmac" };
  const topic = get("x-shopify-topic");
  const shopDomain = get("x-shopify-shop-domain");
  const apiVersion = get("x-shopify-api-version");
  const webhookId = get("x-shopify-webhook-id");
  if (!topic || !shopDomain || !apiVersion || !webhookId) return { ok: false, status: 400, reason: "missing-headers" };
  return {
    ok: true,
    headers: {
      topic,
      shopDomain,
      apiVersion,
      webhookId,
      hmac,
      eventId: get("x-shopify-event-id") ?? undefined,
      triggeredAt: get("x-shopify-triggered-at") ?? undefined,
    },
  };
}
