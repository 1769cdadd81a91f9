// Processes one recorded Shopify delivery: dispatch by topic to a handler, then mark the row.
// Handlers are idempotent; a handler that cannot parse its payload reports "quarantined" with a reason
// (shown on the Sync health page) instead of throwing, so a bad payload never blocks the queue.
// A handler that throws leaves the row "received": Bull retries the job and the sweeper re-enqueues it
// later; after MAX_ATTEMPTS the row is marked "failed" (shown on Sync health with a Retry button).
// Rows that are processed, stale, quarantined or failed are never run again unless retried by hand.
import { db } from "~/db.server";
import { markUninstalled } from "~/services/shops.server";
import { childLogger } from "~/adapters/logger.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { claimDelivery, finishDelivery } from "~/services/webhook-deliveries.server";
import { TOPIC_HANDLERS } from "~/services/ingestion/topic-handlers.server";
import type { HandlerOutcome, TopicHandler } from "~/services/ingestion/topic-registry.server";

export type { HandlerOutcome, DeliveryContext, TopicHandler } from "~/services/ingestion/topic-registry.server";

const MAX_ATTEMPTS = 20;

/** Every processed topic → its handler: the ingestion topics, and app/uninstalled here. */
const HANDLERS: ReadonlyMap<string, TopicHandler> = new Map<string, TopicHandler>([
  ...Object.entries(TOPIC_HANDLERS),
  // Ordered by when Shopify triggered it, not by arrival (see markUninstalled).
  [
    "app/uninstalled",
    async (d) => {
      const result = await markUninstalled(d.shopDomain, d.triggeredAt ?? d.receivedAt);
      return { status: result.status === "stale" ? "stale" : "processed", detail: result.status };
    },
  ],
]);

/** `handlers` is the declared map; a test passes its own to make a handler fail. */
export async function processDelivery(
  deliveryId: number,
  handlers: ReadonlyMap<string, TopicHandler> = HANDLERS,
): Promise<HandlerOutcome | { status: "already-done" }> {
  const row = await claimDelivery(deliveryId);
  if (!row) {
    if (!(await db().webhookDelivery.findUnique({ where: { id: deliveryId }, select: { id: true } })))
      throw new Error(`delivery ${deliveryId} not found`);
    return { status: "already-done" };
  }
  const { attempts } = row;
  const log = childLogger({ shop: row.shopDomain, webhookId: row.webhookId, topic: row.topic });
  const handler = handlers.get(row.topic);
  let outcome: HandlerOutcome;
  try {
    outcome = handler ? await handler(row) : { status: "quarantined", reason: `no handler for topic ${row.topic}` };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await db().webhookDelivery.update({
      where: { id: row.id },
      data:
        attempts >= MAX_ATTEMPTS
          ? { status: "failed", error: message.slice(0, 1000), processedAt: new Date() }
          : { error: message.slice(0, 1000) },
    });
    log.warn({ attempts, err: message }, "webhook processing failed");
    throw err;
  }
  await finishDelivery(row.id, outcome.status, outcome.status === "quarantined" ? outcome.reason : null);
  log.info({ outcome: outcome.status }, "webhook processed");
  return outcome;
}

/** Sync health "Retry": puts a quarantined or failed delivery back in the queue (after a fix). */
export async function retryDelivery(shopDomain: string, deliveryId: number) {
  const r = await db().webhookDelivery.updateMany({
    where: { id: deliveryId, shopDomain, status: { in: ["quarantined", "failed"] } },
    data: { status: "received", error: null, attempts: 0, processedAt: null },
  });
  if (!r.count) return { status: "not-retryable" as const };
  await enqueue("webhooks.process-delivery", { deliveryId }, { jobId: `wh-${deliveryId}-retry-${Date.now()}` });
  return { status: "requeued" as const };
}
