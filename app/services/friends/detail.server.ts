// The friend page (/app/friends/<id>): one LINE friend as the merchant needs to see them — LINE
// profile, the linked Shopify customer and their facts, tags, current rich menu and why, marketing
// consent, and the conversation (what the friend sent and what the shop sent), newest first.
// Every query is scoped to the shop: another shop's friend id reads as "not found".
import { db } from "~/db.server";
import { loadRuleSet, ruleCondition } from "~/db/rich-menus.server";
import { tagNames } from "~/db/tags.server";
import { localDayNumber } from "~/domain/time/zoned";
import type { RuleCondition } from "~/domain/rich-menus/intents";
import { afterCursor, mergeTimeline, timelineBoundWhere, type TimelineCursor } from "~/domain/friends/timeline";
import { friendMessageHistory } from "~/services/messaging/send.server";
import { whichMenuFor } from "~/services/rich-menus/rules.server";
import type { WhichMenuWhy } from "~/domain/rich-menus/which-menu";
import { HANDOFF_TAG } from "~/services/rich-menus/postbacks.server";
import { MessageFields, PostbackFields } from "~/adapters/line/webhook.server";

/** Products listed on the friend page (most recently bought first). */
const PRODUCTS_SHOWN = 20;

export interface FriendDetail {
  friend: {
    id: number;
    lineUserId: string;
    displayName: string | null;
    pictureUrl: string | null;
    followedAt: Date | null;
    following: boolean;
    blockedAt: Date | null;
    linkedAt: Date | null;
    linkSource: string | null;
    lastActivityAt: Date | null;
  };
  /** The linked Shopify customer's facts; null when not linked. Money as decimal strings in the shop currency. */
  customer: {
    shopifyCustomerId: string;
    purchaseCount: number;
    amountSpent: string;
    lastPurchaseAt: Date | null;
    /** Whole calendar days in the shop's time zone since the last purchase; null without one. */
    daysSinceLastPurchase: number | null;
    products: Array<{ productId: string; title: string; orderCount: number; quantity: number; lastPurchasedAt: Date }>;
    /** The most recent abandoned checkout (completed and ordered checkouts are not open carts). */
    openCart: { abandonedAt: Date; totalPrice: string; currency: string; itemCount: number; recoveryUrl: string | null } | null;
  } | null;
  tags: Array<{ id: number; name: string; source: string; addedAt: Date }>;
  /** Every tag of the shop, for "add tag". */
  shopTags: Array<{ id: number; name: string }>;
  richMenu: {
    /** What LINE shows the friend now (as last synced); null = the channel default or none. */
    current: { id: number; name: string } | null;
    /** The rule that put it there (1-based position and its condition), null when none did. */
    rule: { position: number; condition: RuleCondition } | null;
    /** The menu the rules choose now, and why (rules / dwell time / default). */
    chosen: ({ id: number | null; name: string | null } & WhichMenuWhy) | null;
  };
  consent: {
    optedOut: boolean;
    /** When the current state began (the last change), null when it never changed. */
    since: Date | null;
    source: string | null;
  };
  /** Since when the friend waits for a person ("Talk to us"), null when not waiting. */
  needsReplySince: Date | null;
}

/** True when `friendId` is a friend of this shop (the friend page's actions 404 otherwise). */
export async function isShopFriend(shopId: number, friendId: number): Promise<boolean> {
  return (await db().friend.count({ where: { shopId, id: friendId } })) > 0;
}

/** The friend page's data; null when `friendId` is not a friend of this shop. */
export async function friendDetail(shopId: number, friendId: number, now = new Date()): Promise<FriendDetail | null> {
  const f = await db().friend.findFirst({ where: { shopId, id: friendId } });
  if (!f) return null;
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { timezone: true } });
  const [customer, tagRows, shopTags, lastConsent, ruleSet, chosen] = await Promise.all([
    f.customerId !== null ? db().customer.findFirst({ where: { shopId, id: f.customerId } }) : null,
    db().friendTag.findMany({ where: { shopId, friendId: f.id }, include: { tag: true }, orderBy: { addedAt: "asc" } }),
    tagNames(shopId, 1000),
    db().consentEvent.findFirst({ where: { shopId, friendId: f.id }, orderBy: { at: "desc" } }),
    loadRuleSet(shopId),
    whichMenuFor(shopId, f.id, now),
  ]);
  const rule = f.richMenuRuleId !== null ? ruleSet.rules.find((r) => r.id === f.richMenuRuleId) : undefined;
  const tags = tagRows.map((t) => ({ id: t.tagId, name: t.tag.name, source: t.source, addedAt: t.addedAt }));
  return {
    friend: {
      id: f.id,
      lineUserId: f.lineUserId,
      displayName: f.displayName,
      pictureUrl: f.pictureUrl,
      followedAt: f.followedAt,
      following: f.following,
      blockedAt: f.blockedAt,
      linkedAt: f.linkedAt,
      linkSource: f.linkSource,
      lastActivityAt: f.lastActivityAt,
    },
    customer: customer
      ? {
          shopifyCustomerId: String(customer.shopifyCustomerId),
          purchaseCount: customer.purchaseCount,
          amountSpent: customer.amountSpent.toFixed(2),
          lastPurchaseAt: customer.lastPurchaseAt,
          daysSinceLastPurchase: customer.lastPurchaseAt
            ? localDayNumber(now, shop.timezone) - localDayNumber(customer.lastPurchaseAt, shop.timezone)
            : null,
          products: await customerProducts(shopId, customer.shopifyCustomerId),
          openCart: await openCart(shopId, customer.shopifyCustomerId),
        }
      : null,
    tags,
    shopTags,
    richMenu: {
      current: f.richMenuId !== null ? { id: f.richMenuId, name: ruleSet.menuNames.get(f.richMenuId) ?? `#${f.richMenuId}` } : null,
      rule: rule ? { position: rule.position + 1, condition: ruleCondition(rule, ruleSet.segmentNames) } : null,
      chosen: chosen
        ? {
            id: chosen.menuId,
            name: chosen.menuName,
            menuName: chosen.menuName,
            wantedRulePosition: chosen.wantedRulePosition,
            wantedMenuName: chosen.wantedMenuName,
            heldUntil: chosen.heldUntil,
          }
        : null,
    },
    consent: { optedOut: f.marketingOptOut, since: lastConsent?.at ?? null, source: lastConsent?.source ?? null },
    needsReplySince: tags.find((t) => t.name === HANDOFF_TAG)?.addedAt ?? null,
  };
}

async function customerProducts(shopId: number, shopifyCustomerId: bigint) {
  const rows = await db().customerProduct.findMany({
    where: { shopId, shopifyCustomerId },
    orderBy: { lastPurchasedAt: "desc" },
    take: PRODUCTS_SHOWN,
  });
  if (!rows.length) return [];
  // Titles as the customer bought them: the latest order line of each product.
  const titles = await db().$queryRaw<Array<{ id: string; title: string }>>`
    SELECT DISTINCT ON ("productId") "productId"::text AS id, title FROM "OrderLine"
     WHERE "shopId" = ${shopId} AND "shopifyCustomerId" = ${shopifyCustomerId} AND "productId" = ANY(${rows.map((r) => r.productId)}::bigint[])
     ORDER BY "productId", "purchasedAt" DESC`;
  const title = new Map(titles.map((t) => [t.id, t.title]));
  return rows.map((r) => ({
    productId: String(r.productId),
    title: title.get(String(r.productId)) ?? String(r.productId),
    orderCount: r.orderCount,
    quantity: r.quantity,
    lastPurchasedAt: r.lastPurchasedAt,
  }));
}

async function openCart(shopId: number, shopifyCustomerId: bigint) {
  const c = await db().checkout.findFirst({
    where: { shopId, shopifyCustomerId, completedAt: null, abandonedAt: { not: null } },
    orderBy: { abandonedAt: "desc" },
  });
  if (!c?.abandonedAt) return null;
  const items = Array.isArray(c.lineItems) ? (c.lineItems as Array<{ quantity?: unknown }>) : [];
  return {
    abandonedAt: c.abandonedAt,
    totalPrice: c.totalPrice.toFixed(2),
    currency: c.currency,
    itemCount: items.reduce((n, i) => n + (typeof i.quantity === "number" ? i.quantity : 1), 0),
    recoveryUrl: c.recoveryUrl,
  };
}

/** One entry of the conversation: what the friend sent ("in") or what the shop sent ("out"). */
export type TimelineEntry =
  | {
      direction: "in";
      id: number;
      at: Date;
      /** LINE message type ("text", "sticker", "image" …) or "postback" (a rich-menu or button tap). */
      type: string;
      /** The text the friend typed, or the tapped postback's data; null for other message types. */
      text: string | null;
    }
  | {
      direction: "out";
      id: number;
      at: Date;
      /** MessageSend.kind: broadcast | reminder | automation | transactional | test. */
      kind: string;
      sourceType: string | null;
      /** The broadcast's name when the source is a broadcast. */
      sourceName: string | null;
      status: string;
      error: string | null;
      sentAt: Date | null;
    };

/** Entries per page of the friend's conversation. */
const TIMELINE_PAGE_SIZE = 20;

/**
 * One page of the friend's conversation, newest first: LINE message/postback events the friend
 * sent (LineEvent, by receivedAt) and the shop's sends (MessageSend, by createdAt). `cursor` is the
 * previous page's `next`. Null when the friend is not the shop's.
 */
export async function friendTimeline(
  shopId: number,
  friendId: number,
  opts: { cursor?: TimelineCursor | null; pageSize?: number } = {},
): Promise<{ items: TimelineEntry[]; next: TimelineCursor | null } | null> {
  const friend = await db().friend.findFirst({ where: { shopId, id: friendId }, select: { id: true, lineUserId: true } });
  if (!friend) return null;
  const pageSize = Math.min(Math.max(opts.pageSize ?? TIMELINE_PAGE_SIZE, 1), 100);
  const inBound = afterCursor(opts.cursor ?? null, "in");
  const outBound = afterCursor(opts.cursor ?? null, "out");
  const [events, sends] = await Promise.all([
    db().lineEvent.findMany({
      where: {
        shopId,
        lineUserId: friend.lineUserId,
        type: { in: ["message", "postback"] },
        ...(inBound ? timelineBoundWhere(inBound, "receivedAt") : {}),
      },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: pageSize + 1,
      select: { id: true, type: true, payload: true, receivedAt: true },
    }),
    friendMessageHistory(shopId, friend.id, { limit: pageSize + 1, after: outBound }),
  ]);
  const broadcastIds = [...new Set(sends.flatMap((s) => (s.sourceType === "broadcast" && s.sourceId !== null ? [s.sourceId] : [])))];
  const broadcasts = broadcastIds.length
    ? await db().broadcast.findMany({ where: { shopId, id: { in: broadcastIds } }, select: { id: true, name: true } })
    : [];
  const broadcastName = new Map(broadcasts.map((b) => [b.id, b.name]));
  const inbound: TimelineEntry[] = events.map((e) => {
    if (e.type === "postback") {
      const p = PostbackFields.safeParse(e.payload);
      return { direction: "in", id: e.id, at: e.receivedAt, type: "postback", text: p.success ? p.data.postback.data : null };
    }
    const m = MessageFields.safeParse(e.payload);
    const type = m.success ? m.data.message.type : "unknown";
    return { direction: "in", id: e.id, at: e.receivedAt, type, text: m.success && type === "text" ? (m.data.message.text ?? null) : null };
  });
  const outbound: TimelineEntry[] = sends.map((s) => ({
    direction: "out",
    id: s.id,
    at: s.createdAt,
    kind: s.kind,
    sourceType: s.sourceType,
    sourceName: s.sourceType === "broadcast" && s.sourceId !== null ? (broadcastName.get(s.sourceId) ?? null) : null,
    status: s.status,
    error: s.error,
    sentAt: s.sentAt,
  }));
  return mergeTimeline(inbound, outbound, pageSize);
}
