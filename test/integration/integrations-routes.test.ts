// The Integrations admin page through its real loader/action (sandbox admin auth), and the
// write-back outbox: friend events → outbox rows → drain job → HubSpot stand-in contact properties.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubSpotStandIn, type HubSpotStandIn } from "../../emulator/hubspot/index";
import { resetEnv } from "~/config/env.server";
import { sandboxCookie } from "~/adapters/shopify/admin-auth.server";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker";
import { emit } from "~/reactions.server";
import { action, loader } from "~/routes/app.integrations";
import { installDevShop } from "~/services/shops.server";
import { drainWriteBack } from "~/services/integrations/write-back.server";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { uniqueShop } from "../support/shopify";

const TOKEN = "pat-na1-routes-0000-1111-2222-333333333333";
const shop = uniqueShop("integrations");
let shopId: number;
let hs: HubSpotStandIn;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  hs = await startHubSpotStandIn();
  hs.state.tokens.add(TOKEN);
  for (let i = 0; i < 5; i++) hs.state.addContact({ email: `r${i}@example.com` });
  hs.state.addList("VIP", [...hs.state.contacts.keys()].slice(0, 2));
  process.env.HUBSPOT_API_BASE_URL = hs.url;
  process.env.SANDBOX_AUTH = "1";
  resetEnv();
  await installDevShop({ domain: shop });
  shopId = (await db().shop.findUniqueOrThrow({ where: { domain: shop } })).id;
  worker = await startWorker({ concurrency: 2, sweeps: false });
});
afterAll(async () => {
  await worker.stop();
  await hs.close();
});

const url = "https://my-test-app.myshopify.io/app/integrations?locale=en";
async function call(fn: (args: never) => Promise<unknown>, request: Request): Promise<Response> {
  try {
    return (await fn({ request, params: {}, context: {} } as never)) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
const post = (data: Record<string, string>) =>
  call(
    action,
    new Request(url, {
      method: "POST",
      headers: { cookie: sandboxCookie(shop) },
      body: new URLSearchParams({ provider: "hubspot", ...data }),
    }),
  );
const page = async () =>
  (await (await call(loader, new Request(url, { headers: { cookie: sandboxCookie(shop) } }))).json()) as {
    providers: Array<Record<string, unknown>>;
  };

describe("integrations page", () => {
  it("connect (validation, rejected, accepted) → sync with counts → property choice → test → disconnect", async () => {
    // Every registered connector gets a section; none is connected yet.
    expect((await page()).providers).toEqual([
      expect.objectContaining({ provider: "hubspot", connection: null, run: null }),
      expect.objectContaining({ provider: "klaviyo", connection: null, run: null }),
    ]);
    const empty = await post({ intent: "connect", credential: " " });
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ errors: { credential: "integrations.credentialRequired" } });
    const unknown = await post({ intent: "sync", provider: "mailchimp" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ errors: { provider: "integrations.errors.provider" } });
    // The property (the save bar's field) of a provider that is not connected is not stored anywhere.
    const notConnected = await post({ intent: "lineUserIdProperty", "lineUserIdProperty.hubspot": "" });
    expect(notConnected.status).toBe(422);
    expect(await notConnected.json()).toMatchObject({ errors: { "lineUserIdProperty.hubspot": "integrations.errors.notConnected" } });
    const rejected = await post({ intent: "connect", credential: "pat-bad" });
    expect(rejected.status).toBe(422);
    expect(await rejected.json()).toMatchObject({ check: { ok: false, reason: "rejected" } });

    const ok = await post({ intent: "connect", credential: TOKEN, lineUserIdProperty: "" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ check: { ok: true, accountName: `HubSpot ${hs.state.portalId}` } });
    expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);
    const [view] = (await page()).providers;
    expect(view).toMatchObject({
      connection: { status: "connected", lineUserIdProperty: null },
      run: { kind: "full", status: "completed", processed: 5 },
      counts: { contacts: 5, matchedCustomers: 0, matchedFriends: 0, lists: 1 },
    });
    expect(view!.textProperties).toEqual(expect.arrayContaining([{ name: "email", label: "Email" }]));
    expect(JSON.stringify(view)).not.toContain(TOKEN.slice(8));

    expect(await (await post({ intent: "lineUserIdProperty", "lineUserIdProperty.hubspot": "firstname" })).json()).toMatchObject({
      done: "propertySaved",
    });
    expect((await db().integrationConnection.findFirstOrThrow({ where: { shopId } })).lineUserIdProperty).toBe("firstname");
    // Only one of the account's synced text properties can be chosen (the page's choices).
    const made = await post({ intent: "lineUserIdProperty", "lineUserIdProperty.hubspot": "no_such_property" });
    expect(made.status).toBe(422);
    expect(await made.json()).toMatchObject({ errors: { "lineUserIdProperty.hubspot": "integrations.errors.property" } });
    expect((await db().integrationConnection.findFirstOrThrow({ where: { shopId } })).lineUserIdProperty).toBe("firstname");
    expect(await (await post({ intent: "test" })).json()).toMatchObject({ check: { ok: true } });
    expect(await (await post({ intent: "sync" })).json()).toMatchObject({ done: "syncRequested" });
    expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);
    expect((await page()).providers[0]).toMatchObject({ run: { kind: "incremental", status: "completed" } });

    expect(await (await post({ intent: "disconnect" })).json()).toMatchObject({ done: "disconnected" });
    expect((await page()).providers[0]).toMatchObject({ connection: null, run: null, counts: { contacts: 0, lists: 0 } });
  }, 90_000);

  it("write-back: consent/follow changes of a matched friend reach the HubSpot contact once per change", async () => {
    expect(await (await post({ intent: "connect", credential: TOKEN, lineUserIdProperty: "" })).json()).toMatchObject({
      check: { ok: true },
    });
    expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);
    const contact = await db().integrationContact.findFirstOrThrow({ where: { shopId, email: "r1@example.com" } });
    const friend = await db().friend.create({ data: { shopId, lineUserId: "U0123456789abcdef0123456789abcdef", displayName: "W" } });
    // Matching (issue 12, matching) links contacts to friends; set the link as it would.
    await db().integrationContact.update({ where: { id: contact.id }, data: { friendId: friend.id } });

    await db().friend.update({ where: { id: friend.id }, data: { marketingOptOut: true, marketingOptOutAt: new Date() } });
    await emit("friend.consent-changed", { shopId, friendId: friend.id, optedOut: true }, "wb-1");
    await emit("friend.consent-changed", { shopId, friendId: friend.id, optedOut: true }, "wb-1-again"); // same state: no new row
    expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);
    const rows = await db().integrationWriteBack.findMany({ where: { shopId, friendId: friend.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: "hubspot", kind: "properties", status: "done" });
    expect(hs.state.contacts.get(contact.externalId)!.properties).toMatchObject({
      line_user_id: "U0123456789abcdef0123456789abcdef",
      line_following: "true",
      line_marketing_consent: "false",
      line_status_source: "consent",
    });

    // 429 on the batch update: the row stays pending and a delayed drain sends it after Retry-After.
    hs.state.faults.failNext.push({ status: 429, remaining: 1, pathPrefix: "/crm/v3/objects/contacts/batch" });
    await db().friend.update({ where: { id: friend.id }, data: { following: false, blockedAt: new Date() } });
    await emit("friend.unfollowed", { shopId, friendId: friend.id }, "wb-2");
    expect((await waitForIdleQueues({ timeoutMs: 60_000, includeDelayedWithinMs: 120_000 })).idle).toBe(true);
    const after = await db().integrationWriteBack.findMany({ where: { shopId, friendId: friend.id }, orderBy: { id: "asc" } });
    expect(after.map((r) => r.status)).toEqual(["done", "done"]);
    expect(hs.state.contacts.get(contact.externalId)!.properties).toMatchObject({
      line_following: "false",
      line_status_source: "line_unfollow",
    });
    expect(hs.state.requests.filter((r) => r.path === "/crm/v3/objects/contacts/batch/update").map((r) => r.status)).toEqual([
      200, 429, 200,
    ]);

    // A revoked token: the connection is marked, the row waits for a reconnect.
    hs.state.tokens.delete(TOKEN);
    await db().friend.update({ where: { id: friend.id }, data: { following: true, blockedAt: null } });
    await emit("friend.followed", { shopId, friendId: friend.id, isNew: false, at: Date.now() }, "wb-3");
    expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);
    expect(await db().integrationWriteBack.count({ where: { shopId, status: "pending" } })).toBe(1);
    expect((await db().integrationConnection.findFirstOrThrow({ where: { shopId } })).status).toBe("error");
    hs.state.tokens.add(TOKEN);
    expect(await drainWriteBack(shopId, "hubspot")).toMatchObject({ outcome: "drained", sent: 1 });
  }, 90_000);
});
