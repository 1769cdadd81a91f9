// Abandoned-cart automation (docs/automations.md).
//   customer.facts-changed (checkouts/*, orders/*) → reconcileCustomerCarts: schedule one Reminder per
//   (checkout token, friend) due at abandonedAt + delay (out of quiet hours), move it when the
//   checkout is updated, cancel it when an order completes the checkout, mark sent ones recovered.
//   `automations.send-cart-reminder` (delayed until dueAt) → sendAbandonedCartReminder: re-checks everything at the
//   moment of sending, asks for a menu sync, pushes the Flex with the reminder's stored retry key.
import crypto from "node:crypto";
import { Prisma, type Checkout, type Friend, type Reminder, type Shop } from "@prisma/client";
import { env } from "~/config/env.server";
import { shortUrl } from "~/domain/tracking/links";
import { db } from "~/db.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { childLogger } from "~/adapters/logger.server";
import { shopLanguage } from "~/i18n/config";
import { parseIsoDuration } from "~/domain/messaging/duration";
import { buildCartReminderFlex, pickCartLocale, type CartItemForFlex } from "~/domain/messaging/cart-flex";
import {
  ABANDONED_CART,
  DUE_TOLERANCE_MS,
  decideAbandonedCart,
  delayMsOf,
  isRecoveredBy,
  isReminderCandidate,
  reminderDueAt,
  type AbandonedCartConfig,
} from "~/domain/reminders/abandoned-cart";
import { loadMessagingPolicy } from "~/db/settings/messaging-policy.server";
import { sendPush } from "~/services/messaging/send.server";
import { readAbandonedCartSettings } from "~/db/settings/abandoned-cart.server";
import { emit } from "~/reactions.server";
import { createTrackedLink, signFriendToken } from "~/services/tracking/links.server";
import { readAttributionSettings } from "~/db/settings/attribution.server";

const REMINDER_JOB_OPTIONS = { attempts: 15, backoff: { type: "exponential", delay: 250 } } as const;

const maxAgeMsOf = (c: AbandonedCartConfig) => parseIsoDuration(c.maxAge) ?? 7 * 86_400_000;

async function enqueueReminderSend(reminderId: number, dueAt: Date, now = new Date()) {
  await enqueue(
    "automations.send-cart-reminder",
    { reminderId },
    { jobId: `reminder-${reminderId}-${dueAt.getTime()}`, delay: Math.max(0, dueAt.getTime() - now.getTime()), ...REMINDER_JOB_OPTIONS },
  );
}

/**
 * Safety net for lost Bull jobs (Redis flushed, job removed): reminders still scheduled well past
 * their due time are enqueued again. The send re-checks everything and reuses the reminder's retry
 * key, so a reminder whose job did run is never sent twice.
 */
export async function sweepOverdueReminders(now = new Date(), graceMs = 120_000) {
  const overdue = await db().reminder.findMany({
    where: { kind: ABANDONED_CART, status: "scheduled", dueAt: { lt: new Date(now.getTime() - graceMs) } },
    select: { id: true },
    take: 1000,
  });
  for (const r of overdue)
    await enqueue(
      "automations.send-cart-reminder",
      { reminderId: r.id },
      { jobId: `reminder-${r.id}-sweep-${now.getTime()}`, ...REMINDER_JOB_OPTIONS },
    );
  return overdue.length;
}

async function cancelReminder(
  r: Pick<Reminder, "id" | "retryKey">,
  status: "cancelled" | "skipped" | "failed",
  reason: string,
): Promise<boolean> {
  const res = await db().reminder.updateMany({ where: { id: r.id, status: "scheduled" }, data: { status, reason } });
  // A send deferred by quiet hours left a pending row: close it so the friend's history is truthful.
  await db().messageSend.updateMany({ where: { retryKey: r.retryKey, status: "pending" }, data: { status: "skipped", error: reason } });
  return res.count > 0;
}

/**
 * Bring one customer's abandoned-cart reminders in line with their checkouts and orders. Idempotent:
 * runs on every facts change of the customer (webhooks, redeliveries, backfill).
 */
export async function reconcileCustomerCarts(
  shopId: number,
  shopifyCustomerId: bigint,
  now = new Date(),
): Promise<{ scheduled: number; cancelled: number; recovered: number }> {
  const out = { scheduled: 0, cancelled: 0, recovered: 0 };
  const customer = await db().customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } },
    select: { id: true },
  });
  if (!customer) return out;
  const friend = await db().friend.findFirst({ where: { shopId, customerId: customer.id } });
  if (!friend) return out;
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId } });
  const settings = readAbandonedCartSettings(shop);
  const delayMs = delayMsOf(settings.config);
  const maxAgeMs = maxAgeMsOf(settings.config);
  const reminders = await db().reminder.findMany({ where: { shopId, kind: ABANDONED_CART, friendId: friend.id } });
  const byToken = new Map(reminders.map((r) => [r.subjectKey, r]));
  const horizon = new Date(now.getTime() - Math.max(maxAgeMs, delayMs) - 86_400_000);
  const checkouts = await db().checkout.findMany({
    where: { shopId, shopifyCustomerId, OR: [{ shopifyUpdatedAt: { gte: horizon } }, { token: { in: [...byToken.keys()] } }] },
  });
  const tokens = checkouts.map((c) => c.token);
  const orders = tokens.length
    ? await db().order.findMany({
        where: { shopId, checkoutToken: { in: tokens } },
        select: { id: true, checkoutToken: true, totalPrice: true, processedAt: true },
      })
    : [];
  const orderByToken = new Map(orders.map((o) => [o.checkoutToken!, o]));
  const policy = await loadMessagingPolicy(shop);
  let menuSync = false;

  for (const c of checkouts) {
    const state = { abandonedAt: c.abandonedAt, completedAt: c.completedAt, hasOrder: orderByToken.has(c.token) };
    const r = byToken.get(c.token);
    if (settings.enabled && isReminderCandidate(state, now, { delayMs, maxAgeMs })) {
      const dueAt = reminderDueAt({ abandonedAt: c.abandonedAt!, delayMs, quietHours: policy.quietHours, timeZone: shop.timezone });
      if (!r) {
        // A concurrent run may have created it since our read: then that row (and its job) stands.
        const [created] = await db().reminder.createManyAndReturn({
          data: [{ shopId, friendId: friend.id, kind: ABANDONED_CART, subjectKey: c.token, dueAt, retryKey: crypto.randomUUID() }],
          skipDuplicates: true,
        });
        const row =
          created ??
          (await db().reminder.findUniqueOrThrow({
            where: { shopId_kind_subjectKey_friendId: { shopId, kind: ABANDONED_CART, subjectKey: c.token, friendId: friend.id } },
          }));
        if (row.status === "scheduled") await enqueueReminderSend(row.id, row.dueAt, now);
        if (created) out.scheduled++;
      } else if (r.status === "scheduled") {
        if (r.dueAt.getTime() !== dueAt.getTime()) await db().reminder.update({ where: { id: r.id }, data: { dueAt } });
        await enqueueReminderSend(r.id, dueAt, now);
      }
      continue;
    }
    if (!r) continue;
    if (r.status === "scheduled" && (state.completedAt || state.hasOrder)) {
      if (await cancelReminder(r, "cancelled", "order_completed")) out.cancelled++;
      menuSync = true;
    }
    const order = orderByToken.get(c.token);
    if (r.status === "sent" && order && !r.recoveredOrderId) {
      await markRecovered(r.id, order, now);
      out.recovered++;
      menuSync = true;
    }
  }

  // Recovery by click: an order within the attribution window after the friend clicked the link.
  const sentOpen = reminders.filter((r) => r.status === "sent" && !r.recoveredOrderId && !orderByToken.has(r.subjectKey));
  if (sentOpen.length) {
    const windowDays = readAttributionSettings(shop).windowDays;
    const recentOrders = await db().order.findMany({
      where: {
        shopId,
        shopifyCustomerId,
        test: false,
        cancelledAt: null,
        processedAt: { gte: new Date(now.getTime() - windowDays * 86_400_000) },
      },
      orderBy: { processedAt: "asc" },
      select: { id: true, checkoutToken: true, totalPrice: true, processedAt: true },
    });
    const claimed = new Set(
      (
        await db().reminder.findMany({
          where: { shopId, recoveredOrderId: { in: recentOrders.map((o) => o.id) } },
          select: { recoveredOrderId: true },
        })
      ).map((x) => x.recoveredOrderId),
    );
    for (const r of sentOpen) {
      const clickedAt = r.clickedAt ?? (await firstClickAt(shopId, r.id));
      if (clickedAt && !r.clickedAt) await db().reminder.update({ where: { id: r.id }, data: { clickedAt } });
      const order = recentOrders.find(
        (o) => !claimed.has(o.id) && isRecoveredBy({ reminderToken: r.subjectKey, clickedAt, order: o, windowDays }),
      );
      if (order) {
        claimed.add(order.id);
        await markRecovered(r.id, order, now);
        out.recovered++;
        menuSync = true;
      }
    }
  }
  if (menuSync)
    await emit("cart.closed", { shopId, friendId: friend.id, switchMenu: settings.config.switchMenu }, `${friend.id}:${now.getTime()}`);
  return out;
}

async function firstClickAt(shopId: number, reminderId: number): Promise<Date | null> {
  const click = await db().linkClick.findFirst({
    where: { shopId, sourceType: "reminder", sourceId: reminderId },
    orderBy: { at: "asc" },
    select: { at: true },
  });
  return click?.at ?? null;
}

async function markRecovered(reminderId: number, order: { id: number; totalPrice: unknown }, now: Date) {
  const clickedAt = await db().reminder.findUnique({ where: { id: reminderId }, select: { shopId: true, clickedAt: true } });
  const click = clickedAt && !clickedAt.clickedAt ? await firstClickAt(clickedAt.shopId, reminderId) : null;
  await db().reminder.updateMany({
    where: { id: reminderId, recoveredOrderId: null },
    data: {
      recoveredOrderId: order.id,
      recoveredRevenue: order.totalPrice as never,
      recoveredAt: now,
      ...(click ? { clickedAt: click } : {}),
    },
  });
}

/** A friend was just linked to a customer (reaction to friend.linked): pick up the customer's open carts. */
export async function onFriendLinked(shopId: number, friendId: number, now = new Date()) {
  const f = await db().friend.findFirst({ where: { id: friendId, shopId }, select: { customerId: true } });
  if (!f?.customerId) return null;
  const c = await db().customer.findUnique({ where: { id: f.customerId }, select: { shopifyCustomerId: true } });
  return c ? reconcileCustomerCarts(shopId, c.shopifyCustomerId, now) : null;
}

export type ReminderOutcome = "sent" | "skipped" | "cancelled" | "rescheduled" | "deferred" | "failed" | "done";

function cartItems(c: Checkout): CartItemForFlex[] {
  const items = Array.isArray(c.lineItems) ? (c.lineItems as Array<Record<string, unknown>>) : [];
  return items.map((i) => ({
    title: String(i.title ?? ""),
    quantity: Number(i.quantity ?? 1),
    price: String(i.price ?? "0"),
    imageUrl: typeof i.imageUrl === "string" ? i.imageUrl : null,
  }));
}

async function recoveryLink(shop: Shop, r: Reminder, c: Checkout, friend: Friend): Promise<string> {
  const target = c.recoveryUrl ?? `https://${shop.domain}/cart`;
  const existing = await db().trackedLink.findFirst({
    where: { shopId: shop.id, sourceType: "reminder", sourceId: r.id },
    orderBy: { id: "asc" },
  });
  const code =
    existing?.code ??
    (
      await createTrackedLink({
        shopId: shop.id,
        url: target,
        sourceType: "reminder",
        sourceId: r.id,
        area: ABANDONED_CART,
        tag: ABANDONED_CART,
      })
    ).code;
  return shortUrl(env().SHOPIFY_APP_URL, code, signFriendToken(friend.id));
}

async function reschedule(r: Reminder, at: Date, now: Date): Promise<void> {
  await db().reminder.updateMany({ where: { id: r.id, status: "scheduled" }, data: { dueAt: at } });
  await enqueueReminderSend(r.id, at, now);
}

/** `automations.send-cart-reminder`: everything is checked again at the moment of sending. */
export async function sendAbandonedCartReminder(reminderId: number, now = new Date()): Promise<ReminderOutcome> {
  const r = await db().reminder.findUnique({ where: { id: reminderId } });
  if (!r || r.kind !== ABANDONED_CART || r.status !== "scheduled") return "done";
  if (r.dueAt.getTime() > now.getTime() + DUE_TOLERANCE_MS) {
    await enqueueReminderSend(r.id, r.dueAt, now); // an older job fired after the due time moved
    return "rescheduled";
  }
  const shop = await db().shop.findUniqueOrThrow({ where: { id: r.shopId } });
  const log = childLogger({ shop: shop.domain, job: "automations.send-cart-reminder", reminder: r.id });
  const settings = readAbandonedCartSettings(shop);
  if (!settings.enabled) return (await cancelReminder(r, "skipped", "automation_off")) ? "skipped" : "done";
  const checkout = await db().checkout.findUnique({ where: { shopId_token: { shopId: shop.id, token: r.subjectKey } } });
  const hasOrder = !!(await db().order.findFirst({ where: { shopId: shop.id, checkoutToken: r.subjectKey }, select: { id: true } }));
  const delayMs = delayMsOf(settings.config);
  const decision = decideAbandonedCart({
    checkout: checkout && { abandonedAt: checkout.abandonedAt, completedAt: checkout.completedAt, hasOrder },
    delayMs,
    maxAgeMs: maxAgeMsOf(settings.config),
    now,
  });
  if (decision.action === "cancel") {
    await cancelReminder(r, "cancelled", decision.reason);
    if (decision.reason === "order_completed")
      await emit("cart.closed", { shopId: shop.id, friendId: r.friendId, switchMenu: settings.config.switchMenu }, `reminder-${r.id}`);
    return "cancelled";
  }
  if (decision.action === "wait") {
    const policy = await loadMessagingPolicy(shop);
    await reschedule(
      r,
      reminderDueAt({ abandonedAt: checkout!.abandonedAt!, delayMs, quietHours: policy.quietHours, timeZone: shop.timezone }),
      now,
    );
    return "rescheduled";
  }
  const friend = await db().friend.findFirst({ where: { id: r.friendId, shopId: shop.id } });
  const customer = friend?.customerId
    ? await db().customer.findUnique({ where: { id: friend.customerId }, select: { shopifyCustomerId: true, locale: true } })
    : null;
  if (!friend || !customer || customer.shopifyCustomerId !== checkout!.shopifyCustomerId)
    return (await cancelReminder(r, "skipped", "not_linked")) ? "skipped" : "done";

  const locale = pickCartLocale([friend.language, checkout!.locale, customer.locale], shopLanguage(shop));
  const url = await recoveryLink(shop, r, checkout!, friend);
  const flex = buildCartReminderFlex(
    { items: cartItems(checkout!), total: checkout!.totalPrice.toString(), currency: checkout!.currency },
    locale,
    url,
    { heading: settings.config.heading[locale], intro: settings.config.intro[locale], button: settings.config.button[locale] },
  );
  const res = await sendPush({
    shopId: shop.id,
    friendId: friend.id,
    kind: "reminder",
    sourceType: "reminder",
    sourceId: r.id,
    messages: [flex],
    retryKey: r.retryKey,
    now,
    loaded: { shop, friend },
  });
  switch (res.status) {
    case "sent":
      await db().reminder.updateMany({
        where: { id: r.id, status: "scheduled" },
        data: { status: "sent", sentAt: new Date(), reason: res.already ? "already_accepted" : null },
      });
      // The menu switch rides on the reminder: only a friend who got it sees the cart menu.
      await emit(
        "cart.reminder-sent",
        { shopId: shop.id, friendId: friend.id, switchMenu: settings.config.switchMenu },
        `reminder-${r.id}`,
      );
      log.info({ already: res.already }, "abandoned-cart reminder sent");
      return "sent";
    case "deferred":
      await reschedule(r, res.until, now);
      return "deferred";
    case "skipped":
      await cancelReminder(r, "skipped", res.reason);
      return "skipped";
    case "failed":
      await cancelReminder(r, "failed", res.reason.slice(0, 200));
      return "failed";
  }
}

/** After the last Bull attempt: the reminder is marked failed where the merchant can see it. */
export async function failReminder(reminderId: number, reason: string) {
  const r = await db().reminder.findUnique({ where: { id: reminderId } });
  if (r) await cancelReminder(r, "failed", `retries exhausted: ${reason}`.slice(0, 200));
}

export interface AbandonedCartResults {
  scheduled: number;
  sent: number;
  cancelled: number;
  failed: number;
  skipped: Record<string, number>;
  clicked: number;
  recoveredOrders: number;
  recoveredRevenue: number;
}

export async function abandonedCartResults(shopId: number, opts: { since?: Date } = {}): Promise<AbandonedCartResults> {
  const where = { shopId, kind: ABANDONED_CART, ...(opts.since ? { createdAt: { gte: opts.since } } : {}) };
  const groups = await db().reminder.groupBy({ by: ["status", "reason"], where, _count: { _all: true } });
  const count = (s: string) => groups.filter((g) => g.status === s).reduce((n, g) => n + g._count._all, 0);
  const sinceSql = opts.since ? Prisma.sql`AND r."createdAt" >= ${opts.since}` : Prisma.empty;
  const clicked = await db().$queryRaw<Array<{ n: bigint }>>`
    SELECT count(DISTINCT r.id)::bigint AS n FROM "Reminder" r
    WHERE r."shopId" = ${shopId} AND r.kind = ${ABANDONED_CART} AND r.status = 'sent' ${sinceSql}
      AND (r."clickedAt" IS NOT NULL OR EXISTS (SELECT 1 FROM "LinkClick" c WHERE c."shopId" = r."shopId" AND c."sourceType" = 'reminder' AND c."sourceId" = r.id))`;
  const recovered = await db().reminder.aggregate({
    where: { ...where, recoveredOrderId: { not: null } },
    _count: { _all: true },
    _sum: { recoveredRevenue: true },
  });
  return {
    scheduled: count("scheduled"),
    sent: count("sent"),
    cancelled: count("cancelled"),
    failed: count("failed"),
    skipped: Object.fromEntries(groups.filter((g) => g.status === "skipped").map((g) => [g.reason ?? "unknown", g._count._all])),
    clicked: Number(clicked[0]?.n ?? 0),
    recoveredOrders: recovered._count._all,
    recoveredRevenue: Number(recovered._sum.recoveredRevenue ?? 0),
  };
}

export async function listReminders(shopId: number, opts: { status?: string; kind?: string; limit?: number } = {}) {
  return db().reminder.findMany({
    where: { shopId, ...(opts.kind ? { kind: opts.kind } : {}), ...(opts.status ? { status: opts.status } : {}) },
    orderBy: { id: "desc" },
    take: Math.min(opts.limit ?? 100, 1000),
  });
}
