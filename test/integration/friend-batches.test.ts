// Batched reactions (app/adapters/queue/friend-batches.server.ts): a burst of fact changes for many
// friends of one shop costs one segment job and one menu job per second, not one of each per friend;
// a friend changed again while its batch runs is run again; a failed run loses no friend. Real Redis
// (this file's QUEUE_PREFIX) and PostgreSQL; no worker runs here: the test runs the jobs' processors.
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { queue } from "~/adapters/queue/queues.server";
import {
  BATCH_MAX,
  BATCH_WINDOW_MS,
  addPendingFriends,
  enqueueStrandedBatches,
  pendingFriends,
  runPendingFriends,
} from "~/adapters/queue/friend-batches.server";
import { processors } from "~/jobs/registry.server";
import { emit } from "~/reactions.server";
import { createSegment } from "~/services/segments/segments.server";
import { addTagToFriends, createTag } from "~/services/tags/tags.server";
import { shopWithFriends } from "../support/segment-fixtures";

afterEach(() => vi.restoreAllMocks());

const jobsOf = async (name: string, shopId: number) =>
  [
    ...(await queue("inbound").getJobs(["waiting", "delayed", "active", "completed"])),
    ...(await queue("line-outbound").getJobs(["waiting", "delayed", "active", "completed"])),
  ].filter((j) => j?.name === name && j.data.shopId === shopId);

describe("batched reactions", () => {
  it("fifty friends' fact changes within one second: one segment job and one menu job for the shop, covering all fifty", async () => {
    const { shop, friends } = await shopWithFriends(50, new Date(), "batch");
    // Every emit inside one window (the start of the next second + 5 ms), whatever this machine's speed.
    const t0 = (Math.floor(Date.now() / BATCH_WINDOW_MS) + 1) * BATCH_WINDOW_MS + 5;
    vi.spyOn(Date, "now").mockReturnValue(t0);
    for (const [i, f] of friends.entries())
      await emit(
        "customer.facts-changed",
        { shopId: shop.id, shopifyCustomerId: String(9000 + i), cause: "orders/create", exists: true, friendIds: [f.id] },
        `burst-${i}`,
      );
    vi.restoreAllMocks();
    for (const name of ["segments.reevaluate-friends", "rich-menus.sync-friends"] as const) {
      const jobs = await jobsOf(name, shop.id);
      expect(jobs.map((j) => [j.id, j.data])).toEqual([
        [`${name}:pending:${shop.id}:${Math.floor(t0 / BATCH_WINDOW_MS)}`, { shopId: shop.id, pending: true }],
      ]);
      // It runs when the window ends (Bull's delay), after every add of that window.
      expect(Number(jobs[0]!.timestamp) + Number(jobs[0]!.opts.delay)).toBe((Math.floor(t0 / BATCH_WINDOW_MS) + 1) * BATCH_WINDOW_MS);
      expect((await pendingFriends(name, shop.id)).sort((a, b) => a - b)).toEqual(friends.map((f) => f.id).sort((a, b) => a - b));
    }
  });

  it("the pending job refreshes every pending friend's segments in one run and empties the set", async () => {
    const { shop, friends } = await shopWithFriends(3, new Date(), "batchseg");
    const vip = await createTag(shop.id, { name: "VIP" });
    const seg = await createSegment(shop.id, {
      name: "VIPs",
      definition: { groups: [{ conditions: [{ field: "tag", op: "has", value: "VIP" }] }] },
    });
    expect(seg.memberCount).toBe(0);
    // Tags written behind the service's back: only the batched refresh can bring the memberships up to date.
    const [a, b, c] = friends.map((f) => f.id) as [number, number, number];
    await db().friendTag.createMany({ data: [a, b].map((friendId) => ({ shopId: shop.id, friendId, tagId: vip.id })) });
    await db().segmentMembership.create({ data: { shopId: shop.id, segmentId: seg.id, friendId: c, enteredAt: new Date() } });
    await addPendingFriends("segments.reevaluate-friends", shop.id, [a, b, c]);
    const out = await processors["segments.reevaluate-friends"].run({ shopId: shop.id, pending: true }, {} as never);
    expect(out).toEqual({ friends: 3, result: 3 });
    const members = await db().segmentMembership.findMany({
      where: { segmentId: seg.id },
      select: { friendId: true },
      orderBy: { friendId: "asc" },
    });
    expect(members.map((m) => m.friendId)).toEqual([a, b]);
    expect(await pendingFriends("segments.reevaluate-friends", shop.id)).toEqual([]);
    // Its transitions were emitted once each: a tags.apply-rules reaction per entered / left row.
    const rules = (await queue("inbound").getJobs(["waiting", "delayed"])).filter(
      (j) => j?.name === "tags.apply-rules" && j.data.shopId === shop.id,
    );
    expect(rules.map((j) => [j.data.friendId, j.data.kind]).sort()).toEqual(
      [
        [a, "segment_enter"],
        [b, "segment_enter"],
        [c, "segment_leave"],
      ].sort(),
    );
    // Nothing pending: a job that finds the set empty does nothing.
    expect(await processors["segments.reevaluate-friends"].run({ shopId: shop.id, pending: true }, {} as never)).toEqual({ friends: 0 });
    await addTagToFriends(shop.id, vip.id, [c]); // the service path still refreshes inline
    expect(await db().segmentMembership.count({ where: { segmentId: seg.id } })).toBe(3);
  });

  it("a friend added again while its batch runs stays pending for its own window's job; a failed run loses nobody", async () => {
    const { shop, friends } = await shopWithFriends(2, new Date(), "batchrace");
    const [a, b] = friends.map((f) => f.id) as [number, number];
    const job = "segments.reevaluate-friends" as const;
    await addPendingFriends(job, shop.id, [a, b]);
    await expect(
      runPendingFriends(job, shop.id, async () => {
        throw new Error("database down");
      }),
    ).rejects.toThrow(/database down/);
    expect((await pendingFriends(job, shop.id)).sort()).toEqual([a, b].sort());

    // A newer fact change for `a` lands while the batch works on the older one, in a later window.
    const later = (Math.floor(Date.now() / BATCH_WINDOW_MS) + 5) * BATCH_WINDOW_MS;
    const ran = await runPendingFriends(job, shop.id, async (ids) => {
      await addPendingFriends(job, shop.id, [a], later);
      return ids.length;
    });
    expect(ran).toEqual({ friends: 2, result: 2 });
    expect(await pendingFriends(job, shop.id)).toEqual([a]);
    const jobIds = (await jobsOf(job, shop.id)).map((j) => String(j.id));
    expect(jobIds).toContain(`${job}:pending:${shop.id}:${later / BATCH_WINDOW_MS}`);
    expect(await runPendingFriends(job, shop.id, async (ids) => ids)).toEqual({ friends: 1, result: [a] });
    expect(await pendingFriends(job, shop.id)).toEqual([]);
  });

  it("a full batch leaves the rest to a job that runs at once", async () => {
    const { shop } = await shopWithFriends(1, new Date(), "batchfull");
    const job = "segments.reevaluate-friends" as const;
    const ids = Array.from({ length: BATCH_MAX + 5 }, (_, i) => 1_000_000 + i);
    await addPendingFriends(job, shop.id, ids);
    const first = await runPendingFriends(job, shop.id, async (batch) => batch.length);
    expect(first).toEqual({ friends: BATCH_MAX, result: BATCH_MAX });
    expect(await pendingFriends(job, shop.id)).toEqual(ids.slice(BATCH_MAX));
    const more = (await jobsOf(job, shop.id)).filter((j) => String(j.id).startsWith(`${job}:pending:${shop.id}:more:`));
    expect(more.map((j) => [j.data, j.opts.delay ?? 0])).toEqual([[{ shopId: shop.id, pending: true }, 0]]);
  });

  it("the minute sweep asks for a job for every shop whose friends wait without one", async () => {
    const { shop, friends } = await shopWithFriends(1, new Date(), "batchsweep");
    const job = "rich-menus.sync-friends" as const;
    await addPendingFriends(job, shop.id, [friends[0]!.id]);
    for (const j of await jobsOf(job, shop.id)) await j.remove(); // the window's job was lost
    expect(await enqueueStrandedBatches()).toBeGreaterThanOrEqual(1);
    const jobs = await jobsOf(job, shop.id);
    expect(jobs.map((j) => j.data)).toEqual([{ shopId: shop.id, pending: true }]);
    // Once the set is empty the shop leaves the sweep's list.
    await runPendingFriends(job, shop.id, async () => 0);
    const stillListed = await queue("inbound").client.sismember(`${process.env.QUEUE_PREFIX}:friend-batch-index`, `${job}:${shop.id}`);
    expect(stillListed).toBe(0);
  });
});
