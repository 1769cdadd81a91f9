// Delivers synthetic events the way the platforms would: Shopify webhooks correctly HMAC-signed to
// the app's real webhook routes over HTTP, LINE friends through the emulator (which signs its own
// webhooks to the app).
import crypto from "node:crypto";
import type { StoreEvent, WebhookEvent, FriendEvent } from "./generator";

export interface ShopifyWebhookTarget {
  appUrl: string;
  shopDomain: string;
  apiSecret: string;
  apiVersion?: string;
}

export function signShopifyWebhook(body: string, secret: string): string {
  return crypto.createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export async function postShopifyWebhook(target: ShopifyWebhookTarget, e: WebhookEvent, webhookId = crypto.randomUUID()): Promise<number> {
  const body = JSON.stringify(e.payload);
  const res = await fetch(new URL(`/webhooks/${e.topic}`, target.appUrl), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": e.topic,
      "x-shopify-hmac-sha256": signShopifyWebhook(body, target.apiSecret),
      "x-shopify-shop-domain": target.shopDomain,
      "x-shopify-api-version": target.apiVersion ?? "2025-10",
      "x-shopify-webhook-id": webhookId,
      "x-shopify-event-id": crypto.randomUUID(),
      "x-shopify-triggered-at": e.at.toISOString(),
    },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** Runs `fn` over items with at most `concurrency` in flight. */
export async function pool<T>(items: AsyncIterable<T> | Iterable<T>, concurrency: number, fn: (item: T) => Promise<void>) {
  const inFlight = new Set<Promise<void>>();
  for await (const item of items as AsyncIterable<T>) {
    const p = fn(item).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

export interface DeliveryStats {
  webhooks: number;
  webhookErrors: Record<string, number>;
  friends: FriendEvent[];
}

/** Sends every webhook event (in generation order, `concurrency` at a time) and collects friends. */
export async function deliverWebhooks(events: Iterable<StoreEvent>, target: ShopifyWebhookTarget, concurrency = 8): Promise<DeliveryStats> {
  const stats: DeliveryStats = { webhooks: 0, webhookErrors: {}, friends: [] };
  await pool(events, concurrency, async (e) => {
    if (e.kind === "friend") {
      stats.friends.push(e);
      return;
    }
    let status = 0;
    for (let attempt = 0; attempt < 5; attempt++) {
      status = await postShopifyWebhook(target, e).catch(() => 0);
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt)); // like Shopify: retry on non-2xx
    }
    stats.webhooks++;
    if (status !== 200) stats.webhookErrors[String(status)] = (stats.webhookErrors[String(status)] ?? 0) + 1;
  });
  return stats;
}
