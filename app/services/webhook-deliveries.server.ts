// Shopify webhook deliveries: recorded durably (unique on shop + X-Shopify-Webhook-Id) before the
// route answers 200, then processed by the worker. Recording is the whole ack: the INSERT also sends
// a PostgreSQL NOTIFY on DELIVERY_CHANNEL, and the worker's dispatcher
// (services/webhook-dispatch.server.ts) turns each notification into a Bull job, so the web process
// makes no Redis round trip per webhook and keeps answering while Redis is down. If recording fails
// the route answers 5xx so Shopify retries (8 times over 4 hours). Deliveries recorded while no
// dispatcher listened are enqueued when one starts, and the sweeper re-enqueues any still
// unprocessed after a minute.
import { db, hotPool } from "~/db.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { childLogger } from "~/adapters/logger.server";
import { parseJsonLossless } from "~/domain/json/lossless";
import type { DeliveryContext } from "~/services/ingestion/topic-registry.server";

export interface IncomingDelivery {
  shopDomain: string;
  webhookId: string;
  topic: string; // "orders/create" form
  eventId?: string;
  triggeredAt?: Date;
  apiVersion?: string;
  /** The body as received (JSON text); stored as jsonb without a parse/serialise round trip. */
  payloadJson: string;
}

/** The PostgreSQL NOTIFY channel a recorded delivery's id is sent on (payload: the id as text). */
export const DELIVERY_CHANNEL = "shopify_webhook_delivery";

// One round trip on the hot-path pool: insert (and notify the dispatcher: NOTIFY is delivered when
// the statement commits), or find the row a previous delivery of the same webhook id wrote.
// `created` tells a first delivery from a redelivery.
const RECORD_SQL = `
  WITH ins AS (
    INSERT INTO "WebhookDelivery" ("shopDomain", "webhookId", topic, "eventId", "triggeredAt", "apiVersion", payload)
    VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
    ON CONFLICT ("shopDomain", "webhookId") DO NOTHING
    RETURNING id, status, true AS created, pg_notify('${DELIVERY_CHANNEL}', id::text))
  SELECT id, status, created FROM ins
  UNION ALL
  SELECT id, status, false FROM "WebhookDelivery" WHERE "shopDomain" = $1 AND "webhookId" = $2 AND NOT EXISTS (SELECT 1 FROM ins)`;

/**
 * Records one delivery and, for a first delivery, notifies the dispatcher. A redelivery of a
 * delivery still waiting to be processed notifies again (the job id keeps that from doing the work
 * twice). Throws when PostgreSQL cannot be reached (the route answers 503).
 */
export async function recordDelivery(d: IncomingDelivery): Promise<{ id: number; duplicate: boolean; pending: boolean }> {
  const values = [
    d.shopDomain,
    d.webhookId,
    d.topic,
    d.eventId ?? null,
    d.triggeredAt?.toISOString() ?? null,
    d.apiVersion ?? null,
    d.payloadJson,
  ];
  // A concurrent first delivery may be invisible to this statement's snapshot for an instant: retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const { rows } = await hotPool().query<{ id: number; status: string; created: boolean }>({
      name: "record-webhook-delivery",
      text: RECORD_SQL,
      values,
    });
    const row = rows[0];
    if (!row) continue;
    const pending = row.status === "received";
    if (!row.created && pending) {
      await hotPool().query({
        name: "notify-webhook-delivery",
        text: `SELECT pg_notify('${DELIVERY_CHANNEL}', $1)`,
        values: [String(row.id)],
      });
    }
    return { id: row.id, duplicate: !row.created, pending };
  }
  throw new Error(`could not record webhook ${d.webhookId}`);
}

/** A delivery claimed for processing (claimDelivery): what its handler is given, and the attempt counted. */
export interface ClaimedDelivery extends DeliveryContext {
  /** This attempt's number (1 for the first run). */
  attempts: number;
}

// Counts the attempt and reads the row in one round trip, only while it still waits to be processed.
// Timestamps leave as timestamptz (the columns hold UTC wall time), so the driver's Date is right
// whatever the process's zone.
const CLAIM_SQL = `
  UPDATE "WebhookDelivery" SET attempts = attempts + 1 WHERE id = $1 AND status = 'received'
  RETURNING id, "shopDomain", topic, "webhookId", "triggeredAt" AT TIME ZONE 'UTC' AS "triggeredAt",
    "receivedAt" AT TIME ZONE 'UTC' AS "receivedAt", attempts, payload::text AS payload`;

/**
 * Claims a recorded delivery for one processing attempt: counts the attempt and returns the row
 * with its payload, or null when the delivery is no longer "received" (processed, stale,
 * quarantined, failed) or gone. One named statement on the hot-path pool: the worker runs it for
 * every delivery.
 *
 * The payload keeps every 64-bit id exact: jsonb keeps numbers as exact decimals, but reading it
 * through Prisma's Json (JSON.parse) would round integers above 2^53, so the text is read and parsed
 * with parseJsonLossless (unsafe integers → digit strings).
 */
export async function claimDelivery(deliveryId: number): Promise<ClaimedDelivery | null> {
  const { rows } = await hotPool().query<Omit<ClaimedDelivery, "payload"> & { payload: string }>({
    name: "claim-webhook-delivery",
    text: CLAIM_SQL,
    values: [deliveryId],
  });
  const row = rows[0];
  return row ? { ...row, payload: parseJsonLossless(row.payload) } : null;
}

/**
 * Records a claimed delivery's outcome (processedAt = now), only while it is still "received", so a
 * concurrent duplicate run cannot overwrite a terminal state twice. `error`: the quarantine reason,
 * or null.
 */
export async function finishDelivery(deliveryId: number, status: "processed" | "stale" | "quarantined", error: string | null) {
  await hotPool().query({
    name: "finish-webhook-delivery",
    text: `UPDATE "WebhookDelivery" SET status = $2, error = $3, "processedAt" = now() WHERE id = $1 AND status = 'received'`,
    values: [deliveryId, status, error],
  });
}

/** Enqueues the processing of one recorded delivery; what the dispatcher does per notification. */
export function enqueueDelivery(deliveryId: number) {
  // jobId spares duplicate work while a job for this delivery is pending; the row decides correctness.
  return enqueue("webhooks.process-delivery", { deliveryId }, { jobId: `wh-${deliveryId}` });
}

/**
 * Enqueues every delivery still waiting to be processed, oldest first, in pages of `pageSize`: what a
 * dispatcher does when it starts listening (notifications sent while nobody listened are lost). The
 * job id `wh-<id>` makes this harmless for deliveries that already have a job.
 */
export async function enqueuePendingDeliveries(pageSize = 1000): Promise<number> {
  let after = 0;
  let total = 0;
  for (;;) {
    const rows = await db().webhookDelivery.findMany({
      where: { status: "received", id: { gt: after } },
      select: { id: true },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    for (const { id } of rows) await enqueueDelivery(id);
    total += rows.length;
    if (rows.length < pageSize) return total;
    after = rows[rows.length - 1].id;
  }
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
    await enqueue("webhooks.process-delivery", { deliveryId: id }, { jobId: `wh-${id}-sweep-${now.getTime()}` });
  }
  if (stale.length) childLogger({ job: "webhooks.sweep-unprocessed" }).info({ count: stale.length }, "re-enqueued unprocessed deliveries");
  return { requeued: stale.length };
}
