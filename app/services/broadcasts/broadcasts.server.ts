// Broadcasts, the admin side: create, estimate (recipients × cost × quota), send now / schedule /
// cancel, the list and the report. Delivery (prepare, batches, retries) is delivery.server.ts.
// docs/broadcasts.md explains the guarantees.
import type { Broadcast, Shop } from "@prisma/client";
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import { lineSecrets } from "~/db/shops.server";
import { lineChannel } from "~/adapters/line/client.server";
import { delayUntil, enqueue, queue } from "~/adapters/queue/queues.server";
import { readPlanSettings } from "~/db/settings/plan.server";
import { estimateCost, linePlanRegion, planForQuota, planTableFor, type CostEstimate } from "~/domain/broadcasts/cost";
import { storedFailureReason, type SendFailureReason } from "~/domain/broadcasts/failures";
import { isFutureScheduleTime } from "~/domain/broadcasts/schedule";
import { checkMessages } from "~/domain/broadcasts/validate";
import { MAX_PERSONALIZED_RECIPIENTS, messagesArePersonalized, renderMessages } from "~/domain/broadcasts/personalize";
import { AudienceSchema, BATCH_SIZE, countAudience, shopFrequencyCap } from "./audience.server";
import { channelQuota } from "./quota.server";
import { BroadcastError, MessagesSchema } from "./core.server";
import { prepareJobId } from "./delivery.server";
import {
  AbInputSchema,
  abChildrenToCancel,
  abFamilyIds,
  abReport,
  isAbParent,
  pickWinnerJobId,
  type AbInput,
  type AbReport,
} from "./ab.server";

export { BroadcastError, type BroadcastErrorCode } from "./core.server";

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
  const region = linePlanRegion(readPlanSettings(shop), shop.country);
  const table = planTableFor(region, readPlanSettings(shop));
  const quota = await channelQuota(shop).catch(() => null);
  const plan = planForQuota(table, quota, readPlanSettings(shop).planId);
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
      delay: scheduledAt ? delayUntil(scheduledAt) : 0,
    },
  );
  return { broadcast: updated, estimate };
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
