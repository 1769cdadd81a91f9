// Genuinely signed Shopify requests, built with Shopify's own test helpers.
import { setUpValidRequest, RequestType, API_SECRET_KEY, TEST_SHOP_NAME, TEST_SHOP, APP_URL } from "@shopify/shopify-api/test-helpers";
import crypto from "node:crypto";

export { TEST_SHOP, APP_URL, API_SECRET_KEY };

export async function signedWebhook(opts: {
  topic: string;
  body: unknown;
  shop?: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  secret?: string;
}): Promise<Request> {
  const shopName = (opts.shop ?? TEST_SHOP).replace(/\.myshopify\.com$/, "");
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

export function uniqueShop(prefix = "shop"): string {
  return `${prefix}-${crypto.randomBytes(4).toString("hex")}.myshopify.com`;
}
