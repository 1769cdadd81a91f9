// Genuinely signed Shopify requests, built with Shopify's own test helpers.
import {
  getHmac,
  setUpValidRequest,
  RequestType,
  API_SECRET_KEY,
  TEST_SHOP_NAME,
  TEST_SHOP,
  APP_URL,
} from "@shopify/shopify-api/test-helpers";
import crypto from "node:crypto";

export { TEST_SHOP, APP_URL, API_SECRET_KEY };

export async function signedWebhook(opts: {
  topic: string;
  body?: unknown;
  shop?: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  secret?: string;
  /** Send this exact text as the body (e.g. 64-bit ids a JS object cannot hold); `body` is ignored. */
  rawBody?: string;
}): Promise<Request> {
  const shopName = (opts.shop ?? TEST_SHOP).replace(/\.myshopify\.com$/, "");
  if (opts.rawBody !== undefined) return signedRawWebhook({ ...opts, rawBody: opts.rawBody, shop: `${shopName}.myshopify.com` });
  return setUpValidRequest(
    {
      type: RequestType.Extension,
      store: shopName ?? TEST_SHOP_NAME,
      apiSecretKey: opts.secret ?? API_SECRET_KEY,
      body: opts.body as Record<string, unknown>,
      headers: {
        "X-Shopify-Topic": opts.topic,
        "X-Shopify-API-Version": "2025-10",
        "X-Shopify-Webhook-Id": opts.webhookId ?? crypto.randomUUID(),
        "X-Shopify-Event-Id": opts.eventId ?? crypto.randomUUID(),
        "X-Shopify-Triggered-At": opts.triggeredAt ?? new Date().toISOString(),
      },
    },
    new Request(`${APP_URL}/webhooks/${opts.topic}`),
  );
}

/** A webhook whose body is the given text, signed with Shopify's own HMAC helper (getHmac). */
async function signedRawWebhook(opts: {
  topic: string;
  rawBody: string;
  shop: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  secret?: string;
}): Promise<Request> {
  return new Request(`${APP_URL}/webhooks/${opts.topic}`, {
    method: "POST",
    body: opts.rawBody,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": await getHmac(opts.rawBody, opts.secret ?? API_SECRET_KEY),
      "X-Shopify-Shop-Domain": opts.shop,
      "X-Shopify-Topic": opts.topic,
      "X-Shopify-API-Version": "2025-10",
      "X-Shopify-Webhook-Id": opts.webhookId ?? crypto.randomUUID(),
      "X-Shopify-Event-Id": opts.eventId ?? crypto.randomUUID(),
      "X-Shopify-Triggered-At": opts.triggeredAt ?? new Date().toISOString(),
    },
  });
}

export function uniqueShop(prefix = "shop"): string {
  return `${prefix}-${crypto.randomBytes(4).toString("hex")}.myshopify.com`;
}
