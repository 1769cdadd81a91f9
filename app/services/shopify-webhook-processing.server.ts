// Processes one recorded Shopify delivery: dispatch by topic to a handler, then mark the row.
// Handlers are idempotent; a handler that cannot parse its payload reports "quarantined" with a reason
// (shown on the Sync health page) instead of throwing, so a bad payload never blocks the queue.
import { db } from "~/db.server";
import { markUninstalled } from "~/services/shops.server";
import { childLogger } from "~/adapters/logger.server";

export type HandlerOutcome =
  | { status: "processed"; detail?: string }
  | { status: "stale"; detail?: string }
  | { status: "quarantined"; reason: string };

export interface DeliveryContext {
  id: number;
  shopDomain: string;
  topic: string;
  webhookId: string;
  triggeredAt: Date | null;
  receivedAt: Date;
  payload: unknown;
}

export type TopicHandler = (d: DeliveryContext) => Promise<HandlerOutcome>;

const handlers = new Map<string, TopicHandler>();

export function registerTopicHandler(topic: string, handler: TopicHandler) {
  handlers.set(topic, handler);
}

registerTopicHandler("app/uninstalled", async (d) => {
  const result = await markUninstalled(d.shopDomain, d.triggeredAt ?? d.receivedAt);
  return { status: "processed", detail: result.status };
});

export async function processDelivery(deliveryId: number): Promise<HandlerOutcome | { status: "already-done" }> {
  const row = await db().webhookDelivery.findUnique({ where: { id: deliveryId } });
  if (!row) throw new Error(`delivery ${deliveryId} not found`);
  if (row.status !== "received") return { status: "already-done" };
  const log = childLogger({ shop: row.shopDomain, webhookId: row.webhookId, topic: row.topic });
  await db().webhookDelivery.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
  const handler = handlers.get(row.topic);
  const outcome: HandlerOutcome = handler
    ? await handler(row)
    : { status: "quarantined", reason: `no handler for topic ${row.topic}` };
  await db().webhookDelivery.update({
    where: { id: row.id },
    data: {
      status: outcome.status,
      error: outcome.status === "quarantined" ? outcome.reason : null,
      processedAt: new Date(),
    },
  });
  log.info({ outcome: outcome.status }, "webhook processed");
  return outcome;
}
