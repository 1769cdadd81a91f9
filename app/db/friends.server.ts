// Friend rows: lookups by LINE user id, the follow/unfollow upserts and the Friends page listing
// (keyset pagination by id desc; every filter is on shopId + an indexed column so it stays fast at
// 1M friends per shop).
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";

function findFriend(shopId: number, lineUserId: string) {
  return db().friend.findUnique({ where: { shopId_lineUserId: { shopId, lineUserId } } });
}

/**
 * follow: a new friend is added at the event time; a returning one (unblocked or re-added) keeps its
 * first followedAt. Rows imported from a CSV before the first follow get their followedAt now.
 */
export async function upsertFollowedFriend(shopId: number, lineUserId: string, at: Date) {
  const existing = await findFriend(shopId, lineUserId);
  if (!existing) {
    try {
      return {
        friend: await db().friend.create({ data: { shopId, lineUserId, followedAt: at, following: true, lastActivityAt: at } }),
        created: true,
      };
    } catch (err) {
      // A concurrent event for the same user created it first.
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")) throw err;
    }
  }
  const friend = await db().friend.update({
    where: { shopId_lineUserId: { shopId, lineUserId } },
    data: {
      following: true,
      blockedAt: null,
      lastActivityAt: at,
      ...(existing && !existing.followedAt ? { followedAt: at } : {}),
    },
  });
  return { friend, created: false };
}

/** Any other event from a user we have no row for (e.g. messages from before the app was installed). */
export async function ensureFriend(shopId: number, lineUserId: string, at: Date) {
  return db().friend.upsert({
    where: { shopId_lineUserId: { shopId, lineUserId } },
    create: { shopId, lineUserId, following: true, lastActivityAt: at },
    update: { lastActivityAt: at },
  });
}

export type LinkFilter = "all" | "linked" | "unlinked";
export type FollowFilter = "all" | "following" | "blocked";

export interface FriendListQuery {
  shopId: number;
  search?: string;
  link?: LinkFilter;
  follow?: FollowFilter;
  tagId?: number;
  /** Keyset cursor: list friends with id < before. */
  before?: number;
  /** Keyset cursor for "previous page": friends with id > after (returned newest first). */
  after?: number;
  pageSize?: number;
}

export async function listFriends(q: FriendListQuery) {
  const pageSize = Math.min(Math.max(q.pageSize ?? 50, 1), 200);
  const where: Prisma.FriendWhereInput = { shopId: q.shopId };
  const and: Prisma.FriendWhereInput[] = [];
  const s = q.search?.trim();
  if (s) {
    if (/^U[0-9a-f]{32}$/.test(s)) and.push({ lineUserId: s });
    else if (/^(gid:\/\/shopify\/Customer\/)?\d+$/.test(s)) {
      const customer = await db().customer.findUnique({
        where: { shopId_shopifyCustomerId: { shopId: q.shopId, shopifyCustomerId: BigInt(s.replace(/\D+/g, "")) } },
        select: { id: true },
      });
      and.push({ customerId: customer?.id ?? -1 });
    } else {
      // Anywhere in the name, in any case: a merchant searching "yui" means "Tanaka Yui" too.
      and.push({ displayName: { contains: s, mode: "insensitive" } });
    }
  }
  if (q.link === "linked") and.push({ customerId: { not: null } });
  if (q.link === "unlinked") and.push({ customerId: null });
  if (q.follow === "following") and.push({ following: true });
  if (q.follow === "blocked") and.push({ following: false });
  if (q.tagId) and.push({ id: { in: await friendIdsWithTag(q.shopId, q.tagId) } });
  if (q.before) and.push({ id: { lt: q.before } });
  if (q.after) and.push({ id: { gt: q.after } });
  if (and.length) where.AND = and;

  // "Previous page" walks ascending from the cursor, then is flipped to newest first.
  const rows = await db().friend.findMany({ where, orderBy: { id: q.after ? "asc" : "desc" }, take: pageSize + 1 });
  const hasMore = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (q.after) page.reverse();
  const customerIds = page.map((f) => f.customerId).filter((id): id is number => id !== null);
  const [customers, tags] = await Promise.all([
    customerIds.length ? db().customer.findMany({ where: { shopId: q.shopId, id: { in: customerIds } } }) : [],
    page.length
      ? db().friendTag.findMany({
          where: { shopId: q.shopId, friendId: { in: page.map((f) => f.id) } },
          include: { tag: { select: { name: true } } },
        })
      : [],
  ]);
  const byCustomer = new Map(customers.map((c) => [c.id, c]));
  const tagsByFriend = new Map<number, string[]>();
  for (const t of tags) tagsByFriend.set(t.friendId, [...(tagsByFriend.get(t.friendId) ?? []), t.tag.name]);
  const items = page.map((f) => ({
    friend: f,
    customer: f.customerId ? (byCustomer.get(f.customerId) ?? null) : null,
    tags: tagsByFriend.get(f.id) ?? [],
  }));
  return {
    items,
    // Cursors for the page links (ids of the first/last row shown).
    nextBefore: q.after ? (page.length ? page[page.length - 1].id : undefined) : hasMore ? page[page.length - 1]?.id : undefined,
    prevAfter: q.after ? (hasMore ? page[0]?.id : undefined) : q.before && page.length ? page[0].id : undefined,
  };
}

/** Tag filter: bounded to one page's worth of candidates via the (tagId, friendId) index. */
async function friendIdsWithTag(shopId: number, tagId: number): Promise<number[]> {
  const rows = await db().friendTag.findMany({
    where: { shopId, tagId },
    select: { friendId: true },
    orderBy: { friendId: "desc" },
    take: 100_000,
  });
  return rows.map((r) => r.friendId);
}

/**
 * The friend linked to each of the shop's customers (Shopify customer id as a decimal string →
 * friend ids; one at most, `Friend (shopId, customerId)` is unique; customers without a friend are
 * absent). One indexed read for many customers.
 */
export async function linkedFriendIds(shopId: number, shopifyCustomerIds: readonly bigint[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (!shopifyCustomerIds.length) return out;
  const rows = await db().$queryRaw<Array<{ id: number; shopifyCustomerId: bigint }>>`
    SELECT f.id, c."shopifyCustomerId" FROM "Customer" c JOIN "Friend" f ON f."shopId" = c."shopId" AND f."customerId" = c.id
     WHERE c."shopId" = ${shopId} AND c."shopifyCustomerId" = ANY(${shopifyCustomerIds.map(String)}::bigint[])`;
  for (const r of rows) {
    const key = String(r.shopifyCustomerId);
    out.set(key, [...(out.get(key) ?? []), r.id]);
  }
  return out;
}
