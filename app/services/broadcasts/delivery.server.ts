// Broadcast delivery: the crash-safe batch sender (prepare → one send job per batch → retries and
// resume after a crash). The admin side (create, estimate, send now / schedule, cancel, report) is
// broadcasts.server.ts. docs/broadcasts.md explains the guarantees.
import crypto from "node:crypto";
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import { lineSecrets } from "~/db/shops.server";
import { LineError, lineChannel } from "~/adapters/line/client.server";
import { enqueue, queue } from "~/adapters/queue/queues.server";
import { childLogger } from "~/adapters/logger.server";
import { sendFailureReason } from "~/domain/broadcasts/failures";
import { renderMessages } from "~/domain/broadcasts/personalize";
import { AudienceSchema, lockForPreparing, shopFrequencyCap, snapshotBatches } from "./audience.server";
import { takeToken } from "./rate-limit.server";
import { personaliseTrackedUrls, trackUrlsInText } from "~/services/tracking/links.server";
import { MessagesSchema } from "./core.server";
import { isAbParent, prepareAbTest } from "./ab.server";

export function prepareJobId(id: number) {
  return `broadcasts.prepare:${id}`;
}

/** Resume after a crash: batches still pending get their send jobs again (same retry keys). */
export async function resumeBroadcast(id: number): Promise<void> {
  const resume = String(Date.now());
  await enqueue("broadcasts.prepare", { broadcastId: id, resume }, { jobId: `${prepareJobId(id)}:resume:${resume}` });
}

/** Replace URLs in text / uri fields with tracked links (once per broadcast). */
async function trackMessages(shopId: number, broadcastId: number, messages: unknown[]): Promise<unknown[]> {
  const cache = new Map<string, string>();
  const source = { shopId, sourceType: "broadcast" as const, sourceId: broadcastId };
  const walk = async (v: unknown, key?: string): Promise<unknown> => {
    if (typeof v === "string") return key === "text" || key === "uri" || key === "linkUri" ? trackUrlsInText(v, source, cache) : v;
    if (Array.isArray(v)) return Promise.all(v.map((x) => walk(x)));
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = await walk(x, k);
      return out;
    }
    return v;
  };
  return (await walk(messages)) as unknown[];
}

/**
 * broadcasts.prepare: snapshot the recipients into batches (once), then enqueue one send job per
 * pending batch. Idempotent: a second run finds the batches and only re-enqueues pending ones.
 */
export async function prepareBroadcast(
  broadcastId: number,
  now = new Date(),
  resume?: string,
): Promise<{ batches: number; targeted: number }> {
  const b = await db().broadcast.findUnique({ where: { id: broadcastId } });
  if (!b || ["cancelled", "sent", "failed", "draft", "held"].includes(b.status)) return { batches: 0, targeted: 0 };
  const shop = await db().shop.findUniqueOrThrow({ where: { id: b.shopId } });
  if (isAbParent(b)) return prepareAbTest(b, shop, now, resume);
  if (!b.preparedMessages) {
    const tracked = await trackMessages(b.shopId, b.id, MessagesSchema.parse(b.messages));
    await db().broadcast.update({ where: { id: b.id }, data: { preparedMessages: tracked as Prisma.InputJsonValue } });
  }
  const cap = await shopFrequencyCap(shop);
  await db().$transaction(
    async (tx) => {
      if (!(await lockForPreparing(tx, b.id))) return;
      await snapshotBatches(tx, b.id, b.shopId, AudienceSchema.parse(b.audience), cap, now);
      const agg = await tx.$queryRaw<Array<{ n: bigint | null }>>`
        SELECT sum(cardinality("friendIds"))::bigint AS n FROM "BroadcastBatch" WHERE "broadcastId" = ${b.id}`;
      await tx.broadcast.update({
        where: { id: b.id },
        data: { preparedAt: now, startedAt: now, status: "sending", targeted: Number(agg[0]?.n ?? 0) },
      });
    },
    { timeout: 600_000 },
  );
  const fresh = await db().broadcast.findUniqueOrThrow({ where: { id: b.id } });
  if (fresh.status === "cancelled") return { batches: 0, targeted: 0 };
  const pending = await db().broadcastBatch.findMany({
    where: { broadcastId: b.id, status: "pending" },
    select: { id: true, attempts: true },
    orderBy: { seq: "asc" },
  });
  if (!pending.length) await finishIfDone(b.id);
  // Job id per (batch, attempts so far): a waiting job is not duplicated, but a batch whose job
  // completed without the row being marked (a crash after LINE accepted it) gets a fresh job. On a
  // resume every pending batch gets a fresh job: a job that was active in a killed worker would
  // otherwise wait for Bull's stalled-job check; a duplicate job is harmless (same retry key → 409,
  // and marking is guarded by status = 'pending').
  // addBulk in chunks: one Redis round trip per 500 jobs even for 2,000 batches (1M recipients).
  for (let i = 0; i < pending.length; i += 500) {
    await queue("line-outbound").addBulk(
      pending.slice(i, i + 500).map((p) => ({
        name: "broadcasts.send-batch",
        data: { batchId: p.id },
        opts: { jobId: resume ? `broadcast.batch:${p.id}:r${resume}` : `broadcast.batch:${p.id}:${p.attempts}` },
      })),
    );
  }
  return { batches: pending.length, targeted: fresh.targeted };
}

/** Deterministic UUID (v4 layout) from a string: the per-friend retry key of a personalised push. */
function derivedRetryKey(seed: string): string {
  const h = crypto.createHash("sha256").update(seed).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const MULTICAST_PER_SECOND = 200;

type BatchFriend = {
  id: number;
  lineUserId: string;
  displayName: string | null;
  following: boolean;
  blockedAt: Date | null;
  marketingOptOut: boolean;
};

/**
 * broadcasts.send-batch: re-check consent at send time, multicast with the batch's stored retry key
 * (409 = LINE already accepted it ⇒ sent), record one MessageSend per recipient, bump counters.
 * A batch marked sent is never sent again.
 */
export async function sendBatch(batchId: number): Promise<"sent" | "already" | "failed" | "cancelled"> {
  const batch = await db().broadcastBatch.findUnique({ where: { id: batchId } });
  if (!batch || batch.status !== "pending") return "already";
  const b = await db().broadcast.findUniqueOrThrow({ where: { id: batch.broadcastId } });
  if (b.status === "cancelled") return "cancelled";
  const shop = await db().shop.findUniqueOrThrow({ where: { id: b.shopId } });
  const secrets = lineSecrets(shop);
  const log = childLogger({ shop: shop.domain, broadcast: b.id, batch: batch.seq });
  if (!secrets) return failBatch(batch.id, b.id, batch.friendIds.length, "no_line_channel");
  const channel = lineChannel(secrets.channelAccessToken);
  const friends = await db().$queryRaw<BatchFriend[]>`
    SELECT id, "lineUserId", "displayName", following, "blockedAt", "marketingOptOut"
    FROM "Friend" WHERE id = ANY(${batch.friendIds}::int[]) AND "shopId" = ${b.shopId}`;
  const eligible = friends.filter((f) => f.following && !f.blockedAt && !f.marketingOptOut);
  const skipped = batch.friendIds.length - eligible.length;
  const messages = (b.preparedMessages ?? b.messages) as unknown[];
  await db().broadcastBatch.update({ where: { id: batch.id }, data: { attempts: { increment: 1 } } });

  const sendRows: Prisma.MessageSendCreateManyInput[] = [];
  const now = () => new Date();
  const sendRow = (friendId: number, retryKey: string, error: string | null, at: Date): Prisma.MessageSendCreateManyInput => ({
    shopId: b.shopId,
    friendId,
    kind: "broadcast",
    sourceType: "broadcast",
    sourceId: b.id,
    retryKey,
    status: error ? "failed" : "sent",
    error,
    sentAt: error ? null : at,
  });
  if (!b.personalized) {
    if (eligible.length) {
      await takeToken(`multicast:${secrets.channelId}`, MULTICAST_PER_SECOND);
      const outcome = await channel.multicast({ to: eligible.map((f) => f.lineUserId), messages, retryKey: batch.retryKey });
      switch (outcome.kind) {
        case "sent":
          break;
        case "duplicate":
          log.info("batch already accepted by LINE (409): marking sent");
          break;
        case "rate-limited":
        case "transient":
          throw new LineError(outcome);
        case "quota-exceeded":
        case "invalid":
        case "unauthorized":
          log.warn({ outcome: outcome.kind, status: outcome.status }, "batch failed permanently");
          return failBatch(batch.id, b.id, eligible.length, sendFailureReason(outcome.kind), skipped);
      }
    }
    const at = now();
    for (const f of eligible) sendRows.push(sendRow(f.id, `${batch.retryKey}:${f.id}`, null, at));
  } else {
    const lastProducts = await lastProductByFriend(
      b.shopId,
      eligible.map((f) => f.id),
    );
    for (const f of eligible) {
      const rendered = renderMessages(messages, { displayName: f.displayName, lastProduct: lastProducts.get(f.id) });
      const withToken = JSON.parse(personaliseTrackedUrls(JSON.stringify(rendered), f.id)) as unknown[];
      const key = derivedRetryKey(`${batch.retryKey}:${f.id}`);
      const outcome = await channel.push({ to: f.lineUserId, messages: withToken, retryKey: key });
      // Retried as a whole: the pushes LINE accepted before answer "duplicate" on the retry.
      if (outcome.kind === "rate-limited" || outcome.kind === "transient") throw new LineError(outcome);
      const error = outcome.kind === "sent" || outcome.kind === "duplicate" ? null : sendFailureReason(outcome.kind);
      sendRows.push(sendRow(f.id, key, error, now()));
    }
  }
  const sent = sendRows.filter((r) => r.status === "sent").length;
  const failed = sendRows.length - sent;
  await db().$transaction(async (tx) => {
    const marked = await tx.broadcastBatch.updateMany({
      where: { id: batch.id, status: "pending" },
      data: { status: "sent", sentAt: now(), sentCount: sent, skipped, error: failed ? `${failed} failed` : null },
    });
    if (marked.count === 0) return; // another run finished this batch
    await insertSends(tx, b.shopId, b.id, sendRows, now());
    await tx.broadcast.update({ where: { id: b.id }, data: { sent: { increment: sent }, failed: { increment: failed } } });
  });
  await finishIfDone(b.id);
  return "sent";
}

/** One INSERT … SELECT FROM unnest for the batch's MessageSend rows (Prisma's createMany of 500 rows
 * cost ~120 ms of the ~190 ms per batch on the shared VM). */
async function insertSends(
  tx: Prisma.TransactionClient,
  shopId: number,
  broadcastId: number,
  rows: Prisma.MessageSendCreateManyInput[],
  at: Date,
) {
  if (!rows.length) return;
  const friendIds = rows.map((r) => r.friendId ?? null);
  const keys = rows.map((r) => r.retryKey);
  const statuses = rows.map((r) => r.status ?? "sent");
  const errors = rows.map((r) => r.error ?? null);
  await tx.$executeRaw`
    INSERT INTO "MessageSend" ("shopId", "friendId", kind, "sourceType", "sourceId", "retryKey", status, error, "sentAt", "createdAt")
    SELECT ${shopId}, x.f, 'broadcast', 'broadcast', ${broadcastId}, x.k, x.s, x.e, CASE WHEN x.s = 'sent' THEN ${at}::timestamp END, now()
    FROM unnest(${friendIds}::int[], ${keys}::text[], ${statuses}::text[], ${errors}::text[]) AS x(f, k, s, e)
    ON CONFLICT ("retryKey") DO NOTHING`;
}

async function failBatch(batchId: number, broadcastId: number, count: number, reason: string, skipped = 0): Promise<"failed"> {
  await db().$transaction(async (tx) => {
    const marked = await tx.broadcastBatch.updateMany({
      where: { id: batchId, status: "pending" },
      data: { status: "failed", error: reason, skipped },
    });
    if (marked.count) await tx.broadcast.update({ where: { id: broadcastId }, data: { failed: { increment: count } } });
  });
  await finishIfDone(broadcastId);
  return "failed";
}

async function finishIfDone(broadcastId: number): Promise<void> {
  const pending = await db().broadcastBatch.count({ where: { broadcastId, status: "pending" } });
  if (pending) return;
  const b = await db().broadcast.findUniqueOrThrow({ where: { id: broadcastId } });
  if (b.status !== "sending") return;
  await db().broadcast.updateMany({
    where: { id: broadcastId, status: "sending" },
    data: { status: b.sent === 0 && b.failed > 0 ? "failed" : "sent", finishedAt: new Date() },
  });
}

/** Each friend's most recently bought product title (the {{lastProduct}} placeholder). */
export async function lastProductByFriend(shopId: number, friendIds: number[]): Promise<Map<number, string>> {
  if (!friendIds.length) return new Map();
  const rows = await db().$queryRaw<Array<{ friendId: number; title: string }>>`
    SELECT DISTINCT ON (f.id) f.id AS "friendId", ol.title
    FROM "Friend" f
    JOIN "Customer" c ON c.id = f."customerId"
    JOIN "OrderLine" ol ON ol."shopId" = ${shopId} AND ol."shopifyCustomerId" = c."shopifyCustomerId"
    WHERE f.id = ANY(${friendIds}::int[])
    ORDER BY f.id, ol."purchasedAt" DESC`;
  return new Map(rows.map((r) => [r.friendId, r.title]));
}

/**
 * broadcasts.resume-stalled: a worker that died mid-send leaves its active job stalled (Bull retries a stalled
 * job once, then fails it) and its batch pending. Broadcasts still preparing/sending with no progress
 * for `staleMs` are resumed: pending batches go out again with their stored retry keys.
 */
export async function resumeStalledBroadcasts(now = new Date(), staleMs = 5 * 60_000): Promise<number[]> {
  const stale = await db().broadcast.findMany({
    where: { status: { in: ["preparing", "sending"] }, updatedAt: { lt: new Date(now.getTime() - staleMs) } },
    select: { id: true },
  });
  for (const b of stale) {
    await db().broadcast.update({ where: { id: b.id }, data: { updatedAt: now } });
    await resumeBroadcast(b.id);
  }
  return stale.map((b) => b.id);
}

export async function scheduleBroadcastSweeps(everyMs = 5 * 60_000): Promise<void> {
  await queue("scheduled").add("broadcasts.resume-stalled", {}, { repeat: { every: everyMs }, jobId: "broadcasts.resume-stalled" });
}
