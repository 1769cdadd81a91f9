// Job names follow `<area>.<verb-object>` (area = the feature folder under app/services), and jobs
// already in Redis under a name from before the rename (in flight at a deploy) are still processed.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { JOB_ALIASES, queue, removeRenamedRepeatables } from "~/adapters/queue/queues.server";
import { processors } from "~/jobs/registry.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { createSegment } from "~/services/segments/segments.server";
import { uniqueShop } from "../support/shopify";

const SERVICES = path.resolve(import.meta.dirname, "../../app/services");
/** Feature folders, plus the areas of the top-level services: shops.server.ts and webhook-*.server.ts. */
const AREAS = new Set([
  ...fs
    .readdirSync(SERVICES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name),
  "shops",
  "webhooks",
]);

describe("job names", () => {
  it("every job is <area>.<verb-object> with a real area", () => {
    const bad = Object.keys(processors).filter((name) => {
      const m = /^([a-z-]+)\.([a-z]+(?:-[a-z]+)*)$/.exec(name);
      return !m || !AREAS.has(m[1]!);
    });
    expect(bad).toEqual([]);
  });

  it("every old name points at a current job and none is still in use", () => {
    for (const [old, current] of Object.entries(JOB_ALIASES)) {
      expect(processors).toHaveProperty([current]);
      expect(processors).not.toHaveProperty([old]);
    }
  });
});

describe("jobs enqueued under an old name before a deploy", () => {
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  beforeAll(async () => {
    // A schedule kept in Redis under an old name, as the previous release left it.
    await queue("scheduled").add("webhooks.sweep", {}, { repeat: { every: 60_000 }, jobId: "webhooks.sweep" });
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it("are processed by the worker as their current job; old repeatable schedules are dropped", async () => {
    const shop = await db().shop.create({ data: { domain: uniqueShop("jobnames"), timezone: "Asia/Tokyo" } });
    const segment = await createSegment(
      shop.id,
      { name: "Has VIP", definition: { groups: [{ conditions: [{ field: "tag", op: "has", value: "VIP" }] }] } },
      new Date(),
      { refresh: "inline" },
    );
    const friend = await db().friend.create({ data: { shopId: shop.id, lineUserId: `U${shop.id}vip`, followedAt: new Date() } });
    const tag = await db().tag.create({ data: { shopId: shop.id, name: "VIP" } });
    await db().friendTag.create({ data: { shopId: shop.id, friendId: friend.id, tagId: tag.id } });
    expect(await db().segmentMembership.count({ where: { segmentId: segment.id } })).toBe(0);

    // In Redis as the previous release wrote it: the old name, straight into Bull.
    await queue("scheduled").add("segments.refresh", { shopId: shop.id, segmentId: segment.id });
    worker = await startWorker({ concurrency: 1, sweeps: false });
    expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);

    expect(await db().segmentMembership.findMany({ where: { segmentId: segment.id }, select: { friendId: true } })).toEqual([
      { friendId: friend.id },
    ]);
    const repeatables = await queue("scheduled").getRepeatableJobs();
    expect(repeatables.map((r) => r.name)).not.toContain("webhooks.sweep");
    expect(await removeRenamedRepeatables()).toBe(0);
  });
});
