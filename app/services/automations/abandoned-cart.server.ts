// Abandoned-cart automation (docs/automations.md).
//   customer.facts-changed (checkouts/*, orders/*) → reconcileCustomerCarts: schedule one Reminder per
//   (checkout token, friend) due at abandonedAt + delay (out of quiet hours), move it when the
//   checkout is updated, cancel it when an order completes the checkout, mark sent ones recovered.
//   `automations.send-due-cart-reminders` (one per shop and CART_BATCH_WINDOW_MS, delayed until the window's end)
//   → sendDueCartReminders: claims the shop's due reminders and sends them as one batch — everything
//   re-checked at the moment of sending, the Flex pushed with each reminder's stored retry key, the
//   menu sync asked for. `automations.send-cart-reminder` (one reminder: the sweep, and a push LINE
//   asked us to retry) → sendAbandonedCartReminder, the same checks and send for one.
import crypto from "node:crypto";
import { Prisma, type Checkout, type Friend, type Reminder, type Shop } from "@prisma/client";
import { env } from "~/config/env.server";
import { shortUrl } from "~/domain/tracking/links";
import { db } from "~/db.server";
import { delayUntil, enqueue } from "~/adapters/queue/queues.server";
import { childLogger } from "~/adapters/logger.server";
import { shopLanguage } from "~/i18n/config";
import { parseIsoDuration } from "~/domain/messaging/duration";
import { buildCartReminderFlex, pickCartLocale, type CartItemForFlex, type CartLocale } from "~/domain/messaging/cart-flex";
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
import { RetryableSendError, sendPushes } from "~/services/messaging/send.server";
import { readAbandonedCartSettings } from "~/db/settings/abandoned-cart.server";
import { emit } from "~/reactions.server";
import { createTrackedLinks, signFriendToken } from "~/services/tracking/links.server";
import { readAttributionSettings } from "~/db/settings/attribution.server";

const REMINDER_JOB_OPTIONS = { attempts: 15, backoff: { type: "exponential", delay: 250 } } as const;

const maxAgeMsOf = (c: AbandonedCartConfig) => parseIsoDuration(c.maxAge) ?? 7 * 86_400_000;

/**
 * Reminders due within one window of this many ms share one send job, run at the window's end: a
 * flash sale's 200 reminders due per second are 5 batch jobs instead of 200 (docs/benchmarks.md).
 * The cost: a reminder goes out up to this much after its due time.
 */
const CART_BATCH_WINDOW_MS = 200;
/** Reminders one batch claims and sends at a time. */
const CART_BATCH_SIZE = 100;
/** How long a batch holds its reminders (the sweep re-enqueues them after a crash, 2 min past due). */
const CLAIM_MS = 60_000;

/**
 * Makes sure a send job runs for the shop's reminders due at `dueAt`: the job of dueAt's window
 * (job id per shop and window end; Bull keeps one pending job per id, so reminders of one window
 * share it). A due time already past takes the current window. The window's end is always later
 * than now, so the job found pending is never one already running.
 */
async function enqueueDueSend(shopId: number, dueAt: Date, now = new Date()) {
  const at = Math.max(dueAt.getTime(), now.getTime());
  const end = (Math.floor(at / CART_BATCH_WINDOW_MS) + 1) * CART_BATCH_WINDOW_MS;
  await enqueue(
    "automations.send-due-cart-reminders",
    { shopId, dueBy: end },
    { jobId: `cart-due-${shopId}-${end}`, delay: delayUntil(end), ...REMINDER_JOB_OPTIONS, removeOnComplete: true },
  );
}

/** One reminder's own send job (a push LINE asked us to retry, the sweep): retried with backoff, failed after the last attempt. */
async function enqueueReminderSend(reminderId: number, jobKey: string, delayMs = 0) {
  await enqueue(
    "automations.send-cart-reminder",
    { reminderId },
    { jobId: `reminder-${reminderId}-${jobKey}`, delay: delayMs, ...REMINDER_JOB_OPTIONS },
  );
}

/**
 * Safety net for lost Bull jobs (Redis flushed, job removed): reminders still scheduled well past
 * their due time are enqueued again. The send re-checks everything and reuses the reminder's retry
 * key, so a reminder whose job did run is never sent twice.
 */
export async function sweepOverdueReminders(now = new Date(), graceMs = 120_000) {
  const overdue = await db().reminder.findMany({
    where: {
      kind: ABANDONED_CART,
      status: "scheduled",
      dueAt: { lt: new Date(now.getTime() - graceMs) },
      OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }],
    },
    select: { id: true },
    take: 1000,
  });
  for (const r of overdue) await enqueueReminderSend(r.id, `sweep-${now.getTime()}`);
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

type CartCheckCounts = { scheduled: number; cancelled: number; recovered: number };

/**
 * Bring one customer's abandoned-cart reminders in line with their checkouts and orders (its linked
 * friend's: reconcileFriendsCarts). Kept for `automations.check-customer-carts` jobs queued before
 * the batched `automations.check-friends-carts` replaced them.
 */
export async function reconcileCustomerCarts(shopId: number, shopifyCustomerId: bigint, now = new Date()): Promise<CartCheckCounts> {
  const customer = await db().customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } },
    select: { id: true },
  });
  const friend = customer && (await db().friend.findFirst({ where: { shopId, customerId: customer.id }, select: { id: true } }));
  return friend ? reconcileFriendsCarts(shopId, [friend.id], now) : { scheduled: 0, cancelled: 0, recovered: 0 };
}

/**
 * Bring the abandoned-cart reminders of `friendIds` (those linked to a customer) in line with their
 * customers' checkouts and orders: schedule one per abandoned checkout, move it when the checkout
 * changed, cancel it when an order completed the checkout, mark sent ones recovered. Idempotent:
 * runs on every facts change of a linked customer (webhooks, redeliveries, backfill), batched per shop
 * and second (`automations.check-friends-carts`), so the reads are one statement each for the whole
 * batch: a flash sale's checkouts cost one run per second, not one per checkout. Answers the counts
 * summed over the friends.
 */
export async function reconcileFriendsCarts(shopId: number, friendIds: readonly number[], now = new Date()): Promise<CartCheckCounts> {
  const out = { scheduled: 0, cancelled: 0, recovered: 0 };
  if (!friendIds.length) return out;
  const linked = await db().$queryRaw<Array<{ friendId: number; shopifyCustomerId: bigint }>>`
    SELECT f.id AS "friendId", c."shopifyCustomerId" FROM "Friend" f JOIN "Customer" c ON c.id = f."customerId" AND c."shopId" = f."shopId"
    WHERE f."shopId" = ${shopId} AND f.id = ANY(${[...friendIds]}::int[])`;
  if (!linked.length) return out;
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId } });
  const settings = readAbandonedCartSettings(shop);
  const delayMs = delayMsOf(settings.config);
  const maxAgeMs = maxAgeMsOf(settings.config);
  const reminders = await db().reminder.findMany({
    where: { shopId, kind: ABANDONED_CART, friendId: { in: linked.map((l) => l.friendId) } },
  });
  const horizon = new Date(now.getTime() - Math.max(maxAgeMs, delayMs) - 86_400_000);
  // Each friend's checkouts: its customer's recent ones, and those its reminders are about.
  const candidates = await db().checkout.findMany({
    where: {
      shopId,
      shopifyCustomerId: { in: linked.map((l) => l.shopifyCustomerId) },
      OR: [{ shopifyUpdatedAt: { gte: horizon } }, { token: { in: reminders.map((r) => r.subjectKey) } }],
    },
  });
  const tokens = candidates.map((c) => c.token);
  const orders = tokens.length
    ? await db().order.findMany({
        where: { shopId, checkoutToken: { in: tokens } },
        select: { id: true, checkoutToken: true, totalPrice: true, processedAt: true },
      })
    : [];
  const orderByToken = new Map(orders.map((o) => [o.checkoutToken!, o]));
  const policy = await loadMessagingPolicy(shop);

  // Decide every friend's checkouts first; new reminders are then created in one statement.
  const toCreate: Array<{ friendId: number; token: string; dueAt: Date }> = [];
  const dueTimes: Date[] = [];
  const menuSync = new Set<number>();
  const sentOpen: Array<{ friendId: number; shopifyCustomerId: bigint; reminders: Reminder[] }> = [];
  for (const { friendId, shopifyCustomerId } of linked) {
    const own = reminders.filter((r) => r.friendId === friendId);
    const byToken = new Map(own.map((r) => [r.subjectKey, r]));
    const checkouts = candidates.filter(
      (c) => c.shopifyCustomerId === shopifyCustomerId && (c.shopifyUpdatedAt >= horizon || byToken.has(c.token)),
    );
    for (const c of checkouts) {
      const state = { abandonedAt: c.abandonedAt, completedAt: c.completedAt, hasOrder: orderByToken.has(c.token) };
      const r = byToken.get(c.token);
      if (settings.enabled && isReminderCandidate(state, now, { delayMs, maxAgeMs })) {
        const dueAt = reminderDueAt({ abandonedAt: c.abandonedAt!, delayMs, quietHours: policy.quietHours, timeZone: shop.timezone });
        if (!r) toCreate.push({ friendId, token: c.token, dueAt });
        else if (r.status === "scheduled") {
          if (r.dueAt.getTime() !== dueAt.getTime()) await db().reminder.update({ where: { id: r.id }, data: { dueAt } });
          dueTimes.push(dueAt);
        }
        continue;
      }
      if (!r) continue;
      if (r.status === "scheduled" && (state.completedAt || state.hasOrder)) {
        if (await cancelReminder(r, "cancelled", "order_completed")) out.cancelled++;
        menuSync.add(friendId);
      }
      const order = orderByToken.get(c.token);
      if (r.status === "sent" && order && !r.recoveredOrderId) {
        await markRecovered(r.id, order, now);
        out.recovered++;
        menuSync.add(friendId);
      }
    }
    const open = own.filter((r) => r.status === "sent" && !r.recoveredOrderId && !orderByToken.has(r.subjectKey));
    if (open.length) sentOpen.push({ friendId, shopifyCustomerId, reminders: open });
  }

  if (toCreate.length) {
    // A concurrent run may have created some since our read: then those rows (and their jobs) stand.
    const created = await db().reminder.createManyAndReturn({
      data: toCreate.map((t) => ({
        shopId,
        friendId: t.friendId,
        kind: ABANDONED_CART,
        subjectKey: t.token,
        dueAt: t.dueAt,
        retryKey: crypto.randomUUID(),
      })),
      skipDuplicates: true,
    });
    out.scheduled += created.length;
    const key = (friendId: number, token: string) => `${friendId}:${token}`;
    const createdKeys = new Set(created.map((r) => key(r.friendId, r.subjectKey)));
    const others = toCreate.filter((t) => !createdKeys.has(key(t.friendId, t.token)));
    const existing = others.length
      ? await db().reminder.findMany({
          where: { shopId, kind: ABANDONED_CART, OR: others.map((t) => ({ friendId: t.friendId, subjectKey: t.token })) },
        })
      : [];
    for (const row of [...created, ...existing]) if (row.status === "scheduled") dueTimes.push(row.dueAt);
  }
  // One send job per window (enqueueDueSend): reminders due in the same window share it.
  const windows = new Map<number, Date>();
  for (const d of dueTimes) windows.set(Math.floor(Math.max(d.getTime(), now.getTime()) / CART_BATCH_WINDOW_MS), d);
  for (const dueAt of windows.values()) await enqueueDueSend(shopId, dueAt, now);

  // Recovery by click: an order within the attribution window after the friend clicked the link.
  for (const friendId of await recoverByClick(shop, sentOpen, now)) {
    out.recovered++;
    menuSync.add(friendId);
  }
  for (const friendId of menuSync)
    await emit("cart.closed", { shopId, friendId, switchMenu: settings.config.switchMenu }, `${friendId}:${now.getTime()}`);
  return out;
}

/**
 * Friends' sent, unrecovered reminders whose checkout got no order: each recovered by an order of
 * the friend's customer within the attribution window after the friend clicked its link (one order
 * recovers one reminder). The orders, the reminders that already claimed them and the first clicks
 * are read once for all the friends. Answers the friend of each recovered reminder.
 */
async function recoverByClick(
  shop: Shop,
  sentOpen: ReadonlyArray<{ friendId: number; shopifyCustomerId: bigint; reminders: Reminder[] }>,
  now: Date,
): Promise<number[]> {
  if (!sentOpen.length) return [];
  const windowDays = readAttributionSettings(shop).windowDays;
  const recentOrders = await db().order.findMany({
    where: {
      shopId: shop.id,
      shopifyCustomerId: { in: sentOpen.map((f) => f.shopifyCustomerId) },
      test: false,
      cancelledAt: null,
      processedAt: { gte: new Date(now.getTime() - windowDays * 86_400_000) },
    },
    orderBy: { processedAt: "asc" },
    select: { id: true, shopifyCustomerId: true, checkoutToken: true, totalPrice: true, processedAt: true },
  });
  const claimed = new Set(
    recentOrders.length
      ? (
          await db().reminder.findMany({
            where: { shopId: shop.id, recoveredOrderId: { in: recentOrders.map((o) => o.id) } },
            select: { recoveredOrderId: true },
          })
        ).map((x) => x.recoveredOrderId)
      : [],
  );
  const unclicked = sentOpen.flatMap((f) => f.reminders.filter((r) => !r.clickedAt).map((r) => r.id));
  const firstClicks = new Map(
    unclicked.length
      ? (
          await db().linkClick.groupBy({
            by: ["sourceId"],
            where: { shopId: shop.id, sourceType: "reminder", sourceId: { in: unclicked } },
            _min: { at: true },
          })
        ).map((c) => [c.sourceId, c._min.at])
      : [],
  );
  const recovered: number[] = [];
  for (const f of sentOpen) {
    const orders = recentOrders.filter((o) => o.shopifyCustomerId === f.shopifyCustomerId);
    for (const r of f.reminders) {
      const clickedAt = r.clickedAt ?? firstClicks.get(r.id) ?? null;
      if (clickedAt && !r.clickedAt) await db().reminder.update({ where: { id: r.id }, data: { clickedAt } });
      const order = orders.find(
        (o) => !claimed.has(o.id) && isRecoveredBy({ reminderToken: r.subjectKey, clickedAt, order: o, windowDays }),
      );
      if (order) {
        claimed.add(order.id);
        await markRecovered(r.id, order, now);
        recovered.push(f.friendId);
      }
    }
  }
  return recovered;
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
export function onFriendLinked(shopId: number, friendId: number, now = new Date()) {
  return reconcileFriendsCarts(shopId, [friendId], now);
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

/** The tracked recovery link of each reminder (created on its first send, reused on a retry), signed for its friend. */
async function recoveryLinks(shop: Shop, items: ReadonlyArray<{ r: Reminder; checkout: Checkout; friend: Friend }>): Promise<string[]> {
  const codeOf = new Map<number, string>();
  const existing = await db().trackedLink.findMany({
    where: { shopId: shop.id, sourceType: "reminder", sourceId: { in: items.map((i) => i.r.id) } },
    orderBy: { id: "asc" },
    select: { sourceId: true, code: true },
  });
  for (const l of existing) if (!codeOf.has(l.sourceId!)) codeOf.set(l.sourceId!, l.code);
  const missing = items.filter((i) => !codeOf.has(i.r.id));
  const created = await createTrackedLinks(
    missing.map((i) => ({
      shopId: shop.id,
      url: i.checkout.recoveryUrl ?? `https://${shop.domain}/cart`,
      sourceType: "reminder" as const,
      sourceId: i.r.id,
      area: ABANDONED_CART,
      tag: ABANDONED_CART,
    })),
  );
  missing.forEach((i, k) => codeOf.set(i.r.id, created[k]!.code));
  return items.map((i) => shortUrl(env().SHOPIFY_APP_URL, codeOf.get(i.r.id)!, signFriendToken(i.friend.id)));
}

async function reschedule(r: Reminder, at: Date, now: Date): Promise<void> {
  await db().reminder.updateMany({ where: { id: r.id, status: "scheduled" }, data: { dueAt: at, claimedUntil: null } });
  await enqueueDueSend(r.shopId, at, now);
}

/**
 * Sends one shop's due abandoned-cart reminders, everything checked again at this moment: the
 * automation is on, the checkout is still abandoned and unordered, the friend still linked to the
 * checkout's customer, then sendPushes (policy, retry key, recording). Reads each kind of row once
 * for the whole list. Answers, in `reminders` order, each reminder's outcome, or the
 * RetryableSendError of a push LINE did not accept yet (rate limited, 5xx): that reminder is still
 * scheduled, for the caller to retry.
 */
async function sendCartReminders(shop: Shop, reminders: Reminder[], now: Date): Promise<Array<ReminderOutcome | RetryableSendError>> {
  const out: Array<ReminderOutcome | RetryableSendError> = new Array(reminders.length);
  const settings = readAbandonedCartSettings(shop);
  if (!settings.enabled) {
    for (const [k, r] of reminders.entries()) out[k] = (await cancelReminder(r, "skipped", "automation_off")) ? "skipped" : "done";
    return out;
  }
  const tokens = [...new Set(reminders.map((r) => r.subjectKey))];
  const checkouts = new Map((await db().checkout.findMany({ where: { shopId: shop.id, token: { in: tokens } } })).map((c) => [c.token, c]));
  const ordered = new Set(
    (await db().order.findMany({ where: { shopId: shop.id, checkoutToken: { in: tokens } }, select: { checkoutToken: true } })).map(
      (o) => o.checkoutToken,
    ),
  );
  const delayMs = delayMsOf(settings.config);
  const maxAgeMs = maxAgeMsOf(settings.config);
  let policy: Awaited<ReturnType<typeof loadMessagingPolicy>> | undefined;
  const due: number[] = [];
  for (const [k, r] of reminders.entries()) {
    const checkout = checkouts.get(r.subjectKey);
    const decision = decideAbandonedCart({
      checkout: checkout
        ? { abandonedAt: checkout.abandonedAt, completedAt: checkout.completedAt, hasOrder: ordered.has(r.subjectKey) }
        : null,
      delayMs,
      maxAgeMs,
      now,
    });
    if (decision.action === "cancel") {
      await cancelReminder(r, "cancelled", decision.reason);
      if (decision.reason === "order_completed")
        await emit("cart.closed", { shopId: shop.id, friendId: r.friendId, switchMenu: settings.config.switchMenu }, `reminder-${r.id}`);
      out[k] = "cancelled";
    } else if (decision.action === "wait") {
      policy ??= await loadMessagingPolicy(shop); // read once per batch, only when a reminder must wait
      await reschedule(
        r,
        reminderDueAt({ abandonedAt: checkout!.abandonedAt!, delayMs, quietHours: policy.quietHours, timeZone: shop.timezone }),
        now,
      );
      out[k] = "rescheduled";
    } else due.push(k);
  }
  if (!due.length) return out;

  const friends = new Map(
    (await db().friend.findMany({ where: { shopId: shop.id, id: { in: [...new Set(due.map((k) => reminders[k]!.friendId))] } } })).map(
      (f) => [f.id, f],
    ),
  );
  const customerIds = [...new Set([...friends.values()].map((f) => f.customerId).filter((id): id is number => id !== null))];
  const customers = new Map(
    (
      await db().customer.findMany({
        where: { shopId: shop.id, id: { in: customerIds } },
        select: { id: true, shopifyCustomerId: true, locale: true },
      })
    ).map((c) => [c.id, c]),
  );
  const ready: Array<{ k: number; r: Reminder; checkout: Checkout; friend: Friend; locale: CartLocale }> = [];
  for (const k of due) {
    const r = reminders[k]!;
    const checkout = checkouts.get(r.subjectKey)!;
    const friend = friends.get(r.friendId);
    const customer = friend?.customerId ? customers.get(friend.customerId) : undefined;
    if (!friend || !customer || customer.shopifyCustomerId !== checkout.shopifyCustomerId) {
      out[k] = (await cancelReminder(r, "skipped", "not_linked")) ? "skipped" : "done";
      continue;
    }
    ready.push({ k, r, checkout, friend, locale: pickCartLocale([friend.language, checkout.locale, customer.locale], shopLanguage(shop)) });
  }
  if (!ready.length) return out;

  const urls = await recoveryLinks(shop, ready);
  const results = await sendPushes(
    ready.map(({ r, checkout, friend, locale }, j) => ({
      shopId: shop.id,
      friendId: friend.id,
      kind: "reminder" as const,
      sourceType: "reminder",
      sourceId: r.id,
      messages: [
        buildCartReminderFlex(
          { items: cartItems(checkout), total: checkout.totalPrice.toString(), currency: checkout.currency },
          locale,
          urls[j]!,
          { heading: settings.config.heading[locale], intro: settings.config.intro[locale], button: settings.config.button[locale] },
        ),
      ],
      retryKey: r.retryKey,
      now,
      loaded: { shop, friend },
    })),
  );
  const sent: Array<{ r: Reminder; already: boolean }> = [];
  for (const [j, res] of results.entries()) {
    const { k, r } = ready[j]!;
    if (res instanceof RetryableSendError) out[k] = res;
    else if (res.status === "sent") {
      sent.push({ r, already: res.already });
      out[k] = "sent";
    } else if (res.status === "deferred") {
      await reschedule(r, res.until, now);
      out[k] = "deferred";
    } else {
      await cancelReminder(r, res.status, res.status === "failed" ? res.reason.slice(0, 200) : res.reason);
      out[k] = res.status;
    }
  }
  const sentAt = new Date();
  for (const already of [false, true]) {
    const ids = sent.filter((x) => x.already === already).map((x) => x.r.id);
    if (ids.length)
      await db().reminder.updateMany({
        where: { id: { in: ids }, status: "scheduled" },
        data: { status: "sent", sentAt, reason: already ? "already_accepted" : null },
      });
  }
  // The menu switch rides on the reminder: only a friend who got it sees the cart menu. One sync job
  // for the batch; the key is the batch's reminders, so a re-run batch does not ask twice.
  if (sent.length)
    await emit(
      "cart.reminders-sent",
      { shopId: shop.id, friendIds: [...new Set(sent.map((x) => x.r.friendId))], switchMenu: settings.config.switchMenu },
      `reminders-${crypto
        .createHash("sha256")
        .update(sent.map((x) => x.r.id).join(","))
        .digest("hex")
        .slice(0, 24)}`,
    );
  if (sent.length)
    childLogger({ shop: shop.domain, job: "automations.send-due-cart-reminders" }).info(
      { reminders: sent.map((x) => x.r.id), already: sent.filter((x) => x.already).length },
      "abandoned-cart reminders sent",
    );
  return out;
}

/**
 * `automations.send-due-cart-reminders`: claims the shop's reminders due by now (CART_BATCH_SIZE at a
 * time, oldest first; FOR UPDATE SKIP LOCKED and `claimedUntil`, so batches running side by side take
 * different ones) and sends each batch with sendCartReminders. `dueBy` (epoch ms): the end of the
 * window the job was scheduled for — a job started before it waits for it (≤ 1 s), so every reminder
 * of its window is due when claimed and none goes out early. A push LINE did not accept yet goes to the
 * reminder's own retried job. Answers how many reminders ended in each outcome.
 */
export async function sendDueCartReminders(
  shopId: number,
  now = new Date(),
  dueBy?: number,
): Promise<Partial<Record<ReminderOutcome | "retrying", number>>> {
  const counts: Partial<Record<ReminderOutcome | "retrying", number>> = {};
  const shop = await db().shop.findUnique({ where: { id: shopId } });
  if (!shop) return counts;
  if (dueBy !== undefined && dueBy > now.getTime()) {
    await new Promise((r) => setTimeout(r, Math.min(dueBy - now.getTime(), 1000)));
    now = new Date();
  }
  for (;;) {
    const claimed = await db().$queryRaw<Array<{ id: number }>>`
      UPDATE "Reminder" SET "claimedUntil" = ${new Date(now.getTime() + CLAIM_MS)}::timestamp
      WHERE id IN (
        SELECT id FROM "Reminder"
        WHERE "shopId" = ${shopId} AND kind = ${ABANDONED_CART} AND status = 'scheduled'
          AND "dueAt" <= ${now}::timestamp
          AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now}::timestamp)
        ORDER BY "dueAt" LIMIT ${CART_BATCH_SIZE}
        FOR UPDATE SKIP LOCKED)
      RETURNING id`;
    if (!claimed.length) break;
    const reminders = await db().reminder.findMany({ where: { id: { in: claimed.map((c) => c.id) } }, orderBy: { dueAt: "asc" } });
    const outcomes = await sendCartReminders(shop, reminders, now);
    for (const [k, o] of outcomes.entries()) {
      if (o instanceof RetryableSendError) await enqueueReminderSend(reminders[k]!.id, `retry-${now.getTime()}`, o.retryAfterMs ?? 1000);
      const key = o instanceof RetryableSendError ? "retrying" : o;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    await db().reminder.updateMany({ where: { id: { in: claimed.map((c) => c.id) } }, data: { claimedUntil: null } });
    if (claimed.length < CART_BATCH_SIZE) break;
  }
  return counts;
}

/**
 * `automations.send-cart-reminder`: one reminder, checked and sent as in a batch. Throws the
 * RetryableSendError of a push LINE did not accept yet (the job retries with the same key).
 */
export async function sendAbandonedCartReminder(reminderId: number, now = new Date()): Promise<ReminderOutcome> {
  const r = await db().reminder.findUnique({ where: { id: reminderId } });
  if (!r || r.kind !== ABANDONED_CART || r.status !== "scheduled") return "done";
  if (r.dueAt.getTime() > now.getTime() + DUE_TOLERANCE_MS) {
    await enqueueDueSend(r.shopId, r.dueAt, now); // an older job fired after the due time moved
    return "rescheduled";
  }
  const shop = await db().shop.findUniqueOrThrow({ where: { id: r.shopId } });
  const [outcome] = await sendCartReminders(shop, [r], now);
  if (outcome instanceof RetryableSendError) throw outcome;
  return outcome!;
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
