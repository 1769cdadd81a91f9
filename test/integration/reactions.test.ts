// Every process gets the same reactions: emitting an event enqueues its reaction jobs (declared in
// app/reactions.server.ts), whichever modules the emitting process loaded. The CLI is the process
// that used to miss them (no rich-menu or win-back subscriber was loaded there): `tag:add` runs
// here as its own process against this file's PostgreSQL and Redis, and the worker of this test
// process runs what it enqueued.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker";
import { processors } from "~/jobs/registry.server";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { createSegment } from "~/services/segments/segments.server";
import { createMenuFromTemplate, generateImageFor } from "~/services/rich-menus/menus.server";
import { publishMenu, setDefaultMenu } from "~/services/rich-menus/publish.server";
import { saveRules } from "~/services/rich-menus/rules.server";
import { saveLifecycleSettings } from "~/db/settings/lifecycle.server";
import { applyTagRules, createTag, createTagRule } from "~/services/tags/tags.server";
import { emit, REACTIONS, reactionsTo } from "~/reactions.server";
import { queue, QUEUE_NAMES } from "~/adapters/queue/queues.server";
import { connectedShop, startLineTestEnv, type LineTestEnv } from "./line-support";

const ROOT = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

let env: LineTestEnv;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  env = await startLineTestEnv();
  worker = await startWorker({ concurrency: 2, sweeps: false });
});
afterAll(async () => {
  await worker?.stop();
  await env?.close();
});

const idle = async () => expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);

async function publishedMenu(shopId: number, name: string) {
  const m = await createMenuFromTemplate({ shopId, name, template: "compact-2", labels: ["Shop", "Talk to us"] });
  await generateImageFor(shopId, m.id);
  return { id: m.id, ...(await publishMenu(shopId, m.id)) };
}

/** `npm run cli -- …` as a child process, with this test file's database, Redis prefix and LINE emulator. */
async function cli(args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "warn" },
    timeout: 60_000,
  });
  return JSON.parse(stdout);
}

describe("reactions", () => {
  // 90 s: the CLI is a second process (tsx start-up + bootstrap), which takes much of the default 30 s
  // on a loaded 2-core machine.
  it("CLI tag:add → segment entered → the worker syncs the friend's rich menu and schedules the win-back", async () => {
    const { shop, domain, ch } = await connectedShop(env);
    const user = env.emu.state.createUser({ displayName: "Tagged", friendOf: [ch.channelId] });
    const friend = await db().friend.create({ data: { shopId: shop.id, lineUserId: user.userId, followedAt: new Date() } });
    const def = await publishedMenu(shop.id, "Default");
    await setDefaultMenu(shop.id, def.id);
    const vipMenu = await publishedMenu(shop.id, "VIP");
    const vip = await createSegment(shop.id, {
      name: "VIP",
      definition: { groups: [{ conditions: [{ field: "tag", op: "has", value: "vip" }] }] },
    });
    await saveRules(shop.id, [{ kind: "segment", segmentId: vip.id, richMenuId: vipMenu.id }]);
    await saveLifecycleSettings(shop.id, { winback: { enabled: true, dormantSegmentId: vip.id, shopUrl: "https://shop.example/back" } });
    await idle();

    const out = await cli(["tag:add", "--shop", domain, "--tag", "vip", "--user", user.userId]);
    expect(out).toMatchObject({ tag: "vip" });
    await idle();

    expect(await db().segmentMembership.count({ where: { segmentId: vip.id, friendId: friend.id } })).toBe(1);
    expect((await env.ctl.getUserState(ch.channelId, user.userId)).richMenuId).toBe(vipMenu.lineRichMenuId);
    const winback = await db().reminder.findMany({ where: { shopId: shop.id, friendId: friend.id, kind: "winback" } });
    expect(winback).toHaveLength(1);
  }, 90_000);

  it("a tag-rule chain crosses jobs and still stops rules that undo each other", async () => {
    const { shop } = await connectedShop(env);
    const coupon = await createTag(shop.id, { name: "Coupon" });
    const hot = await createTag(shop.id, { name: "Hot" });
    const seg = await createSegment(shop.id, {
      name: "Coupon askers",
      definition: { groups: [{ conditions: [{ field: "tag", op: "has", value: "Coupon" }] }] },
    });
    await createTagRule(shop.id, { trigger: "keyword", match: "coupon", action: "add", tagId: coupon.id });
    await createTagRule(shop.id, { trigger: "segment_enter", match: String(seg.id), action: "add", tagId: hot.id });
    const f = await db().friend.create({ data: { shopId: shop.id, lineUserId: `Uchain${shop.id}`, followedAt: new Date() } });
    await applyTagRules({ shopId: shop.id, friendId: f.id, kind: "keyword", values: ["Coupon"] });
    await idle();
    const names = (await db().friendTag.findMany({ where: { friendId: f.id }, include: { tag: true } })).map((t) => t.tag.name).sort();
    expect(names).toEqual(["Coupon", "Hot"]);

    // Entering "without Flip" adds Flip (→ leave), leaving removes it (→ enter): endless without the hop count.
    const flip = await createTag(shop.id, { name: "Flip" });
    const without = await createSegment(shop.id, {
      name: "Without Flip",
      definition: { groups: [{ conditions: [{ field: "tag", op: "hasNot", value: "Flip" }] }] },
    });
    await createTagRule(shop.id, { trigger: "segment_enter", match: String(without.id), action: "add", tagId: flip.id });
    await createTagRule(shop.id, { trigger: "segment_leave", match: String(without.id), action: "remove", tagId: flip.id });
    const g = await db().friend.create({ data: { shopId: shop.id, lineUserId: `Uloop${shop.id}`, followedAt: new Date() } });
    await applyTagRules({ shopId: shop.id, friendId: g.id, kind: "segment_enter", values: [String(without.id)] });
    await idle();
    const applied = await db().friendTag.count({ where: { friendId: g.id, tagId: flip.id } });
    expect(applied).toBeLessThanOrEqual(1);
  });

  it("every reaction names a job with a processor, and `when` filters per occurrence", () => {
    for (const [type, list] of Object.entries(REACTIONS))
      for (const r of list) expect(processors[r.job], `${type} → ${r.job}`).toBeDefined();
    const facts = { shopId: 1, shopifyCustomerId: "9", exists: true, friendIds: [4] };
    expect(reactionsTo("customer.facts-changed", { ...facts, cause: "customers/update" }, "k").map((r) => r.job)).toEqual([
      "segments.reevaluate-friends",
      "rich-menus.sync-friends",
      "integrations.match-customer",
      "consent.mirror-shopify",
    ]);
    const orderReactions = reactionsTo("customer.facts-changed", { ...facts, cause: "orders/create" }, "k");
    expect(orderReactions.map((r) => r.jobId)).toEqual([
      "segments.reevaluate-friends:customer.facts-changed:k",
      "rich-menus.sync-friends:customer.facts-changed:k",
      "automations.check-friends-carts:customer.facts-changed:k",
      "roi.attribute-orders:customer.facts-changed:k",
      "integrations.match-customer:customer.facts-changed:k",
    ]);
    // The linked friends travel with the event: the segment, menu and cart jobs need no customer
    // lookup, and they are batched per shop (a flash sale's orders share their runs); the others are not.
    for (const r of orderReactions.slice(0, 3)) expect(r.data).toEqual({ shopId: 1, friendIds: [4] });
    expect(orderReactions.map((r) => r.batched ?? false)).toEqual([true, true, true, false, false]);
    // A customer with no LINE friend (most of a shop's customers) costs no segment, menu, cart or
    // consent job: those are the linked friend's.
    expect(reactionsTo("customer.facts-changed", { ...facts, friendIds: [], cause: "orders/create" }, "k").map((r) => r.job)).toEqual([
      "roi.attribute-orders",
      "integrations.match-customer",
    ]);
    expect(reactionsTo("customer.facts-changed", { ...facts, friendIds: [], cause: "customers/update" }, "k").map((r) => r.job)).toEqual([
      "integrations.match-customer",
    ]);
    // A shop without HubSpot / Klaviyo has no contacts to match or write back to.
    expect(
      reactionsTo("customer.facts-changed", { ...facts, cause: "customers/update" }, "k", { integrated: false }).map((r) => r.job),
    ).toEqual(["segments.reevaluate-friends", "rich-menus.sync-friends", "consent.mirror-shopify"]);
    expect(
      reactionsTo("friend.linked", { shopId: 1, friendId: 2, source: "line" }, "k", { integrated: false }).map((r) => r.job),
    ).not.toContain("integrations.match-friend");
  });

  it("customer facts changing enqueue the HubSpot/Klaviyo re-match only when the shop has an integration connected", async () => {
    const { shop } = await connectedShop(env);
    const jobIn = async (jobId: string) => {
      for (const name of QUEUE_NAMES) {
        const job = await queue(name).getJob(jobId);
        if (job) return job.name;
      }
      return null;
    };
    const f = await db().friend.create({ data: { shopId: shop.id, lineUserId: `Ugate${shop.id}`, followedAt: new Date() } });
    const facts = { shopId: shop.id, shopifyCustomerId: "9", exists: true, cause: "customers/update", friendIds: [f.id] };
    const friendEvent = { shopId: shop.id, friendId: f.id, source: "line" };
    await emit("customer.facts-changed", facts, `none-${shop.id}`);
    await emit("friend.linked", friendEvent, `none-${shop.id}`);
    // The segment refresh is batched: a job for the shop's pending friends (it may have run already).
    const segmentJobs = await queue("inbound").getJobs(["delayed", "waiting", "active", "completed"]);
    expect(segmentJobs.some((j) => j?.name === "segments.reevaluate-friends" && j.data.shopId === shop.id && j.data.pending)).toBe(true);
    expect(await jobIn(`integrations.match-customer:customer.facts-changed:none-${shop.id}`)).toBeNull();
    expect(await jobIn(`integrations.match-friend:friend.linked:none-${shop.id}`)).toBeNull();
    expect(await jobIn(`integrations.queue-write-back:friend.linked:none-${shop.id}`)).toBeNull();

    await db().integrationConnection.create({ data: { shopId: shop.id, provider: "klaviyo", authType: "api_key", credentialEnc: "x" } });
    await emit("customer.facts-changed", facts, `connected-${shop.id}`);
    await emit("friend.linked", friendEvent, `connected-${shop.id}`);
    expect(await jobIn(`integrations.match-customer:customer.facts-changed:connected-${shop.id}`)).toBe("integrations.match-customer");
    expect(await jobIn(`integrations.match-friend:friend.linked:connected-${shop.id}`)).toBe("integrations.match-friend");
    expect(await jobIn(`integrations.queue-write-back:friend.linked:connected-${shop.id}`)).toBe("integrations.queue-write-back");
    await idle();
  });
});
