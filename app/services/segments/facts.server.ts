// Loads the facts the single-friend evaluator needs, for a handful of friends at once.
import { db } from "~/db.server";
import type { FriendFacts } from "~/domain/segments/evaluate";

export async function shopTimeZone(shopId: number): Promise<string> {
  const shop = await db().shop.findUnique({ where: { id: shopId }, select: { timezone: true } });
  if (!shop) throw new Error(`Unknown shop ${shopId}`);
  return shop.timezone;
}

export async function loadFriendFacts(shopId: number, friendIds: number[]): Promise<Map<number, FriendFacts>> {
  const out = new Map<number, FriendFacts>();
  if (!friendIds.length) return out;
  const friends = await db().friend.findMany({
    where: { shopId, id: { in: friendIds } },
    select: { id: true, followedAt: true, following: true, marketingOptOut: true, customerId: true },
  });
  if (!friends.length) return out;
  const ids = friends.map((f) => f.id);
  const customerIds = friends.map((f) => f.customerId).filter((x): x is number => x !== null);
  const [customers, tags, clicks, taps] = await Promise.all([
    customerIds.length
      ? db().customer.findMany({
          where: { shopId, id: { in: customerIds } },
          select: { id: true, shopifyCustomerId: true, purchaseCount: true, lastPurchaseAt: true, amountSpent: true, tags: true, abandonedCheckoutAt: true },
        })
      : [],
    db().friendTag.findMany({ where: { shopId, friendId: { in: ids } }, select: { friendId: true, tag: { select: { name: true, shopId: true } } } }),
    db().$queryRawUnsafe<Array<{ friendId: number; at: Date; linkId: number; tag: string | null }>>(
      `SELECT lc."friendId", lc.at, lc."linkId", tl.tag FROM "LinkClick" lc LEFT JOIN "TrackedLink" tl ON tl.id = lc."linkId" AND tl."shopId" = lc."shopId"
        WHERE lc."shopId" = $1 AND lc."friendId" = ANY($2::int[])`,
      shopId,
      ids,
    ),
    db().richMenuTap.findMany({ where: { shopId, friendId: { in: ids } }, select: { friendId: true, at: true, richMenuId: true, area: true } }),
  ]);
  const byCustomer = new Map(customers.map((c) => [c.id, c]));
  const products = customers.length
    ? await db().customerProduct.findMany({
        where: { shopId, shopifyCustomerId: { in: customers.map((c) => c.shopifyCustomerId) } },
        select: { shopifyCustomerId: true, productId: true, lastPurchasedAt: true },
      })
    : [];
  const productsByCustomer = new Map<bigint, FriendFacts["products"]>();
  for (const p of products) {
    const list = productsByCustomer.get(p.shopifyCustomerId) ?? [];
    list.push({ productId: p.productId.toString(), lastPurchasedAt: p.lastPurchasedAt });
    productsByCustomer.set(p.shopifyCustomerId, list);
  }
  for (const f of friends) {
    const c = f.customerId !== null ? byCustomer.get(f.customerId) : undefined;
    out.set(f.id, {
      followedAt: f.followedAt,
      following: f.following,
      marketingOptOut: f.marketingOptOut,
      tags: [],
      customer: c
        ? { purchaseCount: c.purchaseCount, lastPurchaseAt: c.lastPurchaseAt, amountSpent: Number(c.amountSpent), tags: c.tags, abandonedCheckoutAt: c.abandonedCheckoutAt }
        : null,
      products: c ? (productsByCustomer.get(c.shopifyCustomerId) ?? []) : [],
      linkClicks: [],
      taps: [],
    });
  }
  for (const t of tags) if (t.tag.shopId === shopId) out.get(t.friendId)?.tags.push(t.tag.name);
  for (const k of clicks) out.get(k.friendId)?.linkClicks.push({ at: k.at, linkId: k.linkId, linkTag: k.tag });
  for (const t of taps) out.get(t.friendId)?.taps.push({ at: t.at, richMenuId: t.richMenuId, area: t.area });
  return out;
}
