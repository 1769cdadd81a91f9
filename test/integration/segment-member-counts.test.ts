// Segment.memberCount follows SegmentMembership (the friends a broadcast to the segment reaches:
// members who follow and did not opt out) through PostgreSQL triggers, in the same transaction as
// every membership or follow/consent change — never recounted from the segment SQL. These tests
// drive the app's write paths (per-friend and bulk refreshes, tags, follow state, consent,
// saving and deleting segments, deleting friends) and compare the stored count with a count of
// the memberships and, once memberships are current, with countSegment. The trigger text in
// prisma/sql must be what the migrations install.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { ROOT } from "~/adapters/infra/bootstrap.server";
import { createSegment, deleteSegment, updateSegment } from "~/services/segments/segments.server";
import { countSegment } from "~/services/segments/preview.server";
import { refreshFriendMemberships, refreshSegment, refreshShopSegments } from "~/services/segments/memberships.server";
import { addTagToFriends, createTag, removeTagFromFriends } from "~/services/tags/tags.server";
import { setMarketingConsent } from "~/services/consent/consent.server";
import { concurrently, shopWithFriends } from "../support/segment-fixtures";
import { migrationsDefining, prismaSqlFile } from "../support/migrations";

const NOW = new Date("2026-03-10T03:00:00Z");

const tagIs = (name: string) => ({ groups: [{ conditions: [{ field: "tag", op: "has", value: name }] }] });

/** The stored count, and whether it is still the count taken at the save (membersPending). */
async function stored(segmentId: number): Promise<{ memberCount: number | null; pending: boolean } | null> {
  const rows = await db().$queryRawUnsafe<Array<Record<string, unknown>>>(`SELECT * FROM "Segment" WHERE id = $1`, segmentId);
  const r = rows[0];
  return r ? { memberCount: r.memberCount as number | null, pending: r.membersPending === true } : null;
}

/** What memberCount stands for: the segment's memberships whose friend is sendable now. */
async function fromMemberships(segmentId: number): Promise<number> {
  const [r] = await db().$queryRawUnsafe<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM "SegmentMembership" m JOIN "Friend" f ON f.id = m."friendId"
      WHERE m."segmentId" = $1 AND f.following AND f."blockedAt" IS NULL AND NOT f."marketingOptOut"`,
    segmentId,
  );
  return r!.n;
}

async function count(segmentId: number): Promise<number | null> {
  return (await stored(segmentId))?.memberCount ?? null;
}

async function live(shopId: number, segmentId: number): Promise<number> {
  const seg = await db().segment.findUniqueOrThrow({ where: { id: segmentId } });
  return countSegment(shopId, seg.definition, { now: NOW });
}

describe("memberCount follows the memberships", () => {
  it("per-friend refreshes: tags in and out, unfollow, re-follow, consent", async () => {
    const { shop, friends } = await shopWithFriends(4, NOW, "segcount");
    const [a, b, c, d] = friends as [
      (typeof friends)[number],
      (typeof friends)[number],
      (typeof friends)[number],
      (typeof friends)[number],
    ];
    const vip = await createTag(shop.id, { name: "VIP" });
    const seg = await createSegment(shop.id, { name: "VIPs", definition: tagIs("VIP") }, NOW, { refresh: "inline" });
    expect(await stored(seg.id)).toEqual({ memberCount: 0, pending: false });

    // Tag changes on up to 50 friends refresh those friends' memberships one by one.
    await addTagToFriends(shop.id, vip.id, [a.id]);
    expect(await count(seg.id)).toBe(1);
    await addTagToFriends(shop.id, vip.id, [b.id, c.id]);
    expect(await count(seg.id)).toBe(3);
    await removeTagFromFriends(shop.id, vip.id, [b.id]);
    expect(await count(seg.id)).toBe(2);
    expect(await count(seg.id)).toBe(await live(shop.id, seg.id));

    // Unfollow (what the LINE unfollow handler writes): still a member, no longer reachable.
    await db().friend.updateMany({ where: { id: a.id }, data: { following: false, blockedAt: NOW } });
    expect(await db().segmentMembership.count({ where: { segmentId: seg.id, friendId: a.id } })).toBe(1);
    expect(await count(seg.id)).toBe(1);
    expect(await count(seg.id)).toBe(await live(shop.id, seg.id));
    await db().friend.update({ where: { id: a.id }, data: { following: true, blockedAt: null } });
    expect(await count(seg.id)).toBe(2);

    await setMarketingConsent({ shopId: shop.id, friendId: c.id, optedOut: true, source: "keyword", at: NOW });
    expect(await count(seg.id)).toBe(1);
    expect(await count(seg.id)).toBe(await live(shop.id, seg.id));
    await setMarketingConsent({ shopId: shop.id, friendId: c.id, optedOut: false, source: "keyword", at: NOW });
    expect(await count(seg.id)).toBe(2);

    // A member who cannot be reached entering or leaving changes nothing.
    await db().friend.update({ where: { id: d.id }, data: { following: false } });
    await addTagToFriends(shop.id, vip.id, [d.id]);
    expect(await db().segmentMembership.count({ where: { segmentId: seg.id } })).toBe(3);
    expect(await count(seg.id)).toBe(2);
    await removeTagFromFriends(shop.id, vip.id, [d.id]);
    expect(await count(seg.id)).toBe(2);

    // A segment of blocked friends has members, none of whom a broadcast reaches.
    const blocked = await createSegment(
      shop.id,
      { name: "Blocked", definition: { groups: [{ conditions: [{ field: "following", op: "is", value: false }] }] } },
      NOW,
      { refresh: "inline" },
    );
    expect(await db().segmentMembership.count({ where: { segmentId: blocked.id } })).toBe(1);
    expect(await stored(blocked.id)).toEqual({ memberCount: 0, pending: false });
    expect(await count(seg.id)).toBe(await fromMemberships(seg.id));
  });

  it("bulk refreshes; a saved definition shows its count at once, then follows its memberships", async () => {
    const { shop, friends } = await shopWithFriends(60, NOW, "segcount-bulk");
    const vip = await createTag(shop.id, { name: "VIP" });
    await addTagToFriends(
      shop.id,
      vip.id,
      friends.slice(0, 5).map((f) => f.id),
    );
    await db().friend.update({ where: { id: friends[0]!.id }, data: { marketingOptOut: true } });

    // Saved with the default refresh (a queued job, not run here): countSegment's count, pending.
    const seg = await createSegment(shop.id, { name: "VIPs", definition: tagIs("VIP") }, NOW);
    expect(await stored(seg.id)).toEqual({ memberCount: 4, pending: true });
    expect(await db().segmentMembership.count({ where: { segmentId: seg.id } })).toBe(0);
    // Until the job refreshes the segment, per-friend changes leave the saved count alone.
    await addTagToFriends(shop.id, vip.id, [friends[5]!.id]);
    expect(await stored(seg.id)).toEqual({ memberCount: 4, pending: true });
    // The job: memberships follow the definition, counted once, then by the triggers.
    await refreshShopSegments(shop.id, seg.id, NOW);
    expect(await stored(seg.id)).toEqual({ memberCount: 5, pending: false });

    // More than 50 friends tagged at once: one set-based refresh of the segment.
    await addTagToFriends(
      shop.id,
      vip.id,
      friends.slice(6, 60).map((f) => f.id),
    );
    expect(await count(seg.id)).toBe(59);
    await removeTagFromFriends(
      shop.id,
      vip.id,
      friends.slice(10, 60).map((f) => f.id),
    );
    expect(await count(seg.id)).toBe(9);
    expect(await count(seg.id)).toBe(await live(shop.id, seg.id));

    // An edit: the new definition's count at once, the memberships' after the refresh.
    const all = { groups: [] };
    await updateSegment(shop.id, seg.id, { name: "Everyone", definition: all }, NOW);
    expect(await stored(seg.id)).toEqual({ memberCount: 59, pending: true });
    // A refresh that evaluated the previous definition does not end the pending state.
    const [stale] = await db().$queryRawUnsafe<Array<{ r: number | null }>>(
      `SELECT segment_member_count_reset($1::int, $2::jsonb) AS r`,
      seg.id,
      JSON.stringify(tagIs("VIP")),
    );
    expect(stale!.r).toBeNull();
    expect(await refreshSegment(shop.id, seg.id, NOW)).toMatchObject({ entered: 50, left: 0, failed: false });
    expect(await stored(seg.id)).toEqual({ memberCount: 59, pending: false });
    await db().friend.updateMany({
      where: { shopId: shop.id, id: { in: friends.slice(0, 20).map((f) => f.id) } },
      data: { following: false },
    });
    expect(await count(seg.id)).toBe(40);
    expect(await count(seg.id)).toBe(await live(shop.id, seg.id));
  });

  it("a deleted segment; a deleted friend", async () => {
    const { shop, friends } = await shopWithFriends(3, NOW, "segcount-del");
    const vip = await createTag(shop.id, { name: "VIP" });
    await addTagToFriends(
      shop.id,
      vip.id,
      friends.map((f) => f.id),
    );
    const keep = await createSegment(shop.id, { name: "Keep", definition: tagIs("VIP") }, NOW, { refresh: "inline" });
    const gone = await createSegment(shop.id, { name: "Gone", definition: { groups: [] } }, NOW, { refresh: "inline" });
    expect([await count(keep.id), await count(gone.id)]).toEqual([3, 3]);

    expect(await deleteSegment(shop.id, gone.id)).toEqual({ deleted: true });
    expect(await stored(gone.id)).toBeNull();
    expect(await db().segmentMembership.count({ where: { segmentId: gone.id } })).toBe(0);
    // A refresh job queued before the delete finds nothing to do.
    expect(await refreshSegment(shop.id, gone.id, NOW)).toEqual({ entered: 0, left: 0, failed: false });
    expect(await count(keep.id)).toBe(3);

    // A friend deleted (shop/redact deletes them by shopId; any other path alike): the count drops
    // at once, though the membership row goes only with the next refresh.
    await db().friend.delete({ where: { id: friends[0]!.id } });
    expect(await count(keep.id)).toBe(2);
    expect(await refreshSegment(shop.id, keep.id, NOW)).toMatchObject({ left: 1 });
    expect(await count(keep.id)).toBe(2);
    // A blocked friend deleted was not counted: nothing to take away.
    await db().friend.update({ where: { id: friends[1]!.id }, data: { following: false } });
    expect(await count(keep.id)).toBe(1);
    await db().friend.deleteMany({ where: { id: friends[1]!.id } });
    expect(await count(keep.id)).toBe(1);
    expect(await count(keep.id)).toBe(await live(shop.id, keep.id));
  });

  const insertMembership = (segmentId: number, friendId: number, shopId: number) =>
    `INSERT INTO "SegmentMembership" ("segmentId", "friendId", "shopId") VALUES (${segmentId}, ${friendId}, ${shopId})`;

  it("a membership and an unfollow of the same friend at once, in either order", async () => {
    const { shop, friends } = await shopWithFriends(2, NOW, "segcount-race");
    const seg = await createSegment(shop.id, { name: "Manual", definition: tagIs("nobody") }, NOW, { refresh: "inline" });
    const [a, b] = friends as [(typeof friends)[number], (typeof friends)[number]];

    await concurrently(
      (tx) => tx.friend.update({ where: { id: a.id }, data: { following: false } }),
      () => db().$executeRawUnsafe(insertMembership(seg.id, a.id, shop.id)),
    );
    expect(await count(seg.id)).toBe(0);

    await concurrently(
      (tx) => tx.$executeRawUnsafe(insertMembership(seg.id, b.id, shop.id)),
      () => db().friend.update({ where: { id: b.id }, data: { following: false } }),
    );
    expect(await count(seg.id)).toBe(0);

    await concurrently(
      (tx) => tx.segmentMembership.deleteMany({ where: { segmentId: seg.id, friendId: b.id } }),
      () => db().friend.update({ where: { id: b.id }, data: { following: true } }),
    );
    expect(await count(seg.id)).toBe(0);
    expect(await count(seg.id)).toBe(await fromMemberships(seg.id));
  });

  it("equals countSegment after a series of random changes", async () => {
    let seed = 20261203;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const { shop, friends } = await shopWithFriends(12, NOW, "segcount-rnd");
    const alive = friends.map((f) => f.id);
    const tags = [
      await createTag(shop.id, { name: "A" }),
      await createTag(shop.id, { name: "B" }),
      await createTag(shop.id, { name: "C" }),
    ];
    const customers = [];
    for (let i = 0; i < 4; i++)
      customers.push(await db().customer.create({ data: { shopId: shop.id, shopifyCustomerId: BigInt(8000 + i), purchaseCount: i } }));
    const definitions = [
      tagIs("A"),
      {
        groups: [
          {
            conditions: [
              { field: "tag", op: "hasAny", value: ["A", "B"] },
              { field: "marketingConsent", op: "is", value: true },
            ],
          },
        ],
      },
      {
        groups: [
          { conditions: [{ field: "purchaseCount", op: "gte", value: 2 }] },
          { conditions: [{ field: "tag", op: "has", value: "C" }] },
        ],
      },
      { groups: [{ conditions: [{ field: "following", op: "is", value: false }] }] },
      { groups: [] },
    ];
    const segs = [];
    for (const [i, definition] of definitions.entries())
      segs.push(await createSegment(shop.id, { name: `S${i}`, definition }, NOW, { refresh: i % 2 ? "job" : "inline" }));

    const pick = () => alive[rnd(alive.length)]!;
    for (let step = 0; step < 120; step++) {
      const op = rnd(11);
      if (op === 0) await addTagToFriends(shop.id, tags[rnd(3)]!.id, [pick(), pick()]);
      else if (op === 1) await removeTagFromFriends(shop.id, tags[rnd(3)]!.id, [pick()]);
      else if (op === 2) await db().friend.update({ where: { id: pick() }, data: { following: rnd(2) === 0 } });
      else if (op === 3)
        await setMarketingConsent({ shopId: shop.id, friendId: pick(), optedOut: rnd(2) === 0, source: "merchant", at: NOW });
      else if (op === 4) {
        // Link (one friend per customer) or unlink.
        const customerId = rnd(3) ? customers[rnd(4)]!.id : null;
        if (customerId) await db().friend.updateMany({ where: { shopId: shop.id, customerId }, data: { customerId: null } });
        await db().friend.update({ where: { id: pick() }, data: { customerId } });
      } else if (op === 5) await db().customer.update({ where: { id: customers[rnd(4)]!.id }, data: { purchaseCount: rnd(4) } });
      else if (op === 6) await refreshFriendMemberships(shop.id, pick(), NOW);
      else if (op === 7) await refreshShopSegments(shop.id, rnd(2) ? segs[rnd(segs.length)]!.id : undefined, NOW);
      else if (op === 8) {
        const s = segs[rnd(segs.length)]!;
        await updateSegment(shop.id, s.id, { name: s.name, definition: definitions[rnd(definitions.length)] }, NOW);
      } else if (op === 9 && alive.length > 6) {
        const id = alive.splice(rnd(alive.length), 1)[0]!;
        await db().friend.delete({ where: { id } });
      } else {
        const f = await db().friend.create({ data: { shopId: shop.id, lineUserId: `U${shop.id}r${step}`, followedAt: NOW } });
        alive.push(f.id);
      }
      for (const s of segs) {
        const st = (await stored(s.id))!;
        if (!st.pending) expect(st.memberCount, `step ${step} (op ${op}), segment ${s.name}`).toBe(await fromMemberships(s.id));
      }
    }

    // Bring every membership up to date: the stored counts are then countSegment's.
    await refreshShopSegments(shop.id, undefined, NOW);
    for (const id of alive) await refreshFriendMemberships(shop.id, id, NOW);
    for (const s of segs) {
      expect(await stored(s.id)).toEqual({ memberCount: await live(shop.id, s.id), pending: false });
    }

    // The migration's backfill (what existing segments got at deploy) counts the same.
    const before = await Promise.all(segs.map((s) => count(s.id)));
    await db().$executeRawUnsafe(`UPDATE "Segment" SET "memberCount" = NULL WHERE "shopId" = ${shop.id}`);
    await db().$executeRawUnsafe(backfillStatement());
    expect(await Promise.all(segs.map((s) => count(s.id)))).toEqual(before);
  });
});

const MIGRATION = path.join(ROOT, "prisma/migrations/20261203110000_segment_member_counts/migration.sql");

/** The migration's last statement: the backfill of existing segments' counts. */
function backfillStatement(): string {
  const text = fs.readFileSync(MIGRATION, "utf8");
  return text.slice(text.lastIndexOf('UPDATE "Segment" s'));
}

describe("trigger text", () => {
  it("prisma/sql/segment-member-counts.sql is what the newest migration that defines it installs", () => {
    const file = prismaSqlFile("segment-member-counts.sql");
    const defining = migrationsDefining("FUNCTION segment_member_count_reset");
    expect(defining.length).toBeGreaterThan(0);
    expect(defining[defining.length - 1]!).toContain(file.trim());
  });
});
