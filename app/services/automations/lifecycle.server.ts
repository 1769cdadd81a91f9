// Lifecycle automations: replenishment, post-delivery review, win-back, welcome. The periodic
// `automations.scan-lifecycle` turns facts into Reminder rows (unique per subject, so a scan can run
// any number of times) and enqueues `automations.send-lifecycle-reminder` at each due time; the send re-checks
// consent, quiet hours and the shared frequency cap, then pushes with the reminder's stored retry key.
import crypto from "node:crypto";
import type { Reminder, Shop } from "@prisma/client";
import { db } from "~/db.server";
import { lineSecrets } from "~/db/shops.server";
import { sendPush } from "~/services/messaging/send.server";
import { delayUntil, enqueue, queue } from "~/adapters/queue/queues.server";
import { isStale, replenishmentDueAt, reviewDueAt } from "~/domain/broadcasts/lifecycle";
import { renderText } from "~/domain/broadcasts/personalize";
import { truncateFor } from "~/domain/line/text-limits";
import { cartPermalink } from "~/domain/tracking/links";
import { createTrackedLink, signFriendToken } from "~/services/tracking/links.server";
import { AUTOMATION_SOURCE_ID, LIFECYCLE_KINDS, type LifecycleKind } from "./lifecycle-settings.server";
import { readLifecycleSettings } from "~/db/settings/lifecycle.server";

const DAY = 86_400_000;
/** A scan plans sends due within this horizon as delayed jobs; the next scan covers the rest. */
const SCAN_HORIZON_MS = 60 * 60 * 1000;

type Candidate = { friendId: number; subjectKey: string; dueAt: Date };

async function planReplenishment(shop: Shop, now: Date): Promise<Candidate[]> {
  const s = readLifecycleSettings(shop).replenishment;
  const rows = await db().$queryRaw<
    Array<{
      friendId: number;
      productId: bigint;
      lastPurchasedAt: Date;
      orderCount: number;
      rebuyIntervalDays: number | null;
      medianIntervalDays: number | null;
    }>
  >`
    SELECT f.id AS "friendId", cp."productId", cp."lastPurchasedAt", cp."orderCount", cp."rebuyIntervalDays", pr."medianIntervalDays"
    FROM "CustomerProduct" cp
    JOIN "Customer" c ON c."shopId" = cp."shopId" AND c."shopifyCustomerId" = cp."shopifyCustomerId"
    JOIN "Friend" f ON f."shopId" = cp."shopId" AND f."customerId" = c.id
    LEFT JOIN "ProductRebuy" pr ON pr."shopId" = cp."shopId" AND pr."productId" = cp."productId"
    WHERE cp."shopId" = ${shop.id} AND f.following = true
      AND cp."lastPurchasedAt" > ${new Date(now.getTime() - 400 * DAY)}`;
  const out: Candidate[] = [];
  for (const r of rows) {
    const dueAt = replenishmentDueAt({
      lastPurchasedAt: r.lastPurchasedAt,
      orderCount: r.orderCount,
      ownIntervalDays: r.rebuyIntervalDays,
      shopMedianDays: r.medianIntervalDays,
      daysBefore: s.daysBefore,
    });
    if (dueAt) out.push({ friendId: r.friendId, subjectKey: `${r.productId}@${r.lastPurchasedAt.getTime()}`, dueAt });
  }
  return out;
}

async function planReview(shop: Shop, now: Date): Promise<Candidate[]> {
  const s = readLifecycleSettings(shop);
  const rows = await db().$queryRaw<Array<{ friendId: number; shopifyOrderId: bigint; deliveredAt: Date }>>`
    SELECT f.id AS "friendId", o."shopifyOrderId", o."deliveredAt"
    FROM "Order" o
    JOIN "Customer" c ON c."shopId" = o."shopId" AND c."shopifyCustomerId" = o."shopifyCustomerId"
    JOIN "Friend" f ON f."shopId" = o."shopId" AND f."customerId" = c.id
    WHERE o."shopId" = ${shop.id} AND o."deliveredAt" IS NOT NULL AND o."cancelledAt" IS NULL AND o.test = false
      AND o."deliveredAt" > ${new Date(now.getTime() - (s.review.afterDays + s.graceDays + 1) * DAY)}`;
  return rows.map((r) => ({
    friendId: r.friendId,
    subjectKey: `order:${r.shopifyOrderId}`,
    dueAt: reviewDueAt(r.deliveredAt, s.review.afterDays),
  }));
}

async function planWinback(shop: Shop, now: Date): Promise<Candidate[]> {
  const s = readLifecycleSettings(shop);
  const cutoff = new Date(now.getTime() - s.winback.dormantDays * DAY);
  const rows = await db().$queryRaw<Array<{ friendId: number; lastPurchaseAt: Date }>>`
    SELECT f.id AS "friendId", c."lastPurchaseAt"
    FROM "Customer" c JOIN "Friend" f ON f."shopId" = c."shopId" AND f."customerId" = c.id
    WHERE c."shopId" = ${shop.id} AND c."purchaseCount" >= 1 AND c."lastPurchaseAt" <= ${cutoff}
      AND c."lastPurchaseAt" > ${new Date(cutoff.getTime() - (s.graceDays + 1) * DAY)}`;
  return rows.map((r) => ({
    friendId: r.friendId,
    subjectKey: `winback@${r.lastPurchaseAt.getTime()}`,
    dueAt: new Date(r.lastPurchaseAt.getTime() + s.winback.dormantDays * DAY),
  }));
}

/** Insert reminders (idempotent) and enqueue the sends due within the horizon. */
async function schedule(shop: Shop, kind: LifecycleKind, candidates: Candidate[], now: Date): Promise<number> {
  const horizon = now.getTime() + SCAN_HORIZON_MS;
  const relevant = candidates.filter((c) => c.dueAt.getTime() <= horizon);
  if (!relevant.length) return 0;
  await db().reminder.createMany({
    data: relevant.map((c) => ({
      shopId: shop.id,
      friendId: c.friendId,
      kind,
      subjectKey: c.subjectKey,
      dueAt: c.dueAt,
      retryKey: crypto.randomUUID(),
    })),
    skipDuplicates: true,
  });
  const due = await db().reminder.findMany({
    where: { shopId: shop.id, kind, status: "scheduled", dueAt: { lte: new Date(horizon) } },
    select: { id: true, dueAt: true },
  });
  for (const r of due)
    await enqueue(
      "automations.send-lifecycle-reminder",
      { reminderId: r.id },
      { jobId: `lifecycle:${r.id}:${r.dueAt.getTime()}`, delay: delayUntil(r.dueAt) },
    );
  return due.length;
}

async function scanShop(shop: Shop, now = new Date()): Promise<Record<string, number>> {
  const s = readLifecycleSettings(shop);
  const out: Record<string, number> = {};
  if (s.replenishment.enabled) out.replenishment = await schedule(shop, "replenishment", await planReplenishment(shop, now), now);
  if (s.review.enabled) out.review = await schedule(shop, "review", await planReview(shop, now), now);
  // With a dormant segment chosen, win-back fires on segment entry (onSegmentEntered) instead.
  if (s.winback.enabled && !s.winback.dormantSegmentId) out.winback = await schedule(shop, "winback", await planWinback(shop, now), now);
  return out;
}

export async function runLifecycleScan(opts: { shopId?: number; now?: Date } = {}): Promise<Record<number, Record<string, number>>> {
  const shops = await db().shop.findMany({
    where: { uninstalledAt: null, lineConnectedAt: { not: null }, ...(opts.shopId ? { id: opts.shopId } : {}) },
  });
  const out: Record<number, Record<string, number>> = {};
  for (const shop of shops) out[shop.id] = await scanShop(shop, opts.now ?? new Date());
  return out;
}

/** Repeatable scan with a fixed id (every 15 minutes). */
export async function scheduleLifecycleScans(everyMs = 15 * 60_000): Promise<void> {
  await queue("scheduled").add("automations.scan-lifecycle", {}, { repeat: { every: everyMs }, jobId: "automations.scan-lifecycle" });
}

/** Welcome on follow: the LINE events pipeline calls this for a follow event. */
export async function onFriendFollowed(shopId: number, friendId: number, now = new Date()): Promise<"scheduled" | "off" | "exists"> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId } });
  if (!readLifecycleSettings(shop).welcome.enabled) return "off";
  const created = await db().reminder.createMany({
    data: [{ shopId, friendId, kind: "welcome", subjectKey: "welcome", dueAt: now, retryKey: crypto.randomUUID() }],
    skipDuplicates: true,
  });
  if (!created.count) return "exists";
  const r = await db().reminder.findUniqueOrThrow({
    where: { shopId_kind_subjectKey_friendId: { shopId, kind: "welcome", subjectKey: "welcome", friendId } },
  });
  await enqueue("automations.send-lifecycle-reminder", { reminderId: r.id }, { jobId: `lifecycle:${r.id}:${r.dueAt.getTime()}` });
  return "scheduled";
}

/** Win-back on entering the shop's dormant segment (segment engine transitions). */
export async function onSegmentEntered(t: {
  shopId: number;
  friendId: number;
  segmentId: number;
  kind: "entered" | "left";
  at: Date;
}): Promise<"scheduled" | "ignored"> {
  if (t.kind !== "entered") return "ignored";
  const shop = await db().shop.findUniqueOrThrow({ where: { id: t.shopId } });
  const w = readLifecycleSettings(shop).winback;
  if (!w.enabled || w.dormantSegmentId !== t.segmentId) return "ignored";
  const subjectKey = `segment:${t.segmentId}@${t.at.getTime()}`;
  await db().reminder.createMany({
    data: [{ shopId: t.shopId, friendId: t.friendId, kind: "winback", subjectKey, dueAt: t.at, retryKey: crypto.randomUUID() }],
    skipDuplicates: true,
  });
  const r = await db().reminder.findUniqueOrThrow({
    where: { shopId_kind_subjectKey_friendId: { shopId: t.shopId, kind: "winback", subjectKey, friendId: t.friendId } },
  });
  if (r.status === "scheduled")
    await enqueue("automations.send-lifecycle-reminder", { reminderId: r.id }, { jobId: `lifecycle:${r.id}:${r.dueAt.getTime()}` });
  return "scheduled";
}

export type SendOutcome = "sent" | "skipped" | "rescheduled" | "not_due" | "done";

async function skip(r: Reminder, reason: string): Promise<SendOutcome> {
  await db().reminder.updateMany({ where: { id: r.id, status: "scheduled" }, data: { status: "skipped", reason } });
  return "skipped";
}

async function trackedFor(shop: Shop, kind: LifecycleKind, url: string, friendId: number): Promise<string> {
  if (!url) return "";
  const link = await createTrackedLink({
    shopId: shop.id,
    url,
    sourceType: "automation",
    sourceId: AUTOMATION_SOURCE_ID[kind],
    area: kind,
    tag: kind,
  });
  return `${link.shortUrl}?f=${encodeURIComponent(signFriendToken(friendId))}`;
}

async function buildText(
  shop: Shop,
  r: Reminder,
  friend: { id: number; displayName: string | null; customerId: number | null },
): Promise<string | { skip: string }> {
  const s = readLifecycleSettings(shop);
  const kind = r.kind as LifecycleKind;
  const facts: Record<string, string | null | undefined> = { displayName: friend.displayName };
  let template: string;
  if (kind === "replenishment") {
    const [productId, lastMs] = r.subjectKey.split("@");
    const customer = friend.customerId ? await db().customer.findUnique({ where: { id: friend.customerId } }) : null;
    if (!customer) return { skip: "not_linked" };
    const cp = await db().customerProduct.findUnique({
      where: {
        shopId_shopifyCustomerId_productId: {
          shopId: shop.id,
          shopifyCustomerId: customer.shopifyCustomerId,
          productId: BigInt(productId!),
        },
      },
    });
    if (!cp || cp.lastPurchasedAt.getTime() !== Number(lastMs)) return { skip: "repurchased" };
    const line = await db().orderLine.findFirst({
      where: { shopId: shop.id, shopifyCustomerId: customer.shopifyCustomerId, productId: BigInt(productId!) },
      orderBy: { purchasedAt: "desc" },
    });
    facts.product = line?.title ?? "your favourite";
    facts.reorderUrl = line?.variantId
      ? await trackedFor(shop, kind, cartPermalink(shop.domain, [{ variantId: line.variantId, quantity: line.quantity }]), friend.id)
      : await trackedFor(shop, kind, `https://${shop.domain}/`, friend.id);
    template = s.replenishment.text;
  } else if (kind === "review") {
    const order = await db().order.findUnique({
      where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: BigInt(r.subjectKey.replace("order:", "")) } },
    });
    if (!order || order.cancelledAt) return { skip: "order_cancelled" };
    facts.orderName = order.name ?? "";
    facts.reviewUrl = await trackedFor(shop, kind, s.review.reviewUrl || order.orderStatusUrl || `https://${shop.domain}/`, friend.id);
    template = s.review.text;
  } else if (kind === "winback") {
    const customer = friend.customerId ? await db().customer.findUnique({ where: { id: friend.customerId } }) : null;
    if (r.subjectKey.startsWith("segment:")) {
      const segmentId = Number(r.subjectKey.slice(8).split("@")[0]);
      if (!(await db().segmentMembership.findUnique({ where: { segmentId_friendId: { segmentId, friendId: friend.id } } })))
        return { skip: "left_segment" };
    } else if (!customer?.lastPurchaseAt || `winback@${customer.lastPurchaseAt.getTime()}` !== r.subjectKey)
      return { skip: "purchased_again" };
    facts.shopUrl = await trackedFor(shop, kind, s.winback.shopUrl || `https://${shop.domain}/`, friend.id);
    template = s.winback.text;
  } else {
    template = s.welcome.text;
    if (!friend.customerId && s.welcome.linkPromptText) {
      facts.linkUrl = s.welcome.linkUrl ? await trackedFor(shop, kind, s.welcome.linkUrl, friend.id) : "";
      template = `${template}\n${s.welcome.linkPromptText}`;
    }
  }
  const text = template.replace(/\{\{\s*(\w+)\s*(?:\|([^}]*))?\}\}/g, (m, key: string, fb?: string) =>
    key === "displayName" ? renderText(m, { displayName: friend.displayName }) : (facts[key] ?? fb ?? "").trim(),
  );
  // The saved template is within LINE's 5,000 units, but a product title or link can push the filled-in
  // text over, and LINE would refuse the whole push: shorten the tail instead, between characters.
  return truncateFor("messageText", text, "…");
}

/** automations.send-lifecycle-reminder: re-check everything at the moment of sending, then push once. */
export async function sendLifecycleReminder(reminderId: number, now = new Date()): Promise<SendOutcome> {
  const r = await db().reminder.findUnique({ where: { id: reminderId } });
  if (!r || r.status !== "scheduled") return "done";
  if (!(LIFECYCLE_KINDS as readonly string[]).includes(r.kind)) return "done";
  if (r.dueAt.getTime() > now.getTime() + 1000) return "not_due";
  const shop = await db().shop.findUniqueOrThrow({ where: { id: r.shopId } });
  const settings = readLifecycleSettings(shop);
  const kind = r.kind as LifecycleKind;
  if (!settings[kind].enabled) return skip(r, "automation_off");
  if (isStale(r.dueAt, now, settings.graceDays)) return skip(r, "stale");
  const friend = await db().friend.findUnique({ where: { id: r.friendId } });
  if (!friend || !friend.following || friend.blockedAt) return skip(r, "blocked");
  if (friend.marketingOptOut) return skip(r, "opted_out");
  if (settings[kind].segmentIds.length) {
    const member = await db().segmentMembership.findFirst({ where: { friendId: friend.id, segmentId: { in: settings[kind].segmentIds } } });
    if (!member) return skip(r, "segment_filter");
  }
  if (!lineSecrets(shop)) return skip(r, "no_line_channel");
  const text = await buildText(shop, r, friend);
  if (typeof text !== "string") return skip(r, text.skip);
  // The messaging engineer's sendPush applies the shared policy (opt-out, quiet hours, one frequency
  // cap across broadcasts and automations), records the MessageSend and sends with our retry key.
  const result = await sendPush({
    shopId: shop.id,
    friendId: friend.id,
    kind: "automation",
    sourceType: "automation",
    sourceId: AUTOMATION_SOURCE_ID[kind],
    messages: [{ type: "text", text }],
    retryKey: r.retryKey,
    now,
    loaded: { shop, friend },
  });
  if (result.status === "deferred") {
    await db().reminder.update({ where: { id: r.id }, data: { dueAt: result.until } });
    await enqueue(
      "automations.send-lifecycle-reminder",
      { reminderId: r.id },
      { jobId: `lifecycle:${r.id}:${result.until.getTime()}`, delay: delayUntil(result.until) },
    );
    return "rescheduled";
  }
  if (result.status !== "sent") return skip(r, result.reason);
  await db().reminder.update({ where: { id: r.id }, data: { status: "sent", sentAt: now } });
  return "sent";
}

export type LifecycleReport = Record<
  LifecycleKind,
  { scheduled: number; sent: number; skipped: Record<string, number>; clicks: number; orders: number; revenue: number }
>;

export async function lifecycleReport(shopId: number): Promise<LifecycleReport> {
  const byStatus = await db().reminder.groupBy({
    by: ["kind", "status", "reason"],
    where: { shopId, kind: { in: [...LIFECYCLE_KINDS] } },
    _count: { _all: true },
  });
  const clicks = await db().linkClick.groupBy({ by: ["sourceId"], where: { shopId, sourceType: "automation" }, _count: { _all: true } });
  const attr = await db().attribution.groupBy({
    by: ["sourceId"],
    where: { shopId, sourceType: "automation" },
    _count: { _all: true },
    _sum: { revenue: true },
  });
  const out = {} as LifecycleReport;
  for (const kind of LIFECYCLE_KINDS) {
    const rows = byStatus.filter((x) => x.kind === kind);
    const sid = AUTOMATION_SOURCE_ID[kind];
    const a = attr.find((x) => x.sourceId === sid);
    out[kind] = {
      scheduled: rows.filter((x) => x.status === "scheduled").reduce((n, x) => n + x._count._all, 0),
      sent: rows.filter((x) => x.status === "sent").reduce((n, x) => n + x._count._all, 0),
      skipped: Object.fromEntries(rows.filter((x) => x.status === "skipped").map((x) => [x.reason ?? "unknown", x._count._all])),
      clicks: clicks.find((x) => x.sourceId === sid)?._count._all ?? 0,
      orders: a?._count._all ?? 0,
      revenue: Number(a?._sum.revenue ?? 0),
    };
  }
  return out;
}
