// SegmentFacts (one narrow row per friend that segment SQL reads) is kept current by PostgreSQL
// triggers: these tests drive the app's own write paths (linking, order facts, tags, follow state)
// and compare the row with what the source tables say, including two transactions changing one
// friend at once. The trigger text in prisma/sql must be what the migrations install.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { recomputeCustomerFacts } from "~/db/customers.server";
import { linkFriendToCustomer, unlinkFriend } from "~/services/linking/links.server";
import { addTagToFriends, createTag, deleteTag, removeTagFromFriends } from "~/services/tags/tags.server";
import { countSegment } from "~/services/segments/preview.server";
import { disjointGroupParts } from "~/domain/segments/compile-sql";
import { uniqueShop } from "../support/shopify";
import { concurrently } from "../support/segment-fixtures";
import { migrationsDefining, prismaSqlFile } from "../support/migrations";

const NOW = new Date("2026-03-10T03:00:00Z");

async function facts(friendId: number) {
  const rows = await db().$queryRawUnsafe<
    Array<{
      shopId: number;
      followedAt: Date | null;
      following: boolean;
      marketingOptOut: boolean;
      customerId: number | null;
      shopifyCustomerId: string | null;
      purchaseCount: number | null;
      amountSpent: string | null;
      lastPurchaseAt: Date | null;
      abandonedCheckoutAt: Date | null;
      customerTags: string[] | null;
      tagIds: number[];
    }>
  >(
    `SELECT "shopId", "followedAt", following, "marketingOptOut", "customerId", "shopifyCustomerId"::text AS "shopifyCustomerId",
            "purchaseCount", "amountSpent"::text AS "amountSpent", "lastPurchaseAt", "abandonedCheckoutAt", "customerTags", "tagIds"
       FROM "SegmentFacts" WHERE "friendId" = $1`,
    friendId,
  );
  return rows[0] ?? null;
}

/** Rows of the shop whose SegmentFacts differ from a recomputation from Friend, Customer and FriendTag (both ways). */
async function drift(shopId: number) {
  const expected = `SELECT f.id AS "friendId", f."shopId", f."followedAt", f.following, f."marketingOptOut", c.id AS "customerId", c."shopifyCustomerId",
           c."purchaseCount", c."amountSpent", c."lastPurchaseAt", c."abandonedCheckoutAt", c.tags AS "customerTags",
           COALESCE((SELECT array_agg(ft."tagId" ORDER BY ft."tagId") FROM "FriendTag" ft WHERE ft."friendId" = f.id), '{}') AS "tagIds"
      FROM "Friend" f LEFT JOIN "Customer" c ON c.id = f."customerId" AND c."shopId" = f."shopId" WHERE f."shopId" = $1`;
  const actual = `SELECT "friendId", "shopId", "followedAt", following, "marketingOptOut", "customerId", "shopifyCustomerId", "purchaseCount",
           "amountSpent", "lastPurchaseAt", "abandonedCheckoutAt", "customerTags", "tagIds" FROM "SegmentFacts" WHERE "shopId" = $1`;
  return db().$queryRawUnsafe<Array<{ friendId: number }>>(
    `(${expected} EXCEPT ${actual}) UNION ALL (${actual} EXCEPT ${expected})`,
    shopId,
  );
}

async function setup() {
  const shop = await db().shop.create({ data: { domain: uniqueShop("facts"), timezone: "Asia/Tokyo" } });
  const friend = await db().friend.create({
    data: { shopId: shop.id, lineUserId: `U${shop.id}a`, displayName: "A", followedAt: new Date("2026-03-01T00:00:00Z") },
  });
  const customer = await db().customer.create({ data: { shopId: shop.id, shopifyCustomerId: 7001n, tags: ["vip"] } });
  return { shop, friend, customer };
}

async function recordOrder(shop: { id: number; timezone: string }, orderId: bigint, customerId: bigint, price: string, at: Date) {
  await db().$transaction(async (tx) => {
    await tx.order.create({
      data: {
        shopId: shop.id,
        shopifyOrderId: orderId,
        shopifyCustomerId: customerId,
        processedAt: at,
        shopifyUpdatedAt: at,
        totalPrice: price,
        currency: "JPY",
      },
    });
    await recomputeCustomerFacts(tx, shop, customerId, at);
  });
}

describe("SegmentFacts follows the friend's facts", () => {
  it("friend, link, orders, customer tags, unlink, delete", async () => {
    const { shop, friend, customer } = await setup();
    expect(await facts(friend.id)).toMatchObject({
      shopId: shop.id,
      following: true,
      marketingOptOut: false,
      customerId: null,
      tagIds: [],
    });

    await linkFriendToCustomer({ shopId: shop.id, lineUserId: friend.lineUserId, shopifyCustomerId: 7001n, source: "import", now: NOW });
    expect(await facts(friend.id)).toMatchObject({
      customerId: customer.id,
      shopifyCustomerId: "7001",
      purchaseCount: 0,
      customerTags: ["vip"],
    });

    await recordOrder(shop, 9001n, 7001n, "1200.50", new Date("2026-03-05T00:00:00Z"));
    await recordOrder(shop, 9002n, 7001n, "800.00", new Date("2026-03-08T00:00:00Z"));
    expect(await facts(friend.id)).toMatchObject({
      purchaseCount: 2,
      amountSpent: "2000.50",
      lastPurchaseAt: new Date("2026-03-08T00:00:00Z"),
    });

    await db().customer.update({ where: { id: customer.id }, data: { tags: ["vip", "wholesale"], abandonedCheckoutAt: NOW } });
    expect(await facts(friend.id)).toMatchObject({ customerTags: ["vip", "wholesale"], abandonedCheckoutAt: NOW });
    expect(await drift(shop.id)).toEqual([]);

    await unlinkFriend(shop.id, friend.id, "merchant", NOW);
    expect(await facts(friend.id)).toMatchObject({ customerId: null, purchaseCount: null, customerTags: null, abandonedCheckoutAt: null });

    // A customer deleted while still linked (erasure deletes the row): its facts go with it.
    await linkFriendToCustomer({ shopId: shop.id, lineUserId: friend.lineUserId, shopifyCustomerId: 7001n, source: "import", now: NOW });
    expect((await facts(friend.id))?.purchaseCount).toBe(2);
    await db().customer.delete({ where: { id: customer.id } });
    expect(await facts(friend.id)).toMatchObject({ customerId: null, purchaseCount: null });
    expect(await drift(shop.id)).toEqual([]);

    await db().friend.delete({ where: { id: friend.id } });
    expect(await facts(friend.id)).toBeNull();
  });

  it("follow state and consent; unrelated friend updates leave the row alone", async () => {
    const { shop, friend } = await setup();
    // What the unfollow handler writes (app/services/line-events/process.server.ts).
    await db().friend.updateMany({ where: { shopId: shop.id, lineUserId: friend.lineUserId }, data: { following: false, blockedAt: NOW } });
    expect(await facts(friend.id)).toMatchObject({ following: false });
    await db().friend.update({ where: { id: friend.id }, data: { following: true, followedAt: NOW, marketingOptOut: true } });
    expect(await facts(friend.id)).toMatchObject({ following: true, followedAt: NOW, marketingOptOut: true });

    const before = await db().$queryRawUnsafe<Array<{ xmin: string }>>(
      `SELECT xmin::text FROM "SegmentFacts" WHERE "friendId" = $1`,
      friend.id,
    );
    await db().friend.update({ where: { id: friend.id }, data: { lastActivityAt: NOW, richMenuId: 3 } });
    const after = await db().$queryRawUnsafe<Array<{ xmin: string }>>(
      `SELECT xmin::text FROM "SegmentFacts" WHERE "friendId" = $1`,
      friend.id,
    );
    expect(after).toEqual(before);
  });

  it("tags: added, removed, bulk, and a deleted tag (cascade)", async () => {
    const { shop, friend } = await setup();
    const other = await db().friend.create({ data: { shopId: shop.id, lineUserId: `U${shop.id}b`, followedAt: NOW } });
    const vip = await createTag(shop.id, { name: "VIP" });
    const lead = await createTag(shop.id, { name: "Lead" });
    await addTagToFriends(shop.id, vip.id, [friend.id, other.id]);
    await addTagToFriends(shop.id, lead.id, [friend.id]);
    expect((await facts(friend.id))?.tagIds).toEqual([vip.id, lead.id].sort((a, b) => a - b));
    expect((await facts(other.id))?.tagIds).toEqual([vip.id]);

    await removeTagFromFriends(shop.id, vip.id, [friend.id]);
    expect((await facts(friend.id))?.tagIds).toEqual([lead.id]);
    expect(await countSegment(shop.id, { groups: [{ conditions: [{ field: "tag", op: "has", value: "VIP" }] }] }, { now: NOW })).toBe(1);

    await deleteTag(shop.id, lead.id, { force: true });
    expect((await facts(friend.id))?.tagIds).toEqual([]);
    expect(await drift(shop.id)).toEqual([]);
  });

  it("clicks and taps are read from their own tables: a new click counts at once", async () => {
    const { shop, friend } = await setup();
    const link = await db().trackedLink.create({
      data: { shopId: shop.id, code: `f${shop.id}`, url: "https://example.com", sourceType: "broadcast" },
    });
    const clicked = { groups: [{ conditions: [{ field: "linkClicked", op: "gte", value: 1, withinDays: 7 }] }] };
    expect(await countSegment(shop.id, clicked, { now: NOW })).toBe(0);
    await db().linkClick.create({ data: { shopId: shop.id, linkId: link.id, friendId: friend.id, sourceType: "broadcast", at: NOW } });
    expect(await countSegment(shop.id, clicked, { now: NOW })).toBe(1);
  });

  it("a count from several id sets never intersects a set that was read only in part", async () => {
    const { shop } = await setup();
    const link = await db().trackedLink.create({
      data: { shopId: shop.id, code: `g${shop.id}`, url: "https://example.com", sourceType: "broadcast" },
    });
    const friends = [];
    for (let i = 0; i < 6; i++) {
      const f = await db().friend.create({ data: { shopId: shop.id, lineUserId: `U${shop.id}t${i}`, followedAt: NOW } });
      await db().richMenuTap.create({ data: { shopId: shop.id, friendId: f.id, area: "coupon", data: "coupon", at: NOW } });
      friends.push(f);
    }
    // The one who clicked has the highest id: a tap set cut after its first ids (sorted) leaves it out.
    await db().linkClick.create({
      data: { shopId: shop.id, linkId: link.id, friendId: friends.at(-1)!.id, sourceType: "broadcast", at: NOW },
    });
    const def = {
      groups: [
        {
          conditions: [
            { field: "linkClicked", op: "gte", value: 1, withinDays: 7 },
            { field: "richMenuTapped", op: "gte", value: 1, area: "coupon" },
          ],
        },
      ],
    };
    for (const drivingSetMaxIds of [undefined, 0, 1, 2, 3, 6])
      expect(await countSegment(shop.id, def, { now: NOW, drivingSetMaxIds })).toBe(1);
  });

  it("the disjoint parts of an OR count each row once, also a row where an earlier group is NULL", async () => {
    // Every combination of three groups' values (true / false / NULL): 27 rows, 19 with a group true.
    const v = ["true", "false", "NULL"];
    const rows = v.flatMap((a) => v.flatMap((b) => v.map((c) => `(${a}::boolean, ${b}::boolean, ${c}::boolean)`)));
    const from = `(VALUES ${rows.join(", ")}) v(a, b, c)`;
    const count = async (where: string) =>
      (await db().$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM ${from} WHERE ${where}`))[0]!.n;
    expect(await count("v.a OR v.b OR v.c")).toBe(19);
    for (const estimated of [
      [3, 2, 1],
      [1, 2, 3],
      [2, 3, 1],
    ]) {
      const parts = disjointGroupParts(["(v.a)", "(v.b)", "(v.c)"], estimated);
      const counts = await Promise.all(parts.map(count));
      expect(
        counts.reduce((x, y) => x + y),
        parts.join(" | "),
      ).toBe(19);
    }
  });

  it("two transactions changing one friend at once (a tag and an unfollow) both land", async () => {
    const { shop, friend } = await setup();
    const tag = await createTag(shop.id, { name: "VIP" });
    await concurrently(
      (tx) => tx.friendTag.create({ data: { friendId: friend.id, tagId: tag.id, shopId: shop.id } }),
      () => db().friend.update({ where: { id: friend.id }, data: { following: false } }),
    );
    expect(await facts(friend.id)).toMatchObject({ tagIds: [tag.id], following: false });
    expect(await drift(shop.id)).toEqual([]);
  });

  it("a link and an order of that customer at once both land", async () => {
    const { shop, friend, customer } = await setup();
    await concurrently(
      (tx) => tx.friend.update({ where: { id: friend.id }, data: { customerId: customer.id } }),
      () => recordOrder(shop, 9101n, 7001n, "500.00", NOW),
    );
    expect(await facts(friend.id)).toMatchObject({ purchaseCount: 1, amountSpent: "500.00" });
    expect(await drift(shop.id)).toEqual([]);
  });

  it("another shop's customer with the same id is never copied", async () => {
    const { shop, friend } = await setup();
    const elsewhere = await db().shop.create({ data: { domain: uniqueShop("facts-x"), timezone: "UTC" } });
    const foreign = await db().customer.create({ data: { shopId: elsewhere.id, shopifyCustomerId: 1n, purchaseCount: 5 } });
    await db().friend.update({ where: { id: friend.id }, data: { customerId: foreign.id } });
    expect(await facts(friend.id)).toMatchObject({ customerId: null, purchaseCount: null });
    expect(await drift(shop.id)).toEqual([]);
  });
});

describe("trigger text", () => {
  it("prisma/sql/segment-facts.sql is what the newest migration that defines it installs", () => {
    const file = prismaSqlFile("segment-facts.sql");
    const defining = migrationsDefining("FUNCTION segment_facts_refresh");
    expect(defining.length).toBeGreaterThan(0);
    expect(defining[defining.length - 1]!).toContain(file.trim());
  });
  it("prisma/sql/segment-facts-indexes.sql is what the newest migration that defines it installs", () => {
    const file = prismaSqlFile("segment-facts-indexes.sql");
    const defining = migrationsDefining('INDEX IF NOT EXISTS "SegmentFacts_amount_spent_idx"');
    expect(defining.length).toBeGreaterThan(0);
    expect(defining[defining.length - 1]!).toContain(file.trim());
  });
});
