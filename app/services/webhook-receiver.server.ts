// What every Shopify webhook route does: verify (authenticate.webhook: bad HMAC → 401), record the
// delivery, enqueue its processing, answer 200. Shopify waits at most 5 s; this does two small
// writes. Any failure to record or enqueue → 503 so Shopify retries the same delivery.
import { authenticate } from "~/shopify.server";
import { recordDelivery, enqueueDelivery } from "~/services/webhook-deliveries.server";
import { childLogger } from "~/adapters/logger.server";

export async function receiveShopifyWebhook(request: Request): Promise<Response> {
  const headerTopic = request.headers.get("x-shopify-topic") ?? "";
  // The raw text goes to jsonb as is: PostgreSQL keeps 64-bit ids exact (ctx.payload went through
  // JSON.parse, which rounds integers above 2^53).
  const payloadJson = await request.clone().text();
  // Throws a Response (401 bad HMAC, 400 missing headers, 405 not POST); Remix returns it as is.
  const ctx = await authenticate.webhook(request);
  const topic = headerTopic.toLowerCase() || ctx.topic.toLowerCase().replace("_", "/");
  const log = childLogger({ shop: ctx.shop, webhookId: ctx.webhookId, topic });
  try {
    const { id, pending } = await recordDelivery({
      shopDomain: ctx.shop,
      webhookId: ctx.webhookId,
      topic,
      eventId: ctx.eventId,
      triggeredAt: ctx.triggeredAt ? new Date(ctx.triggeredAt) : undefined,
      apiVersion: ctx.apiVersion,
      payloadJson,
    });
    // A duplicate that is still unprocessed is enqueued again (same job id: no double work).
    if (pending) await enqueueDelivery(id);
    return new Response(null, { status: 200 });
  } catch (err) {
    log.error({ err }, "could not record webhook delivery; asking Shopify to retry");
    return new Response("temporarily unavailable", { status: 503 });
  }
}
