// The LINE webhook (one URL per shop: /webhooks/line/<shop domain>). LINE wants an answer fast
// ("request_timeout: didn't return a response within 2 seconds") and recommends asynchronous
// processing, so the request only verifies, records and enqueues:
//   body read with a cap (413 past BODY_LIMITS.lineWebhook; the ingress refuses a larger Content-Length
//   before the route runs)
//   → signature over the raw body with the shop's channel secret (bad/missing → 401, nothing stored)
//   → JSON + shape (400) → one LineEvent row per event, unique (shopId, webhookEventId): redeliveries
//   are skipped → `line-events.process-event` job per new row → 200. An empty `events` array is LINE's "verify".
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import { findShopByDomain, lineSecrets } from "~/db/shops.server";
import { LINE_SIGNATURE_HEADER, LineCallbackBody, verifyLineSignature } from "~/adapters/line/webhook.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { childLogger } from "~/adapters/logger.server";
import { PayloadTooLargeError, payloadTooLargeResponse, readRequestBody } from "~/adapters/http/body.server";
import { BODY_LIMITS } from "~/domain/http/body-limits";

const text = (status: number, body = "") => new Response(body, { status, headers: { "content-type": "text/plain" } });

export interface ReceiveSummary {
  stored: number;
  duplicates: number;
}

export async function receiveLineWebhook(request: Request, shopDomain: string): Promise<Response> {
  if (request.method !== "POST") return text(405);
  const shop = await findShopByDomain(shopDomain);
  const secrets = shop && !shop.uninstalledAt ? lineSecrets(shop) : undefined;
  if (!shop || !secrets) return text(404, "unknown shop");
  const log = childLogger({ shop: shop.domain, source: "line-webhook" });

  let raw: Buffer;
  try {
    raw = await readRequestBody(request, BODY_LIMITS.lineWebhook);
  } catch (err) {
    if (err instanceof PayloadTooLargeError) return payloadTooLargeResponse(err.limit);
    throw err;
  }
  if (!verifyLineSignature(raw, secrets.channelSecret, request.headers.get(LINE_SIGNATURE_HEADER))) {
    log.warn("LINE webhook with a bad or missing signature refused");
    return text(401, "bad signature");
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    return text(400, "invalid JSON");
  }
  const parsed = LineCallbackBody.safeParse(json);
  if (!parsed.success) return text(400, "unexpected body");
  const events = parsed.data.events;
  if (events.length === 0) return text(200, "ok");

  try {
    await db().lineEvent.createMany({
      data: events.map((e) => ({
        shopId: shop.id,
        webhookEventId: e.webhookEventId,
        type: e.type,
        lineUserId: e.source?.userId ?? null,
        isRedelivery: e.deliveryContext?.isRedelivery ?? false,
        payload: e as Prisma.InputJsonValue,
        receivedAt: new Date(),
      })),
      skipDuplicates: true,
    });
    // New rows and earlier ones whose enqueue failed (still "received") get a job; the job id spares
    // duplicate work, the row status guarantees "processed once".
    const pending = await db().lineEvent.findMany({
      where: { shopId: shop.id, webhookEventId: { in: events.map((e) => e.webhookEventId) }, status: "received" },
      select: { id: true },
    });
    for (const row of pending)
      await enqueue("line-events.process-event", { eventId: row.id }, { jobId: `line-events.process-event:${row.id}` });
    log.debug({ events: events.length, queued: pending.length }, "LINE webhook recorded");
  } catch (err) {
    // 5xx: LINE redelivers (when redelivery is on); recorded rows are picked up again then.
    log.error({ err: err instanceof Error ? err.message : String(err) }, "LINE webhook could not be recorded");
    return text(503, "try again");
  }
  return text(200, "ok");
}

/**
 * Re-enqueues LINE events recorded but never queued (Redis was down when the webhook answered 503 and
 * LINE did not redeliver). Meant for the periodic `webhooks.sweep-unprocessed`; the job id keeps it harmless.
 */
export async function sweepUnqueuedLineEvents(now: Date, olderThanMs = 60_000): Promise<number> {
  const rows = await db().lineEvent.findMany({
    where: { status: "received", receivedAt: { lt: new Date(now.getTime() - olderThanMs) } },
    select: { id: true },
    orderBy: { id: "asc" },
    take: 1000,
  });
  for (const row of rows) await enqueue("line-events.process-event", { eventId: row.id }, { jobId: `line-events.process-event:${row.id}` });
  return rows.length;
}
