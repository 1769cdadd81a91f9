// Klaviyo end to end: connect to the stand-in (seeded from the sandbox store), full sync and then an
// incremental sync through the sync engine and the worker while the stand-in answers every third
// call with 429 + Retry-After — nothing lost, nothing duplicated; then LINE sends of a matched friend
// reach Klaviyo as events exactly once through the outbox, again under 429s. Every request the app
// sent and every answer was valid against Klaviyo's OpenAPI slices.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KlaviyoState, seedKlaviyoStandIn, startKlaviyoStandIn, type KlaviyoStandIn } from "../../emulator/klaviyo";
import { resetEnv } from "~/config/env.server";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { installDevShop } from "~/services/shops.server";
import { connectIntegration, requestIntegrationSync } from "~/services/integrations/connections.server";
import { sweepLineEvents } from "~/services/integrations/line-events.server";
import { uniqueShop } from "../support/shopify";

let kl: KlaviyoStandIn;
let worker: Awaited<ReturnType<typeof startWorker>>;
let shopId: number;

beforeAll(async () => {
  const state = new KlaviyoState();
  seedKlaviyoStandIn(state, { store: { customers: 160, seed: 11, now: new Date("2026-11-30T00:00:00Z") } });
  kl = await startKlaviyoStandIn({ validateResponses: true, state });
  process.env.KLAVIYO_API_BASE_URL = kl.url;
  resetEnv();
  worker = await startWorker({ concurrency: 2, sweeps: false });
  const domain = uniqueShop();
  await installDevShop({ domain });
  shopId = (await db().shop.findUniqueOrThrow({ where: { domain } })).id;
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await kl?.close();
});

/** What the app mirrored, as comparable sets. */
async function mirrored() {
  const where = { shopId, provider: "klaviyo" };
  const contacts = await db().integrationContact.findMany({ where, orderBy: { externalId: "asc" } });
  const members = await db().integrationListMember.findMany({ where });
  const lists = await db().integrationList.findMany({ where });
  return { contacts, members, lists };
}

/** What the stand-in holds, in the app's terms (segment ids carry the "segment:" prefix). */
function truth() {
  const members: string[] = [];
  for (const g of kl.state.groups.values())
    for (const p of g.members.keys()) members.push(`${g.kind === "segment" ? "segment:" : ""}${g.id}|${p}`);
  return { ids: [...kl.state.profiles.keys()].sort(), members: members.sort(), groups: kl.state.groups.size };
}

function expectCleanExchanges() {
  for (const r of kl.state.requests) {
    expect(r.requestProblems, `${r.method} ${r.path}`).toEqual([]);
    expect(r.responseProblems, `${r.method} ${r.path} → ${r.status}`).toEqual([]);
  }
}

describe("Klaviyo sync through the engine", () => {
  it("connect → full sync under a 429 storm: every profile, list, segment and membership once", { timeout: 180_000 }, async () => {
    kl.faults.add({ status: 429, every: 3, retryAfterSeconds: 1 });
    const check = await connectIntegration({
      shopId,
      provider: "klaviyo",
      credential: kl.apiKey,
      lineUserIdProperty: "properties.line_user_id",
    });
    expect(check).toMatchObject({ ok: true, accountId: kl.state.account.id });
    await waitForIdleQueues({ timeoutMs: 120_000, includeDelayedWithinMs: 60_000 });

    const run = await db().integrationSyncRun.findFirstOrThrow({ where: { shopId, provider: "klaviyo" }, orderBy: { id: "desc" } });
    expect(run).toMatchObject({ kind: "full", status: "completed" });
    expect(run.rateLimited).toBeGreaterThan(0);
    expect(kl.faults.fired()).toBeGreaterThan(2);

    const t = truth();
    expect(t.ids.length).toBeGreaterThan(100); // more than one page of profiles
    const m = await mirrored();
    expect(m.contacts.map((c) => c.externalId)).toEqual(t.ids);
    expect(m.members.map((x) => `${x.listExternalId}|${x.contactExternalId}`).sort()).toEqual(t.members);
    expect(m.lists).toHaveLength(t.groups);
    expect(m.lists.filter((l) => l.kind === "segment").every((l) => l.externalId.startsWith("segment:"))).toBe(true);

    const withLine = [...kl.state.profiles.values()].filter((p) => typeof p.properties.line_user_id === "string");
    expect(withLine.length).toBeGreaterThan(0);
    for (const p of withLine) expect(m.contacts.find((c) => c.externalId === p.id)!.lineUserId).toBe(p.properties.line_user_id);
    const props = await db().integrationProperty.findMany({ where: { shopId, provider: "klaviyo" } });
    expect(props.find((p) => p.name === "properties.plan")).toMatchObject({ type: "enumeration" });
    expect(props.find((p) => p.name === "properties.loyalty_points")).toMatchObject({ type: "number" });
    expectCleanExchanges();
  });

  it("incremental sync under a 429 storm reads only changed profiles and picks up membership changes", { timeout: 120_000 }, async () => {
    kl.state.requests.splice(0);
    const later = new Date(Date.now() + 1000);
    const profiles = [...kl.state.profiles.values()];
    kl.state.updateProfile(profiles[0].id, { first_name: "Renamed" }, later);
    kl.state.updateProfile(profiles[50].id, { properties: { plan: "gold" } }, later);
    const fresh = kl.state.createProfile({ email: "new-customer@example.com", properties: { plan: "silver" } }, later);
    const newsletter = [...kl.state.groups.values()].find((g) => g.name === "Newsletter")!;
    const leaving = [...newsletter.members.keys()][0];
    kl.state.removeMembers(newsletter.id, [leaving], later);
    kl.state.addMembers(newsletter.id, [fresh.id], later);

    await requestIntegrationSync(shopId, "klaviyo", "incremental");
    await waitForIdleQueues({ timeoutMs: 120_000, includeDelayedWithinMs: 60_000 });

    const run = await db().integrationSyncRun.findFirstOrThrow({ where: { shopId, provider: "klaviyo" }, orderBy: { id: "desc" } });
    expect(run).toMatchObject({ kind: "incremental", status: "completed" });
    const reads = kl.state.requests.filter((r) => r.operationId === "get_profiles" && r.status === 200 && r.query.sort === "updated");
    expect(reads.every((r) => /^greater-than\(updated,/.test(r.query.filter ?? ""))).toBe(true);

    const t = truth();
    const m = await mirrored();
    expect(m.contacts.map((c) => c.externalId)).toEqual(t.ids);
    expect(m.members.map((x) => `${x.listExternalId}|${x.contactExternalId}`).sort()).toEqual(t.members);
    const byId = new Map(m.contacts.map((c) => [c.externalId, c]));
    expect((byId.get(profiles[0].id)!.properties as Record<string, unknown>).first_name).toBe("Renamed");
    expect((byId.get(profiles[50].id)!.properties as Record<string, unknown>)["properties.plan"]).toBe("gold");
    expect(byId.get(fresh.id)!.email).toBe("new-customer@example.com");
    expectCleanExchanges();
  });

  it("LINE sends of a matched friend become Klaviyo events once, through 429s", { timeout: 120_000 }, async () => {
    kl.state.requests.splice(0);
    const contact = await db().integrationContact.findFirstOrThrow({ where: { shopId, provider: "klaviyo" }, orderBy: { id: "asc" } });
    const friend = await db().friend.create({ data: { shopId, lineUserId: "U" + "c".repeat(32), displayName: "C" } });
    await db().integrationContact.update({ where: { id: contact.id }, data: { friendId: friend.id } });
    const now = new Date();
    const sends = [];
    for (let i = 0; i < 5; i++)
      sends.push(
        await db().messageSend.create({
          data: {
            shopId,
            friendId: friend.id,
            kind: "broadcast",
            sourceType: "broadcast",
            sourceId: 9,
            retryKey: `k-e2e-${i}`,
            status: "sent",
            sentAt: new Date(now.getTime() - 1000 + i),
            createdAt: now,
          },
        }),
      );
    kl.faults.clear();
    const firedBefore = kl.faults.fired();
    kl.faults.add({ operationId: "bulk_create_events", status: 429, count: 2, retryAfterSeconds: 1 });

    expect(await sweepLineEvents(new Date())).toEqual({ shops: 1, queued: 5 });
    await waitForIdleQueues({ timeoutMs: 120_000, includeDelayedWithinMs: 60_000 });
    expect(await sweepLineEvents(new Date())).toEqual({ shops: 1, queued: 0 });
    await waitForIdleQueues({ timeoutMs: 60_000, includeDelayedWithinMs: 60_000 });

    const mine = kl.state.events.filter((e) => e.profileId === contact.externalId);
    expect(mine.map((e) => e.uniqueId).sort()).toEqual(sends.map((s) => `line-send-${s.id}`).sort());
    expect(mine.every((e) => e.metric === "LINE Message Sent")).toBe(true);
    expect(kl.faults.fired() - firedBefore).toBe(2);
    const outbox = await db().integrationWriteBack.findMany({ where: { shopId, provider: "klaviyo", kind: "event" } });
    expect(outbox.map((r) => r.status)).toEqual(Array(5).fill("done"));
    expectCleanExchanges();
  });
});
