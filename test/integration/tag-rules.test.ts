// Tag rules under load: one signed LINE webhook batch from many senders is processed by concurrent
// jobs; the loop guard must count hops per causation chain, not across all jobs of the worker.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { createSegment } from "~/services/segments/segments.server";
import { applyTagRules, createTag, createTagRule } from "~/services/tags/tags.server";
import { connectedShop, startLineTestEnv, type LineTestEnv } from "./line-support";

let env: LineTestEnv;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  env = await startLineTestEnv();
  // The production default: many jobs of one batch run at the same time.
  worker = await startWorker({ concurrency: 20, sweeps: false });
});
afterAll(async () => {
  await worker?.stop();
  await env?.close();
});

const idle = async () => expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);

describe("tag rules", () => {
  it("a keyword rule tags every one of 30 senders of one signed webhook batch", async () => {
    const { shop, ch } = await connectedShop(env);
    const coupon = await createTag(shop.id, { name: "Coupon" });
    const hot = await createTag(shop.id, { name: "Hot" });
    await createTagRule(shop.id, { trigger: "keyword", match: "coupon", action: "add", tagId: coupon.id });
    // A second hop per sender (keyword → tag → segment enter → tag) keeps every chain busy longer.
    const seg = await createSegment(shop.id, {
      name: "Coupon askers",
      definition: { groups: [{ conditions: [{ field: "tag", op: "has", value: "Coupon" }] }] },
    });
    await createTagRule(shop.id, { trigger: "segment_enter", match: String(seg.id), action: "add", tagId: hot.id });

    const users = Array.from({ length: 30 }, (_, i) => env.emu.state.createUser({ displayName: `S${i}` }));
    const r = await env.ctl.sendWebhookEvents(
      ch.channelId,
      users.map((u) => ({ type: "message" as const, userId: u.userId, text: "Coupon" })),
    );
    expect(r.status).toBe(200);
    await idle();

    const tagged = async (tagId: number) => {
      const ids = (await db().friendTag.findMany({ where: { shopId: shop.id, tagId } })).map((t) => t.friendId);
      return (await db().friend.findMany({ where: { shopId: shop.id, id: { in: ids } } })).map((f) => f.lineUserId).sort();
    };
    const all = users.map((u) => u.userId).sort();
    expect(await tagged(coupon.id)).toEqual(all);
    expect(await tagged(hot.id)).toEqual(all);
  });

  it("still stops a real loop: rules that undo each other end after a few hops", async () => {
    const { shop } = await connectedShop(env);
    const flip = await createTag(shop.id, { name: "Flip" });
    // Entering "without Flip" adds Flip (→ leave), leaving removes it (→ enter), forever without a guard.
    const seg = await createSegment(shop.id, {
      name: "Without Flip",
      definition: { groups: [{ conditions: [{ field: "tag", op: "hasNot", value: "Flip" }] }] },
    });
    await createTagRule(shop.id, { trigger: "segment_enter", match: String(seg.id), action: "add", tagId: flip.id });
    await createTagRule(shop.id, { trigger: "segment_leave", match: String(seg.id), action: "remove", tagId: flip.id });
    const friend = await db().friend.create({ data: { shopId: shop.id, lineUserId: `Uloop${shop.id}`, followedAt: new Date() } });

    const result = await applyTagRules({ shopId: shop.id, friendId: friend.id, kind: "segment_enter", values: [String(seg.id)] });
    expect(result.added).toEqual([flip.id]);
    await idle();
    // Bounded: a handful of flips happened, then the guard stopped the chain (the call returned).
    const flipRows = await db().friendTag.count({ where: { shopId: shop.id, friendId: friend.id } });
    expect(flipRows).toBeLessThanOrEqual(1);
  });
});
