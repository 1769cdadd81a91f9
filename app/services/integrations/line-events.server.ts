// Klaviyo events for LINE messages (docs/integrations.md "Klaviyo events"): every message sent to a
// friend matched to a Klaviyo profile becomes a "LINE Message Sent" event and every counted click on
// a tracked link a "LINE Message Clicked" event, through the write-back outbox (IntegrationWriteBack,
// kind "event"), which the integrations.write-back job sends with connector.writeEvents.
//
// Why a sweep over MessageSend / LinkClick instead of a hook in the senders: sends are recorded by
// several paths (single sends, broadcast batches of thousands, test sends) and clicks on the hot
// redirect path in one SQL statement; reading the rows they already commit keeps those paths
// untouched and fast, and a sweep that died is simply run again. Idempotent twice over: the outbox is
// unique on (shop, provider, idempotencyKey) and Klaviyo records one event per profile, metric and
// `unique_id`.
import { db } from "~/db.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { KLAVIYO_METRICS } from "~/adapters/klaviyo/properties";
import { requestWriteBack } from "./write-back.server";

/**
 * Each sweep re-reads this far behind the previous one: a send stamped `sentAt` just before the
 * previous sweep but committed after it is still picked up (the outbox key absorbs the overlap).
 */
export const LINE_EVENTS_OVERLAP_MS = 10 * 60_000;

/**
 * A send is sent within this long of being created (retries included). Bounds MessageSend.createdAt
 * so the query walks the (shopId, friendId, createdAt) index instead of the shop's whole history.
 */
const SEND_MAX_AGE_MS = 7 * 86_400_000;

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * Adds outbox rows for the shop's LINE sends and clicks since the connection's `lineEventsThrough`
 * (or since it connected) up to `now`, for friends matched to a Klaviyo profile (one row per
 * profile), then moves `lineEventsThrough` to `now`. Test sends are not events. Payload =
 * WriteBackEvent: uniqueId "line-send-<MessageSend.id>" / "line-click-<LinkClick.id>", time = sentAt /
 * click time. Returns the rows added (0 when Klaviyo is not connected).
 */
export async function queueLineEvents(shopId: number, now: Date): Promise<{ sent: number; clicked: number }> {
  const conn = await db().integrationConnection.findUnique({
    where: { shopId_provider: { shopId, provider: "klaviyo" } },
    select: { id: true, connectedAt: true, lineEventsThrough: true },
  });
  if (!conn) return { sent: 0, clicked: 0 };
  const since = conn.lineEventsThrough
    ? new Date(Math.max(conn.connectedAt.getTime(), conn.lineEventsThrough.getTime() - LINE_EVENTS_OVERLAP_MS))
    : conn.connectedAt;
  const createdAfter = new Date(since.getTime() - SEND_MAX_AGE_MS);

  const sent = await db().$executeRawUnsafe(
    `INSERT INTO "IntegrationWriteBack" ("shopId", provider, "friendId", kind, payload, "idempotencyKey")
     SELECT s."shopId", 'klaviyo', s."friendId", 'event',
            jsonb_build_object(
              'externalId', ic."externalId", 'metric', $5::text, 'uniqueId', 'line-send-' || s.id,
              'time', to_char(s."sentAt", ${ISO}),
              'properties', jsonb_strip_nulls(jsonb_build_object('message_kind', s.kind, 'source_type', s."sourceType", 'source_id', s."sourceId"))),
            'event:line-send-' || s.id || ':' || ic."externalId"
     FROM "IntegrationContact" ic
     JOIN "MessageSend" s ON s."shopId" = ic."shopId" AND s."friendId" = ic."friendId"
     WHERE ic."shopId" = $1 AND ic.provider = 'klaviyo' AND ic."friendId" IS NOT NULL
       AND s.status = 'sent' AND s.kind <> 'test' AND s."createdAt" > $2 AND s."sentAt" > $3 AND s."sentAt" <= $4
     ON CONFLICT ("shopId", provider, "idempotencyKey") DO NOTHING`,
    shopId,
    createdAfter,
    since,
    now,
    KLAVIYO_METRICS.sent,
  );

  // Counted clicks only (a visitor's first in its click window; repeats carry no visitor).
  const clicked = await db().$executeRawUnsafe(
    `INSERT INTO "IntegrationWriteBack" ("shopId", provider, "friendId", kind, payload, "idempotencyKey")
     SELECT c."shopId", 'klaviyo', c."friendId", 'event',
            jsonb_build_object(
              'externalId', ic."externalId", 'metric', $4::text, 'uniqueId', 'line-click-' || c.id,
              'time', to_char(c.at, ${ISO}),
              'properties', jsonb_strip_nulls(jsonb_build_object('url', l.url, 'link_id', c."linkId", 'source_type', c."sourceType", 'source_id', c."sourceId", 'area', c.area))),
            'event:line-click-' || c.id || ':' || ic."externalId"
     FROM "IntegrationContact" ic
     JOIN "LinkClick" c ON c."shopId" = ic."shopId" AND c."friendId" = ic."friendId"
     JOIN "TrackedLink" l ON l.id = c."linkId" AND l."shopId" = c."shopId"
     WHERE ic."shopId" = $1 AND ic.provider = 'klaviyo' AND ic."friendId" IS NOT NULL
       AND c.visitor IS NOT NULL AND c.at > $2 AND c.at <= $3
     ON CONFLICT ("shopId", provider, "idempotencyKey") DO NOTHING`,
    shopId,
    since,
    now,
    KLAVIYO_METRICS.clicked,
  );

  await db().integrationConnection.update({ where: { id: conn.id }, data: { lineEventsThrough: now } });
  return { sent, clicked };
}

/**
 * The `integrations.queue-line-events` job (every minute): queueLineEvents for every shop connected to
 * Klaviyo, then a write-back drain where rows were added. Returns the shops and rows queued.
 */
export async function sweepLineEvents(now: Date): Promise<{ shops: number; queued: number }> {
  const connections = await db().integrationConnection.findMany({ where: { provider: "klaviyo" }, select: { shopId: true } });
  let queued = 0;
  for (const { shopId } of connections) {
    const r = await queueLineEvents(shopId, now);
    if (r.sent + r.clicked > 0) await requestWriteBack(shopId, "klaviyo");
    queued += r.sent + r.clicked;
  }
  return { shops: connections.length, queued };
}

/** Registers the repeatable sweep (worker start-up). */
export async function scheduleLineEvents(): Promise<void> {
  await enqueue("integrations.queue-line-events", {}, { repeat: { every: 60_000 }, jobId: "integrations.queue-line-events" });
}
