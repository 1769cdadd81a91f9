// Broadcasts: create, estimate (recipients × cost × quota), send now / schedule / cancel, the
// crash-safe batch sender and the report. docs/broadcasts.md explains the guarantees.
import crypto from "node:crypto";
import type { Broadcast, Shop } from "@prisma/client";
import { Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "~/db.server";
import { lineSecrets } from "~/db/shops.server";
import { LineError, lineChannel } from "~/adapters/line/client.server";
import { enqueue, queue } from "~/adapters/queue/queues.server";
import { childLogger } from "~/adapters/logger.server";
import { estimateCost, linePlanRegion, planForQuota, planSettings, planTableFor, type CostEstimate } from "~/domain/broadcasts/cost";
import { sendFailureReason, storedFailureReason, type SendFailureReason } from "~/domain/broadcasts/failures";
import { isFutureScheduleTime } from "~/domain/broadcasts/schedule";
import { checkMessages } from "~/domain/broadcasts/validate";
import { MAX_PERSONALIZED_RECIPIENTS, messagesArePersonalized, renderMessages } from "~/domain/broadcasts/personalize";
import { AudienceSchema, BATCH_SIZE, countAudience, shopFrequencyCap, snapshotBatches } from "./audience.server";
import { channelQuota } from "./quota.server";
import { takeToken } from "./rate-limit.server";
import { personaliseTrackedUrls, trackUrlsInText } from "~/services/tracking/links.server";
import {
  AbInputSchema,
  abChildrenToCancel,
  abFamilyIds,
  abReport,
  isAbParent,
  pickWinnerJobId,
  prepareAbTest,
  type AbInput,
  type AbReport,
} from "./ab.server";

export const MessagesSchema = z
  .array(z.record(z.string(), z.unknown()).and(z.object({ type: z.string() })))
  .min(1)
  .max(5);

export type BroadcastErrorCode =
  | "not_found"
  | "invalid_state"
  | "over_quota"
  | "too_many_personalized"
  | "no_line_channel"
  | "invalid"
  /** checkMessages found what LINE would refuse; details: MessageProblem[]. */
  | "invalid_message"
  /** LINE's validate endpoint refused the messages; details: LINE's error details. */
  | "line_refused_message"
  /** A schedule time that is not in the future (it would have gone out at once). */
  | "schedule_in_past"
  | "no_test_friends";

export class BroadcastError extends Error {
  constructor(
    public code: BroadcastErrorCode,
    message: string,
    public details?: unknown,
  ) {
    super(message);
  }
}

/**
 * Asks LINE itself whether it accepts the messages (POST /v2/bot/message/validate/multicast or
 * /validate/push for personalised sends; Messaging API reference "Validate message objects"), so a
 * rule our checks do not know still stops the send before any friend is messaged. Only LINE's 400
 * refuses; an unreachable LINE does not block (the send itself retries).
 */
async function validateWithLine(channelAccessToken: string, messages: unknown[], personalized: boolean): Promise<void> {
  const outcome = await lineChannel(channelAccessToken).validate(personalized ? "push" : "multicast", renderMessages(messages, {}));
  if (outcome.kind === "invalid") throw new BroadcastError("line_refused_message", "LINE refused these messages", outcome.details ?? []);
}

/** Refuses messages LINE would refuse (docs: domain/broadcasts/validate.ts), before anything is stored or sent. */
export function assertSendable(messages: unknown): void {
  const problems = checkMessages(messages);
  if (problems.length) throw new BroadcastError("invalid_message", "LINE would refuse these messages", problems);
}

export type CreateBroadcastInput = {
  shopId: number;
  name: string;
  messages: unknown;
  audience: unknown;
  /** A/B test (docs/broadcasts.md "A/B tests"); `messages` defaults to the first variant. */
  ab?: AbInput;
};

export async function createBroadcast(input: CreateBroadcastInput): Promise<Broadcast> {
  const ab = input.ab ? AbInputSchema.parse(input.ab) : undefined;
  const messages = MessagesSchema.parse(input.messages ?? ab?.variants[0]);
  for (const variant of ab?.variants ?? [messages]) assertSendable(variant);
  const audience = AudienceSchema.parse(input.audience);
  if (!audience.allFriends && !audience.segmentIds.length && !audience.friendIds?.length)
    throw new BroadcastError("invalid", "Choose at least one segment (or all friends)");
  return db().broadcast.create({
    data: {
      shopId: input.shopId,
      name: input.name.trim() || "Untitled broadcast",
      messages: messages as Prisma.InputJsonValue,
      audience: audience as Prisma.InputJsonValue,
      personalized: ab ? ab.variants.some((v) => messagesArePersonalized(v)) : messagesArePersonalized(messages),
      ...(ab ? { abConfig: ab as Prisma.InputJsonValue } : {}),
    },
  });
}

/** Deletes a draft that was never sent (the composer's draft when its send was refused). */
export async function discardDraft(shopId: number, id: number): Promise<void> {
  await db().broadcast.deleteMany({ where: { id, shopId, status: "draft", preparedAt: null } });
}

export async function getBroadcast(shopId: number, id: number): Promise<Broadcast> {
  const b = await db().broadcast.findFirst({ where: { id, shopId } });
  if (!b) throw new BroadcastError("not_found", "Broadcast not found");
  return b;
}

export { pickAbWinner } from "./ab.server";

/** `priced`: false when the app does not know LINE's prices in the region (then extraCost is null). */
export type BroadcastEstimate = CostEstimate & { planName: string | null; region: string; priced: boolean };

/**
 * Recipients now (the same SQL the send snapshots with) × LINE's live quota and consumption × the
 * plan of the shop's LINE plan region. A quota LINE does not answer for is reported as unknown
 * (quotaKnown false), never as "unlimited".
 */
export async function estimateBroadcast(
  shop: Shop,
  audienceJson: unknown,
  now = new Date(),
  opts: { personalized?: boolean } = {},
): Promise<BroadcastEstimate> {
  const audience = AudienceSchema.parse(audienceJson);
  const recipients = await countAudience(shop.id, audience, await shopFrequencyCap(shop), now);
  const region = linePlanRegion(shop.settings, shop.country);
  const table = planTableFor(region, shop.settings);
  const quota = await channelQuota(shop).catch(() => null);
  const plan = planForQuota(table, quota, planSettings(shop.settings).planId);
  return {
    ...estimateCost({ recipients, plan, currency: table?.currency ?? null, quota, batchSize: opts.personalized ? 1 : BATCH_SIZE }),
    planName: plan?.name ?? null,
    region,
    priced: table !== null,
  };
}

export type SendOptions = { confirmOverQuota?: boolean; trimToFit?: boolean; scheduledAt?: Date | null; now?: Date };

/**
 * Send now or schedule. Refuses (over_quota) when the audience exceeds the remaining quota unless
 * the merchant confirmed or asked to trim to fit. Returns the estimate it decided on.
 */
export async function sendBroadcast(
  shop: Shop,
  id: number,
  opts: SendOptions = {},
): Promise<{ broadcast: Broadcast; estimate: BroadcastEstimate }> {
  const now = opts.now ?? new Date();
  const b = await getBroadcast(shop.id, id);
  if (b.status !== "draft") throw new BroadcastError("invalid_state", `Broadcast is ${b.status}`);
  const secrets = lineSecrets(shop);
  if (!secrets) throw new BroadcastError("no_line_channel", "Connect a LINE channel first");
  // A past time used to mean "send now", without the send-now confirmation (issue 10).
  if (opts.scheduledAt && !isFutureScheduleTime(opts.scheduledAt, now))
    throw new BroadcastError("schedule_in_past", "The schedule time has already passed");
  for (const variant of isAbParent(b) ? AbInputSchema.parse(b.abConfig).variants : [MessagesSchema.parse(b.messages)])
    await validateWithLine(secrets.channelAccessToken, variant, b.personalized);
  let audience = AudienceSchema.parse(b.audience);
  let estimate = await estimateBroadcast(shop, audience, now, { personalized: b.personalized });
  if (estimate.exceedsQuota) {
    if (opts.trimToFit && estimate.recipientsThatFit !== null) {
      audience = { ...audience, trimTo: estimate.recipientsThatFit };
      estimate = await estimateBroadcast(shop, audience, now, { personalized: b.personalized });
    } else if (!opts.confirmOverQuota) {
      throw new BroadcastError("over_quota", "This send exceeds the remaining message quota", estimate);
    }
  }
  if (b.personalized && estimate.recipients > MAX_PERSONALIZED_RECIPIENTS)
    throw new BroadcastError(
      "too_many_personalized",
      `Personalised broadcasts go out one push per friend; limit ${MAX_PERSONALIZED_RECIPIENTS} recipients`,
    );
  const scheduledAt = opts.scheduledAt ?? null;
  const updated = await db().broadcast.update({
    where: { id },
    data: {
      audience: audience as Prisma.InputJsonValue,
      status: scheduledAt ? "scheduled" : "preparing",
      scheduledAt,
      overQuotaConfirmed: Boolean(opts.confirmOverQuota && estimate.exceedsQuota),
    },
  });
  await enqueue(
    "broadcasts.prepare",
    { broadcastId: id },
    {
      jobId: prepareJobId(id),
      delay: scheduledAt ? scheduledAt.getTime() - now.getTime() : 0,
    },
  );
  return { broadcast: updated, estimate };
}

function prepareJobId(id: number) {
  return `broadcasts.prepare:${id}`;
}

export async function cancelBroadcast(shopId: number, id: number): Promise<Broadcast> {
  const b = await getBroadcast(shopId, id);
  if (!["scheduled", "draft", "preparing", "sending", "testing"].includes(b.status))
    throw new BroadcastError("invalid_state", `Broadcast is ${b.status}`);
  const job = await queue("scheduled").getJob(prepareJobId(id));
  if (job) await job.remove().catch(() => undefined); // a running job re-checks the status below
  if (isAbParent(b)) {
    const pick = await queue("scheduled").getJob(pickWinnerJobId(id));
    if (pick) await pick.remove().catch(() => undefined);
    for (const childId of await abChildrenToCancel(id)) await cancelBroadcast(shopId, childId);
  }
  return db().$transaction(async (tx) => {
    await tx.broadcastBatch.updateMany({ where: { broadcastId: id, status: "pending" }, data: { status: "failed", error: "cancelled" } });
    return tx.broadcast.update({ where: { id }, data: { status: "cancelled", finishedAt: new Date() } });
  });
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
      const locked = await tx.$queryRaw<Array<{ status: string; preparedAt: Date | null }>>`
        SELECT status, "preparedAt" FROM "Broadcast" WHERE id = ${b.id} FOR UPDATE`;
      if (locked[0]?.preparedAt || locked[0]?.status === "cancelled") return;
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
    for (const f of eligible)
      sendRows.push({
        shopId: b.shopId,
        friendId: f.id,
        kind: "broadcast",
        sourceType: "broadcast",
        sourceId: b.id,
        retryKey: `${batch.retryKey}:${f.id}`,
        status: "sent",
        sentAt: at,
      });
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
      const status = error ? "failed" : "sent";
      sendRows.push({
        shopId: b.shopId,
        friendId: f.id,
        kind: "broadcast",
        sourceType: "broadcast",
        sourceId: b.id,
        retryKey: key,
        status,
        error,
        sentAt: status === "sent" ? now() : null,
      });
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

export type BroadcastReport = {
  id: number;
  name: string;
  status: string;
  scheduledAt: Date | null;
  targeted: number;
  sent: number;
  failed: number;
  skippedAtSend: number;
  batches: { total: number; sent: number; failed: number; pending: number };
  /** Recipients not reached, by reason (plain words on the broadcast page). */
  failureReasons: Array<{ reason: SendFailureReason; count: number }>;
  clicks: number;
  uniqueClickers: number;
  orders: number;
  revenue: number;
  progress: number;
  /** A/B tests only: per-variant results, winner, holdout (the totals above then cover all variants and the holdout). */
  ab?: AbReport;
};

export async function broadcastReport(shopId: number, id: number): Promise<BroadcastReport> {
  const b = await getBroadcast(shopId, id);
  const ids = await abFamilyIds(b); // [id] unless an A/B parent
  const batches = await db().broadcastBatch.groupBy({
    by: ["status"],
    where: { broadcastId: { in: ids } },
    _count: { _all: true },
    _sum: { skipped: true },
  });
  const count = (s: string) => batches.find((x) => x.status === s)?._count._all ?? 0;
  const skippedAtSend = batches.reduce((n, x) => n + (x._sum.skipped ?? 0), 0);
  const reasons = await db().$queryRaw<Array<{ reason: string; count: bigint }>>`
    SELECT reason, sum(n)::bigint AS count FROM (
      SELECT error AS reason, cardinality("friendIds") - skipped AS n FROM "BroadcastBatch" WHERE "broadcastId" = ANY(${ids}::int[]) AND status = 'failed'
      UNION ALL
      SELECT error AS reason, 1 AS n FROM "MessageSend" WHERE "shopId" = ${shopId} AND "sourceType" = 'broadcast' AND "sourceId" = ANY(${ids}::int[]) AND kind = 'broadcast' AND status = 'failed'
    ) r GROUP BY reason ORDER BY 2 DESC`;
  const clicks = await db().linkClick.count({ where: { shopId, sourceType: "broadcast", sourceId: { in: ids } } });
  const clickers = await db().linkClick.findMany({
    where: { shopId, sourceType: "broadcast", sourceId: { in: ids }, friendId: { not: null } },
    distinct: ["friendId"],
    select: { friendId: true },
  });
  const attr = await db().attribution.aggregate({
    where: { shopId, sourceType: "broadcast", sourceId: { in: ids } },
    _count: { _all: true },
    _sum: { revenue: true },
  });
  const ab = await abReport(b);
  const family = ab ? await db().broadcast.aggregate({ where: { id: { in: ids.slice(1) } }, _sum: { sent: true, failed: true } }) : null;
  const total = batches.reduce((n, x) => n + x._count._all, 0);
  return {
    id: b.id,
    name: b.name,
    status: b.status,
    scheduledAt: b.scheduledAt,
    targeted: b.targeted,
    sent: family ? (family._sum.sent ?? 0) : b.sent,
    failed: family ? (family._sum.failed ?? 0) : b.failed,
    skippedAtSend,
    batches: { total, sent: count("sent"), failed: count("failed"), pending: count("pending") },
    failureReasons: countByReason(reasons),
    clicks,
    uniqueClickers: clickers.length,
    orders: attr._count._all,
    revenue: Number(attr._sum.revenue ?? 0),
    progress: total ? (count("sent") + count("failed")) / total : b.status === "sent" ? 1 : 0,
    ...(ab ? { ab } : {}),
  };
}

function countByReason(rows: Array<{ reason: string | null; count: bigint }>): BroadcastReport["failureReasons"] {
  const byReason = new Map<SendFailureReason, number>();
  for (const r of rows) {
    const reason = storedFailureReason(r.reason);
    byReason.set(reason, (byReason.get(reason) ?? 0) + Number(r.count));
  }
  return [...byReason].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
}

/**
 * The newest broadcasts. An A/B test's variants and holdout are child broadcasts that carry the sends,
 * so a parent's sent/failed are its children's totals (the list showed "Sent 0 / Failed 0" for an
 * A/B test whose variant failed).
 */
export async function listBroadcasts(shopId: number, take = 50): Promise<Broadcast[]> {
  const rows = await db().broadcast.findMany({ where: { shopId, parentId: null }, orderBy: { createdAt: "desc" }, take });
  const parents = rows.filter(isAbParent).map((b) => b.id);
  if (!parents.length) return rows;
  const sums = await db().broadcast.groupBy({
    by: ["parentId"],
    where: { shopId, parentId: { in: parents } },
    _sum: { sent: true, failed: true },
  });
  const byParent = new Map(sums.map((x) => [x.parentId, x._sum]));
  return rows.map((b) => {
    const sum = byParent.get(b.id);
    return sum ? { ...b, sent: sum.sent ?? 0, failed: sum.failed ?? 0 } : b;
  });
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
