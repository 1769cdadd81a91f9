// Loads the facts the single-friend evaluator needs, for a handful of friends at once.
import { db } from "~/db.server";
import { friendFacts, type FriendFacts } from "~/domain/segments/evaluate";
import type { Provider } from "~/domain/integrations/types";

export async function shopTimeZone(shopId: number): Promise<string> {
  const shop = await db().shop.findUnique({ where: { id: shopId }, select: { timezone: true } });
  if (!shop) throw new Error(`Unknown shop ${shopId}`);
  return shop.timezone;
}

/** All facts in one round trip of parallel queries (joined through Friend, so nothing waits on the friend row). */
export async function loadFriendFacts(shopId: number, friendIds: number[]): Promise<Map<number, FriendFacts>> {
  const out = new Map<number, FriendFacts>();
  if (!friendIds.length) return out;
  const q = db().$queryRawUnsafe.bind(db());
  const [friends, tags, products, clicks, taps, contacts] = await Promise.all([
    q<
      Array<{
        id: number;
        followedAt: Date | null;
        following: boolean;
        marketingOptOut: boolean;
        cid: number | null;
        purchaseCount: number;
        lastPurchaseAt: Date | null;
        amountSpent: string;
        tags: string[];
        abandonedCheckoutAt: Date | null;
      }>
    >(
      `SELECT f.id, f."followedAt", f.following, f."marketingOptOut", c.id AS cid, c."purchaseCount", c."lastPurchaseAt", c."amountSpent"::text AS "amountSpent", c.tags, c."abandonedCheckoutAt"
         FROM "Friend" f LEFT JOIN "Customer" c ON c.id = f."customerId" AND c."shopId" = f."shopId"
        WHERE f."shopId" = $1 AND f.id = ANY($2::int[])`,
      shopId,
      friendIds,
    ),
    q<Array<{ friendId: number; name: string }>>(
      `SELECT ft."friendId", t.name FROM "FriendTag" ft JOIN "Tag" t ON t.id = ft."tagId" WHERE t."shopId" = $1 AND ft."friendId" = ANY($2::int[])`,
      shopId,
      friendIds,
    ),
    q<Array<{ friendId: number; productId: string; lastPurchasedAt: Date }>>(
      `SELECT f.id AS "friendId", cp."productId"::text AS "productId", cp."lastPurchasedAt"
         FROM "Friend" f JOIN "Customer" c ON c.id = f."customerId" AND c."shopId" = f."shopId"
         JOIN "CustomerProduct" cp ON cp."shopId" = c."shopId" AND cp."shopifyCustomerId" = c."shopifyCustomerId"
        WHERE f."shopId" = $1 AND f.id = ANY($2::int[])`,
      shopId,
      friendIds,
    ),
    q<Array<{ friendId: number; at: Date; linkId: number; tag: string | null }>>(
      `SELECT lc."friendId", lc.at, lc."linkId", tl.tag FROM "LinkClick" lc LEFT JOIN "TrackedLink" tl ON tl.id = lc."linkId" AND tl."shopId" = lc."shopId"
        WHERE lc."shopId" = $1 AND lc."friendId" = ANY($2::int[])`,
      shopId,
      friendIds,
    ),
    q<Array<{ friendId: number; at: Date; richMenuId: number | null; area: string | null }>>(
      `SELECT "friendId", at, "richMenuId", area FROM "RichMenuTap" WHERE "shopId" = $1 AND "friendId" = ANY($2::int[])`,
      shopId,
      friendIds,
    ),
    q<Array<{ friendId: number; provider: Provider; properties: Record<string, unknown>; lists: string[] }>>(
      `SELECT ic."friendId", ic.provider, ic.properties,
              COALESCE(array_agg(m."listExternalId") FILTER (WHERE m."listExternalId" IS NOT NULL), '{}') AS lists
         FROM "IntegrationContact" ic
         LEFT JOIN "IntegrationListMember" m ON m."shopId" = ic."shopId" AND m.provider = ic.provider AND m."contactExternalId" = ic."externalId"
        WHERE ic."shopId" = $1 AND ic."friendId" = ANY($2::int[])
        GROUP BY ic.id`,
      shopId,
      friendIds,
    ),
  ]);
  for (const f of friends)
    out.set(
      f.id,
      friendFacts({
        followedAt: f.followedAt,
        following: f.following,
        marketingOptOut: f.marketingOptOut,
        customer:
          f.cid !== null
            ? {
                purchaseCount: f.purchaseCount,
                lastPurchaseAt: f.lastPurchaseAt,
                amountSpent: Number(f.amountSpent),
                tags: f.tags,
                abandonedCheckoutAt: f.abandonedCheckoutAt,
              }
            : null,
      }),
    );
  for (const t of tags) out.get(t.friendId)?.tags.push(t.name);
  for (const p of products) out.get(p.friendId)?.products.push({ productId: p.productId, lastPurchasedAt: p.lastPurchasedAt });
  for (const k of clicks) out.get(k.friendId)?.linkClicks.push({ at: k.at, linkId: k.linkId, linkTag: k.tag });
  for (const t of taps) out.get(t.friendId)?.taps.push({ at: t.at, richMenuId: t.richMenuId, area: t.area });
  for (const c of contacts) out.get(c.friendId)?.contacts.push({ provider: c.provider, properties: c.properties, lists: c.lists });
  return out;
}
