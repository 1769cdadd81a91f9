// Segments and friend tags as services: CRUD with usage checks, tag rename/delete, bulk tagging
// by segment, membership transitions with time-based re-evaluation jobs, tag rules, and the CLI.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { queue } from "~/adapters/queue/queues.server";
import { pendingFriends } from "~/adapters/queue/friend-batches.server";
import { shopWithFriends } from "../support/segment-fixtures";
import { createSegment, deleteSegment, listSegments, updateSegment } from "~/services/segments/segments.server";
import { previewSegment } from "~/services/segments/preview.server";
import { refreshFriendMemberships } from "~/services/segments/memberships.server";
import {
  addTagToFriends,
  applyTagRules,
  createTag,
  createTagRule,
  deleteTag,
  removeTagFromFriends,
  renameTag,
  tagSegmentMembers,
} from "~/services/tags/tags.server";
import { listTagRows, tagUsages } from "~/db/tags.server";
import { commands as segmentCommands } from "../../scripts/cli/commands/segment";
import { startOfLocalDate } from "~/domain/time/zoned";
import { emit } from "~/reactions.server";

const NOW = new Date("2026-03-10T03:00:00Z");

/**
 * Transitions emitted so far, read from their reaction jobs (no worker runs in this file): every
 * segment.entered / segment.left enqueues one tags.apply-rules job (app/reactions.server.ts).
 */
async function transitions() {
  const jobs = await queue("inbound").getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs
    .filter((j) => j?.name === "tags.apply-rules" && j.data.kind !== "account_linked")
    .sort((a, b) => Number(a.timestamp) - Number(b.timestamp))
    .map((j) => ({
      shopId: j.data.shopId as number,
      friendId: j.data.friendId as number,
      segmentId: Number(j.data.values[0]),
      kind: j.data.kind === "segment_enter" ? "entered" : "left",
      hops: j.data.hops as number,
    }));
}

describe("tags", () => {
  it("rename rewrites segment definitions; delete in use is refused unless forced", async () => {
    const { shop, friends } = await shopWithFriends(3, NOW);
    const vip = await createTag(shop.id, { name: "VIP", kind: "value" });
    await expect(createTag(shop.id, { name: "VIP" })).rejects.toThrow(/already exists/);
    expect(await addTagToFriends(shop.id, vip.id, [friends[0]!.id, friends[1]!.id])).toBe(2);
    const seg = await createSegment(
      shop.id,
      { name: "VIPs", definition: { groups: [{ conditions: [{ field: "tag", op: "has", value: "VIP" }] }] } },
      NOW,
    );
    expect(seg.memberCount).toBe(2);

    const renamed = await renameTag(shop.id, vip.id, "Gold");
    expect(renamed.segmentsUpdated).toEqual([seg.id]);
    const stored = await db().segment.findUniqueOrThrow({ where: { id: seg.id } });
    expect(stored.definition).toEqual({ groups: [{ conditions: [{ field: "tag", op: "has", value: "Gold" }] }] });
    expect((await previewSegment(shop.id, stored.definition, { now: NOW })).count).toBe(2);

    const rows = await listTagRows(shop.id);
    expect(rows.map((r) => [r.name, r.friendCount, r.kind])).toEqual([["Gold", 2, "value"]]);
    expect((await tagUsages(shop.id)).get("Gold")!.segments).toEqual([{ id: seg.id, name: "VIPs" }]);

    const refused = await deleteTag(shop.id, vip.id);
    expect(refused).toEqual({ deleted: false, usedBy: { segments: [{ id: seg.id, name: "VIPs" }], rules: [], menus: [] } });
    expect(await deleteTag(shop.id, vip.id, { force: true })).toEqual({ deleted: true, removedFromFriends: 2 });
    expect(await db().friendTag.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("bulk add/remove by segment in one statement", async () => {
    const { shop } = await shopWithFriends(12, NOW);
    const tag = await createTag(shop.id, { name: "Recent", kind: "engagement" });
    const def = { groups: [{ conditions: [{ field: "friendAddedAt", op: "withinLastDays", value: 5 }] }] };
    expect(await tagSegmentMembers(shop.id, tag.id, def, "add", NOW)).toBe(5);
    expect(await tagSegmentMembers(shop.id, tag.id, def, "add", NOW)).toBe(0);
    expect(await db().friendTag.count({ where: { tagId: tag.id } })).toBe(5);
    expect(
      await tagSegmentMembers(
        shop.id,
        tag.id,
        { groups: [{ conditions: [{ field: "friendAddedAt", op: "withinLastDays", value: 2 }] }] },
        "remove",
        NOW,
      ),
    ).toBe(2);
    expect(await db().friendTag.count({ where: { tagId: tag.id } })).toBe(3);
  });

  it("keyword rules tag a friend; the transition they cause enqueues the segment_enter rules one hop later", async () => {
    const { shop, friends } = await shopWithFriends(1, NOW);
    const f = friends[0]!;
    const coupon = await createTag(shop.id, { name: "Wants coupon", kind: "interest" });
    const hot = await createTag(shop.id, { name: "Hot lead", kind: "stage" });
    const seg = await createSegment(shop.id, {
      name: "Coupon seekers",
      definition: { groups: [{ conditions: [{ field: "tag", op: "has", value: "Wants coupon" }] }] },
    });
    await createTagRule(shop.id, { trigger: "keyword", match: "Coupon", action: "add", tagId: coupon.id });
    await createTagRule(shop.id, { trigger: "segment_enter", match: String(seg.id), action: "add", tagId: hot.id });
    expect(await applyTagRules({ shopId: shop.id, friendId: f.id, kind: "keyword", values: ["hello"] })).toEqual({
      added: [],
      removed: [],
    });
    expect(await applyTagRules({ shopId: shop.id, friendId: f.id, kind: "keyword", values: [" coupon "] })).toEqual({
      added: [coupon.id],
      removed: [],
    });
    const names = (await db().friendTag.findMany({ where: { friendId: f.id }, include: { tag: true } })).map((t) => t.tag.name).sort();
    // The chain continues in a tags.apply-rules job (run by a worker: test/integration/reactions.test.ts).
    expect(names).toEqual(["Wants coupon"]);
    expect(await transitions()).toContainEqual({ shopId: shop.id, friendId: f.id, segmentId: seg.id, kind: "entered", hops: 1 });
    expect((await tagUsages(shop.id)).get("Hot lead")!.rules).toHaveLength(1);
  });
});

describe("segments", () => {
  it("create, list with usage, delete refused while a menu rule uses it", async () => {
    const { shop } = await shopWithFriends(4, NOW);
    const seg = await createSegment(shop.id, {
      name: "New friends",
      folder: "Onboarding",
      definition: { groups: [{ conditions: [{ field: "friendAddedAt", op: "withinLastDays", value: 2 }] }] },
    });
    await expect(createSegment(shop.id, { name: "New friends", definition: { groups: [] } })).rejects.toThrow(/already exists/);
    await expect(updateSegment(shop.id, seg.id, { name: "x", definition: { groups: [{ conditions: [] }] } })).rejects.toThrow(
      /groups\[0\]\.conditions: A group needs at least one condition/,
    );
    const rule = await db().menuRule.create({ data: { shopId: shop.id, position: 0, kind: "segment", segmentId: seg.id, richMenuId: 1 } });
    const list = await listSegments(shop.id);
    expect(list[0]).toMatchObject({ name: "New friends", folder: "Onboarding", usage: [{ kind: "menuRule", id: rule.id, active: true }] });
    expect(await deleteSegment(shop.id, seg.id)).toMatchObject({ deleted: false, usedBy: [{ kind: "menuRule", id: rule.id }] });
    await db().menuRule.delete({ where: { id: rule.id } });
    expect(await deleteSegment(shop.id, seg.id)).toEqual({ deleted: true });
  });

  it("preview excludes blocked and opted-out friends (blocked counted once) and samples newest first", async () => {
    const { shop, friends } = await shopWithFriends(6, NOW);
    await db().friend.update({ where: { id: friends[0]!.id }, data: { following: false, marketingOptOut: true } });
    await db().friend.update({ where: { id: friends[1]!.id }, data: { marketingOptOut: true } });
    const p = await previewSegment(shop.id, { groups: [] }, { now: NOW });
    expect(p).toMatchObject({ count: 4, matched: 6, excluded: { blocked: 1, optedOut: 1 } });
    expect(p.sample.map((s) => s.displayName)).toEqual(["F2", "F3", "F4", "F5"]);
  });

  it("membership transitions and a delayed re-evaluation at the time-based boundary", async () => {
    const { shop, friends } = await shopWithFriends(1, NOW);
    const f = friends[0]!;
    const customer = await db().customer.create({
      data: {
        shopId: shop.id,
        shopifyCustomerId: 77n,
        purchaseCount: 1,
        lastPurchaseAt: new Date("2026-01-01T03:00:00Z"),
        amountSpent: "10",
      },
    });
    await db().friend.update({ where: { id: f.id }, data: { customerId: customer.id } });
    const seg = await createSegment(
      shop.id,
      { name: "Lapsed", definition: { groups: [{ conditions: [{ field: "daysSinceLastPurchase", op: "gte", value: 90 }] }] } },
      NOW,
    );
    const before = await refreshFriendMemberships(shop.id, f.id, NOW);
    expect(before.entered).toEqual([]);
    const due = startOfLocalDate("2026-04-01", "Asia/Tokyo");
    expect(before.nextCheckAt).toEqual(due);
    const job = await queue("scheduled").getJob(`segments.reevaluate:${shop.id}:${f.id}:${due.getTime()}`);
    expect(job?.name).toBe("segments.reevaluate-friend");
    expect(job?.data).toEqual({ shopId: shop.id, friendId: f.id });

    const at = await refreshFriendMemberships(shop.id, f.id, due);
    expect(at.entered).toEqual([seg.id]);
    expect(await refreshFriendMemberships(shop.id, f.id, due)).toMatchObject({ entered: [], left: [] });
    expect((await transitions()).filter((t) => t.friendId === f.id)).toEqual([
      expect.objectContaining({ segmentId: seg.id, kind: "entered" }),
    ]);

    // A new order moves the friend out.
    await db().customer.update({ where: { id: customer.id }, data: { lastPurchaseAt: due, purchaseCount: 2 } });
    expect((await refreshFriendMemberships(shop.id, f.id, due)).left).toEqual([seg.id]);
    expect(await db().segmentMembership.count({ where: { segmentId: seg.id } })).toBe(0);
  });

  it("saving refreshes memberships set-based (inline, or through a segments.refresh-memberships job by default)", async () => {
    const { shop, friends } = await shopWithFriends(4, NOW);
    const def = { groups: [{ conditions: [{ field: "friendAddedAt", op: "withinLastDays", value: 2 }] }] };
    const inline = await createSegment(shop.id, { name: "Inline", definition: def }, NOW, { refresh: "inline" });
    const rows = await db().segmentMembership.findMany({
      where: { segmentId: inline.id },
      select: { friendId: true },
      orderBy: { friendId: "asc" },
    });
    expect(rows.map((r) => r.friendId)).toEqual([friends[0]!.id, friends[1]!.id]);
    expect((await transitions()).filter((t) => t.segmentId === inline.id).map((t) => t.kind)).toEqual(["entered", "entered"]);
    // Time-dependent: the same diff is scheduled for the next shop-local midnight.
    expect(await queue("scheduled").getJob(`segments.refresh-memberships:${shop.id}:day${20522 + 1}`)).toBeTruthy();

    const queued = await createSegment(shop.id, { name: "Queued", definition: def }, NOW);
    const jobs = (await queue("scheduled").getJobs(["waiting"])).filter(
      (j) => j?.name === "segments.refresh-memberships" && j.data.segmentId === queued.id,
    );
    expect(jobs).toHaveLength(1);
  });

  it("tag changes on one friend refresh that friend's memberships", async () => {
    const { shop, friends } = await shopWithFriends(2, NOW);
    const tag = await createTag(shop.id, { name: "Consent", kind: "consent" });
    const seg = await createSegment(shop.id, {
      name: "Consented",
      definition: { groups: [{ conditions: [{ field: "tag", op: "has", value: "Consent" }] }] },
    });
    await addTagToFriends(shop.id, tag.id, [friends[1]!.id]);
    expect(await db().segmentMembership.findMany({ where: { segmentId: seg.id }, select: { friendId: true } })).toEqual([
      { friendId: friends[1]!.id },
    ]);
    await removeTagFromFriends(shop.id, tag.id, [friends[1]!.id]);
    expect(await db().segmentMembership.count({ where: { segmentId: seg.id } })).toBe(0);
  });
});

describe("fact events request a refresh", () => {
  /** Whether the friend waits for the shop's batched segment refresh (friend-batches.server.ts). */
  async function queuedFor(shopId: number, friendId: number) {
    return (await pendingFriends("segments.reevaluate-friends", shopId)).filter((id) => id === friendId);
  }
  it("customer facts changed (ingestion event) and a rich-menu tap counted by a segment", async () => {
    const { shop, friends } = await shopWithFriends(2, NOW);
    const facts = { shopId: shop.id, shopifyCustomerId: "555", cause: "orders/create", exists: true, friendIds: [friends[0]!.id] };
    await emit("customer.facts-changed", facts, "k1");
    // Batched (app/adapters/queue/friend-batches.server.ts): the friend waits in the shop's pending
    // set and a job for the shop's pending friends runs at the end of the second.
    expect(await pendingFriends("segments.reevaluate-friends", shop.id)).toEqual([friends[0]!.id]);
    const pendingJobs = async () =>
      (await queue("inbound").getJobs(["waiting", "delayed"])).filter(
        (j) => j?.name === "segments.reevaluate-friends" && j.data.shopId === shop.id,
      );
    expect((await pendingJobs()).map((j) => j.data)).toContainEqual({ shopId: shop.id, pending: true });
    // Emitting the same occurrence again (a retried job) leaves the friend pending once.
    await emit("customer.facts-changed", facts, "k1");
    expect(await pendingFriends("segments.reevaluate-friends", shop.id)).toEqual([friends[0]!.id]);
    expect((await pendingJobs()).every((j) => j.data.pending === true)).toBe(true);

    await applyTagRules({ shopId: shop.id, friendId: friends[1]!.id, kind: "menu_tap", values: ["x"] });
    expect(await queuedFor(shop.id, friends[1]!.id)).toHaveLength(0);
    await createSegment(shop.id, {
      name: "Tappers",
      definition: { groups: [{ conditions: [{ field: "richMenuTapped", op: "gte", value: 1 }] }] },
    });
    await applyTagRules({ shopId: shop.id, friendId: friends[1]!.id, kind: "menu_tap", values: ["x"] });
    expect(await queuedFor(shop.id, friends[1]!.id)).toHaveLength(1);
  });
});

describe("CLI segment:preview", () => {
  const preview = segmentCommands.find((c) => c.name === "segment:preview")!;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "seg-cli-"));
  it("prints count, excluded and a sample of {lineUserId, displayName, shopifyCustomerId}", async () => {
    const { shop, friends } = await shopWithFriends(3, NOW);
    const c = await db().customer.create({
      data: { shopId: shop.id, shopifyCustomerId: 4242n, purchaseCount: 3, amountSpent: "300", lastPurchaseAt: NOW },
    });
    await db().friend.update({ where: { id: friends[0]!.id }, data: { customerId: c.id } });
    const file = path.join(tmp, "def.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        groups: [
          { conditions: [{ field: "purchaseCount", op: "gte", value: 3 }] },
          { conditions: [{ field: "friendAddedAt", op: "before", value: "2026-03-09" }] },
        ],
      }),
    );
    const out = await preview.run({ shop: shop.domain, file });
    expect(out).toEqual({
      count: 2,
      excluded: { blocked: 0, optedOut: 0 },
      sample: [
        { lineUserId: friends[0]!.lineUserId, displayName: "F0", shopifyCustomerId: "4242" },
        { lineUserId: friends[2]!.lineUserId, displayName: "F2", shopifyCustomerId: null },
      ],
    });
  });
  it("reports an invalid definition with paths and exit code 2", async () => {
    const { shop } = await shopWithFriends(0, NOW);
    const file = path.join(tmp, "bad.json");
    fs.writeFileSync(file, JSON.stringify({ groups: [{ conditions: [{ field: "purchaseCount", op: "gte", value: "3" }] }] }));
    const before = process.exitCode;
    const out = (await preview.run({ shop: shop.domain, file })) as { error: string; issues: Array<{ path: string; message: string }> };
    expect(process.exitCode).toBe(2);
    process.exitCode = before;
    expect(out.error).toBe("Invalid segment definition");
    expect(out.issues[0]!.path).toBe("groups[0].conditions[0].value");
  });
});
