// Shopify webhook deliveries: recorded durably (unique on shop + X-Shopify-Webhook-Id) before the
// route answers 200, then processed by the worker. If recording or enqueueing fails the route answers
// 5xx so Shopify retries (8 times over 4 hours); the sweeper re-enqueues recorded deliveries that
// were never processed (e.g. Redis was down after the row was written).
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { childLogger } from "~/adapters/logger.server";

export interface IncomingDelivery {
  shopDomain: string;
  webhookId: string;
  topic: string; // "orders/create" form
  eventId?: string;
  triggeredAt?: Date;
  apiVersion?: string;
  payload: unknown;
}

export async function recordDelivery(d: IncomingDelivery): Promise<{ id: number; duplicate: boolean; pending: boolean }> {
  const existing = await db().webhookDelivery.findUnique({
    where: { shopDomain_webhookId: { shopDomain: d.shopDomain, webhookId: d.webhookId } },
    select: { id: true, status: true },
  });
  if (existing) return { id: existing.id, duplicate: true, pending: existing.status === "received" };
  try {
    const row = await db().webhookDelivery.create({
      data: {
        shopDomain: d.shopDomain,
        webhookId: d.webhookId,
        topic: d.topic,
        eventId: d.eventId,
        triggeredAt: d.triggeredAt,
        apiVersion: d.apiVersion,
        payload: (d.payload ?? null) as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
    return { id: row.id, duplicate: false, pending: true };
  } catch (err) {
    // Two concurrent deliveries of the same webhook: the unique key decides, the loser is a duplicate.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const row = await db().webhookDelivery.findUniqueOrThrow({
        where: { shopDomain_webhookId: { shopDomain: d.shopDomain, webhookId: d.webhookId } },
        select: { id: true, status: true },
      });
      return { id: row.id, duplicate: true, pending: row.status === "received" };
    }
    throw err;
  }
}

export function enqueueDelivery(deliveryId: number) {
  // jobId spares duplicate work while a job for this delivery is pending; the row decides correctness.
  return enqueue("shopify.webhook", { deliveryId }, { jobId: `wh-${deliveryId}` });
}

/** Re-enqueues deliveries recorded more than `olderThanMs` ago and still not processed. */
export async function sweepUnprocessedDeliveries(now: Date, olderThanMs = 60_000, limit = 1000) {
  const stale = await db().webhookDelivery.findMany({
    where: { status: "received", receivedAt: { lt: new Date(now.getTime() - olderThanMs) } },
    select: { id: true },
    orderBy: { id: "asc" },
    take: limit,
  });
  for (const { id } of stale) {
    // A fresh job id: the old job may have completed/failed and still hold `wh-<id>`.
    await enqueue("shopify.webhook", { deliveryId: id }, { jobId: `wh-${id}-sweep-${now.getTime()}` });
  }
  if (stale.length) childLogger({ job: "webhooks.sweep" }).info({ count: stale.length }, "re-enqueued unprocessed deliveries");
  return { requeued: stale.length };
}
