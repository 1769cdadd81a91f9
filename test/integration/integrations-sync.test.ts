// The integrations sync engine end to end: real PostgreSQL and Redis, jobs run by a worker, HubSpot
// answered by the stand-in (emulator/hubspot) through the real @hubspot/api-client. Connect (the
// credential encrypted), full import, incremental by lastmodifieddate with list membership changes,
// a 429 storm, a worker killed with SIGKILL mid-import, disconnect.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubSpotStandIn, type HubSpotStandIn } from "../../emulator/hubspot/index";
import { resetEnv } from "~/config/env.server";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker";
import { installDevShop } from "~/services/shops.server";
import {
  connectIntegration,
  disconnectIntegration,
  requestIntegrationSync,
  testIntegrationConnection,
} from "~/services/integrations/connections.server";
import { SYNC_LEASE_MS, sweepIntegrationSyncs } from "~/services/integrations/sync.server";
import { uniqueShop } from "../support/shopify";

const TOKEN = "pat-na1-00000000-1111-2222-3333-444444444444";
let hs: HubSpotStandIn;
let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
const T0 = Date.parse("2026-11-01T00:00:00Z");

beforeAll(async () => {
  hs = await startHubSpotStandIn();
  hs.state.tokens.add(TOKEN);
  process.env.HUBSPOT_API_BASE_URL = hs.url;
  resetEnv();
});
afterAll(async () => {
  await worker?.stop();
  await hs.close();
});

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Fresh portal contents + a fresh shop connected to it. */
async function freshShop(contacts: number) {
  hs.state.contacts.clear();
  hs.state.lists = [];
  hs.state.requests = [];
  hs.state.calls = 0;
  hs.state.faults = { rateLimitEvery: 0, retryAfterSeconds: 1, failNext: [], delayMs: 0 };
  for (let i = 0; i < contacts; i++)
    hs.state.addContact({ email: `p${i}@example.com`, lifecyclestage: i % 4 ? "lead" : "customer" }, new Date(T0 + i * 1000));
  const domain = uniqueShop();
  await installDevShop({ domain });
  const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
  return shop.id;
}

const lastRun = (shopId: number) => db().integrationSyncRun.findFirst({ where: { shopId, provider: "hubspot" }, orderBy: { id: "desc" } });
const completed = async (shopId: number, kind: string) =>
  (await until(
    `${kind} run`,
    () => lastRun(shopId),
    (r) => r?.kind === kind && r.status !== "running",
  ))!;
const contactsRequests = () => hs.state.requests.filter((r) => r.path.startsWith("/crm/v3/objects/contacts") && r.status === 200);

// First, while no worker runs in this process: the import runs in a worker process of its own.
describe("integrations sync: a killed worker", () => {
  it("a worker killed mid-import: the run resumes from its saved cursor; nothing lost or read twice", async () => {
    const shopId = await freshShop(800);
    hs.state.faults.delayMs = 150;
    const root = path.resolve(import.meta.dirname, "../..");
    // node itself with tsx as a loader (the tsx CLI would run the worker as its own child, which
    // SIGKILL to the CLI leaves running).
    const child = spawn(process.execPath, ["--import", "tsx", "app/jobs/worker.ts"], {
      cwd: root,
      env: { ...process.env, WORKER_CONCURRENCY: "2", WORKER_NICE: "0", LOG_LEVEL: "silent" },
      stdio: "ignore",
    });
    const exited = new Promise((r) => child.once("exit", r));
    try {
      expect(await connectIntegration({ shopId, provider: "hubspot", credential: TOKEN, lineUserIdProperty: null })).toMatchObject({
        ok: true,
      });
      await until(
        "two committed pages",
        () => lastRun(shopId),
        (r) => !!r && r.phase === "contacts" && r.processed >= 200,
      );
    } finally {
      child.kill("SIGKILL");
      await exited;
    }
    // Let the stand-in finish (and log) the request the dead worker had in flight.
    await new Promise((r) => setTimeout(r, 1000));
    const atKill = (await lastRun(shopId))!;
    expect(atKill.status).toBe("running");
    expect(atKill.processed).toBeLessThan(800);
    const requestsAtKill = hs.state.requests.length;

    worker = await startWorker({ concurrency: 2, sweeps: false });
    // Within the lease the run belongs to the dead worker; past it the sweep takes it over.
    expect((await sweepIntegrationSyncs(new Date())).resumed).toBe(0);
    expect((await sweepIntegrationSyncs(new Date(Date.now() + SYNC_LEASE_MS + 1000))).resumed).toBe(1);
    const done = await until(
      "resumed run",
      () => lastRun(shopId),
      (r) => r?.status !== "running",
    );
    expect(done).toMatchObject({ id: atKill.id, status: "completed", processed: 800 });
    expect(await db().integrationContact.count({ where: { shopId } })).toBe(800);

    const resumed = hs.state.requests.slice(requestsAtKill).filter((r) => r.path === "/crm/v3/objects/contacts");
    expect(resumed[0]!.query.after).toBe(atKill.cursor);
    expect(resumed.every((r) => r.query.after !== undefined)).toBe(true);
    expect(await db().integrationSyncRun.count({ where: { shopId } })).toBe(1);
  }, 120_000);
});

describe("integrations sync (HubSpot stand-in)", () => {
  beforeAll(async () => {
    worker ??= await startWorker({ concurrency: 2, sweeps: false });
  });

  it("connect: a rejected token is not stored; a good one is stored encrypted and starts a full import", async () => {
    const shopId = await freshShop(250);
    const ids = [...hs.state.contacts.keys()];
    const vip = hs.state.addList("VIP", ids.slice(0, 3));
    hs.state.addList("Everyone", [...hs.state.contacts.keys()], "DYNAMIC");

    expect(await connectIntegration({ shopId, provider: "hubspot", credential: "pat-wrong", lineUserIdProperty: null })).toMatchObject({
      ok: false,
      reason: "rejected",
    });
    expect(await db().integrationConnection.count({ where: { shopId } })).toBe(0);

    const res = await connectIntegration({ shopId, provider: "hubspot", credential: ` ${TOKEN} `, lineUserIdProperty: "line_uid" });
    expect(res).toEqual({ ok: true, accountId: String(hs.state.portalId), accountName: `HubSpot ${hs.state.portalId}` });
    const connection = await db().integrationConnection.findUniqueOrThrow({ where: { shopId_provider: { shopId, provider: "hubspot" } } });
    expect(connection.credentialEnc).not.toContain(TOKEN.slice(8));
    expect(connection).toMatchObject({ authType: "private_app", accountId: String(hs.state.portalId), status: "connected" });

    const run = await completed(shopId, "full");
    expect(run).toMatchObject({ status: "completed", phase: "done", processed: 250, rateLimited: 0 });
    expect(await db().integrationContact.count({ where: { shopId, provider: "hubspot" } })).toBe(250);
    const c = await db().integrationContact.findFirstOrThrow({ where: { shopId, externalId: ids[3] } });
    expect(c).toMatchObject({ email: "p3@example.com", externalUpdatedAt: new Date(T0 + 3000) });
    expect(c.properties).toMatchObject({ lifecyclestage: "lead" });
    expect(
      await db().integrationList.findMany({
        where: { shopId },
        select: { externalId: true, name: true, kind: true },
        orderBy: { externalId: "asc" },
      }),
    ).toEqual([
      { externalId: vip.listId, name: "VIP", kind: "list" },
      { externalId: String(Number(vip.listId) + 1), name: "Everyone", kind: "segment" },
    ]);
    expect(await db().integrationListMember.count({ where: { shopId, listExternalId: vip.listId } })).toBe(3);
    expect(await db().integrationListMember.count({ where: { shopId } })).toBe(253);
    expect(
      await db().integrationProperty.findUnique({
        where: { shopId_provider_name: { shopId, provider: "hubspot", name: "lifecyclestage" } },
      }),
    ).toMatchObject({
      type: "enumeration",
    });
    expect((await db().integrationConnection.findUniqueOrThrow({ where: { id: connection.id } })).syncedThrough).toEqual(
      new Date(T0 + 249_000),
    );

    // Incremental: three contacts changed, one left VIP and another joined it.
    hs.state.requests = [];
    const later = new Date(T0 + 3_600_000);
    for (const id of [ids[9]!, ids[19]!, ids[29]!]) hs.state.updateContact(id, { lifecyclestage: "customer" }, later);
    vip.members.delete(ids[0]!);
    vip.members.set(ids[99]!, later);
    await requestIntegrationSync(shopId, "hubspot", "incremental");
    const inc = await completed(shopId, "incremental");
    // 3 changed + the contact modified exactly at syncedThrough (GTE: ties at the boundary are re-read).
    expect(inc).toMatchObject({ status: "completed", processed: 4, since: new Date(T0 + 249_000) });
    const search = hs.state.requests.find((r) => r.path === "/crm/v3/objects/contacts/search")!;
    expect((search.body as { filterGroups: Array<{ filters: unknown[] }> }).filterGroups[0]!.filters).toEqual([
      { propertyName: "lastmodifieddate", operator: "GTE", value: String(T0 + 249_000) },
    ]);
    expect(hs.state.requests.some((r) => r.path === "/crm/v3/objects/contacts")).toBe(false);
    expect((await db().integrationContact.findFirstOrThrow({ where: { shopId, externalId: ids[19] } })).properties).toMatchObject({
      lifecyclestage: "customer",
    });
    const vipMembers = await db().integrationListMember.findMany({
      where: { shopId, listExternalId: vip.listId },
      orderBy: { contactExternalId: "asc" },
    });
    expect(vipMembers.map((m) => m.contactExternalId).sort()).toEqual([ids[1], ids[2], ids[99]].sort());
    expect(await db().integrationContact.count({ where: { shopId } })).toBe(250);
    expect((await db().integrationConnection.findUniqueOrThrow({ where: { id: connection.id } })).syncedThrough).toEqual(later);

    // Test connection, then a revoked token: the connection shows the error.
    expect(await testIntegrationConnection(shopId, "hubspot")).toMatchObject({ ok: true });
    hs.state.tokens.delete(TOKEN);
    expect(await testIntegrationConnection(shopId, "hubspot")).toMatchObject({ ok: false, reason: "rejected" });
    expect(await db().integrationConnection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({ status: "error" });
    hs.state.tokens.add(TOKEN);

    // Disconnect deletes everything mirrored from HubSpot for this shop, and the credential.
    await db().integrationContact.updateMany({ where: { shopId, externalId: ids[0] }, data: { friendId: 4242 } });
    expect(await disconnectIntegration(shopId, "hubspot")).toEqual({ friendIds: [4242] });
    for (const count of [
      db().integrationConnection.count({ where: { shopId } }),
      db().integrationContact.count({ where: { shopId } }),
      db().integrationList.count({ where: { shopId } }),
      db().integrationListMember.count({ where: { shopId } }),
      db().integrationProperty.count({ where: { shopId } }),
      db().integrationSyncRun.count({ where: { shopId } }),
    ])
      expect(await count).toBe(0);
  }, 90_000);

  it("a 429 storm (every 3rd call, Retry-After 1 s): every contact imported exactly once, no page skipped", async () => {
    const shopId = await freshShop(700);
    const ids = [...hs.state.contacts.keys()];
    hs.state.addList("VIP", [ids[0]!, ids[399]!, ids[699]!]);
    hs.state.faults.rateLimitEvery = 3;
    expect(await connectIntegration({ shopId, provider: "hubspot", credential: TOKEN, lineUserIdProperty: null })).toMatchObject({
      ok: true,
    });
    const run = await completed(shopId, "full");
    expect(run).toMatchObject({ status: "completed", processed: 700 });
    expect(run.rateLimited).toBeGreaterThanOrEqual(3);
    expect(hs.state.requests.filter((r) => r.status === 429).length).toBe(run.rateLimited);
    expect(await db().integrationContact.count({ where: { shopId } })).toBe(700);
    // Each page was asked again after its 429 with the same cursor: 7 distinct pages read once each.
    const pages = contactsRequests().map((r) => r.query.after ?? "");
    expect(pages).toEqual([...new Set(pages)]);
    expect(pages).toHaveLength(7);
    expect(await db().integrationListMember.count({ where: { shopId } })).toBe(3);
  }, 90_000);
});
