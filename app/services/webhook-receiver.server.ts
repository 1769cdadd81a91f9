// What every Shopify webhook route does (one route per topic, shopify.app.toml), in this order:
//   1. read the body with a byte cap (413 past it — before anything is verified or parsed);
//   2. Shopify's HMAC check and required headers (adapters/shopify/webhook-request.server.ts: 405/400/401);
//   3. bind the delivery to the route: the unsigned X-Shopify-Topic must be the route's topic and a body
//      that names its shop must name the X-Shopify-Shop-Domain shop (domain/webhooks/binding.ts);
//      otherwise 403 and one RefusedWebhook row (metadata only) plus a warning;
//   4. record the delivery in one statement → 200 (the statement notifies the worker's dispatcher,
//      which enqueues the processing: services/webhook-deliveries.server.ts).
// Shopify waits at most 5 s. Any failure to record → 503 so Shopify retries the delivery.
// No session lookup here: the worker loads the shop's session when it needs the Admin API.
import { env } from "~/config/env.server";
import { hotPool } from "~/db.server";
import { childLogger } from "~/adapters/logger.server";
import { PayloadTooLargeError, payloadTooLargeResponse, readRequestBody } from "~/adapters/http/body.server";
import { checkShopifyWebhook, type ShopifyWebhookHeaders } from "~/adapters/shopify/webhook-request.server";
import { BODY_LIMITS } from "~/domain/http/body-limits";
import { checkWebhookBinding, type BindingRefusal } from "~/domain/webhooks/binding";
import { recordDelivery } from "~/services/webhook-deliveries.server";
import { nodeHeader, type HotAnswer } from "~/adapters/http/ingress.server";
import type { IncomingHttpHeaders } from "node:http";

/** An answer both entry points can send: the Remix action as a Response, the hot path as is. */
const plain = (status: number, body?: string): HotAnswer => ({ status, headers: body ? { "content-type": "text/plain" } : {}, body });
const toResponse = (a: HotAnswer) => new Response(a.body ?? null, { status: a.status, headers: a.headers });

/**
 * The Remix action of a Shopify webhook route. `topic` is the route's topic ("orders/create" form);
 * the answer is 200 (recorded), 400/401/405 (not a valid Shopify request), 403 (headers do not match
 * the route or the signed body), 413 (body over BODY_LIMITS.shopifyWebhook) or 503 (retry later).
 */
export async function receiveShopifyWebhook(request: Request, topic: string): Promise<Response> {
  let raw: Buffer;
  try {
    raw = request.method === "POST" ? await readRequestBody(request, BODY_LIMITS.shopifyWebhook) : Buffer.alloc(0);
  } catch (err) {
    if (err instanceof PayloadTooLargeError) return payloadTooLargeResponse(err.limit);
    throw err;
  }
  const checked = checkShopifyWebhook(request.method, (name) => request.headers.get(name), raw, env().SHOPIFY_API_SECRET);
  if (!checked.ok) return toResponse(plain(checked.status));
  return toResponse(await acceptShopifyWebhook(topic, checked.headers, raw));
}

/**
 * The same for the web process's hot path (ingress.server.ts `hotPost`): the POST's headers and its
 * body, already read under the path's cap by the ingress; the same checks, answers and recording.
 */
export async function receiveShopifyWebhookHot(req: { headers: IncomingHttpHeaders; body: Buffer }, topic: string): Promise<HotAnswer> {
  const checked = checkShopifyWebhook("POST", (name) => nodeHeader(req.headers, name), req.body, env().SHOPIFY_API_SECRET);
  if (!checked.ok) return plain(checked.status);
  return acceptShopifyWebhook(topic, checked.headers, req.body);
}

async function acceptShopifyWebhook(routeTopic: string, h: ShopifyWebhookHeaders, raw: Buffer): Promise<HotAnswer> {
  const text = raw.toString("utf8");
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return plain(400, "invalid JSON");
  }
  const binding = checkWebhookBinding({ routeTopic, headerTopic: h.topic, headerShop: h.shopDomain, payload });
  if (!binding.ok) {
    await recordRefusal(routeTopic, h, binding.reason, binding.payloadShop);
    return plain(403, "webhook does not match this route");
  }
  try {
    // The raw text goes to jsonb as is: PostgreSQL keeps 64-bit ids exact (no JSON.stringify round trip).
    await recordDelivery({
      shopDomain: h.shopDomain,
      webhookId: h.webhookId,
      topic: routeTopic,
      eventId: h.eventId,
      triggeredAt: parseDate(h.triggeredAt),
      apiVersion: h.apiVersion,
      payloadJson: text,
    });
    return plain(200);
  } catch (err) {
    childLogger({ shop: h.shopDomain, webhookId: h.webhookId, topic: routeTopic }).error(
      { err },
      "could not record webhook delivery; asking Shopify to retry",
    );
    return plain(503, "temporarily unavailable");
  }
}

function parseDate(value: string | undefined): Date | undefined {
  const d = value ? new Date(value) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

const REFUSAL_SQL = `
  INSERT INTO "RefusedWebhook" (reason, "routeTopic", "headerTopic", "headerShop", "payloadShop", "webhookId", hmac)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (hmac, "routeTopic", "headerTopic", "headerShop")
  DO UPDATE SET count = "RefusedWebhook".count + 1, "lastAt" = now(), "webhookId" = EXCLUDED."webhookId"`;

/** One row per distinct refused (body, route, claimed topic, claimed shop); never the body itself. */
async function recordRefusal(routeTopic: string, h: ShopifyWebhookHeaders, reason: BindingRefusal, payloadShop?: string) {
  const log = childLogger({ webhookId: h.webhookId, topic: routeTopic });
  log.warn({ reason, headerTopic: h.topic, headerShop: h.shopDomain, payloadShop }, "signed Shopify webhook refused: headers do not match");
  try {
    await hotPool().query({
      name: "record-refused-webhook",
      text: REFUSAL_SQL,
      values: [
        reason,
        routeTopic,
        h.topic.slice(0, 100),
        h.shopDomain.slice(0, 255),
        payloadShop ?? null,
        h.webhookId.slice(0, 255),
        h.hmac.slice(0, 100),
      ],
    });
  } catch (err) {
    log.error({ err }, "could not record a refused webhook");
  }
}
