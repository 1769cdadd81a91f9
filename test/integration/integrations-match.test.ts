// HubSpot / Klaviyo matching end to end on real PostgreSQL and Redis: truly signed customer and
// order webhooks give Customer its email/phone hashes (never the address); contacts inserted as the
// sync engine stores them + integration.contacts-synced → the match job → customer and friend →
// segment memberships enter/leave like for Shopify facts; re-match on link/unlink and new customers;
// disconnect re-evaluates. Also the editor's metadata loader.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { emit } from "~/reactions.server";
import { createSegment } from "~/services/segments/segments.server";
import { linkFriendToCustomer, unlinkFriend } from "~/services/linking/links.server";
import { matchCounts } from "~/services/integrations/match.server";
import { segmentIntegrationChoices } from "~/services/integrations/segment-choices.server";
import { identityKey } from "~/adapters/crypto.server";
import { emailHash, phoneHash } from "~/domain/integrations/identity";
import * as customersCreate from "~/routes/webhooks.customers.create";
import * as ordersCreate from "~/routes/webhooks.orders.create";
import { signedWebhook, uniqueShop } from "../support/shopify";
import { customerBody, lineItem, orderBody } from "./ingestion-fixtures";

let worker: Awaited<ReturnType<typeof startWorker>>;
beforeAll(async () => {
  worker = await startWorker({ concurrency: 2, sweeps: false });
});
afterAll(async () => {
  await worker.stop();
});

async function idle() {
  expect((await waitForIdleQueues({ timeoutMs: 60_000, pollMs: 25 })).idle).toBe(true);
}

async function deliver(route: { action: typeof customersCreate.action }, topic: string, shop: string, body: Record<string, unknown>) {
  const request = await signedWebhook({ topic, shop, body });
  expect((await route.action({ request, params: {}, context: {} })).status).toBe(200);
}

async function members(segmentId: number) {
  return (await db().segmentMembership.findMany({ where: { segmentId }, select: { friendId: true } })).map((m) => m.friendId).sort();
}

describe("HubSpot / Klaviyo matching", () => {
  it("hashes from signed webhooks, matches contacts, and moves segment memberships", async () => {
    const domain = uniqueShop("match");
    await installDevShop({ domain });
    const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
    await idle();
    const key = identityKey();

    // customers/create carries the customer's email; orders/create an order phone for the same customer.
    await deliver(customersCreate, "customers/create", domain, {
      ...customerBody(501, "2026-11-01T00:00:00Z", ""),
      email: " Ann@Example.com",
      phone: null,
    });
    await deliver(ordersCreate, "orders/create", domain, {
      ...orderBody({
        id: 9001,
        customerId: 501,
        processedAt: "2026-11-02T00:00:00Z",
        updatedAt: "2026-11-02T00:00:00Z",
        total: "100",
        lines: [lineItem(1, 1, "100")],
      }),
      phone: "+81 90-1234-5678",
    });
    await idle();
    const customer = await db().customer.findUniqueOrThrow({
      where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: 501n } },
    });
    expect(customer.emailHash).toBe(emailHash("ann@example.com", key));
    expect(customer.phoneHash).toBe(phoneHash("+819012345678", key));
    expect(Object.values(customer).map(String).join(" ")).not.toMatch(/example\.com|9012345678/);

    const alice = await db().friend.create({ data: { shopId: shop.id, lineUserId: "Ualice", following: true, followedAt: new Date() } });
    const bob = await db().friend.create({ data: { shopId: shop.id, lineUserId: "Ubob", following: true, followedAt: new Date() } });
    await linkFriendToCustomer({ shopId: shop.id, lineUserId: "Ualice", shopifyCustomerId: 501n, source: "import" });
    const seg = await createSegment(shop.id, {
      name: "HubSpot customers",
      folder: null,
      definition: {
        groups: [
          {
            conditions: [
              { field: "hubspotLinked", op: "is", value: true },
              { field: "hubspotProperty", property: "lifecyclestage", op: "hasAny", value: ["customer"] },
            ],
          },
        ],
      },
    });
    await idle();
    expect(await members(seg.id)).toEqual([]);

    // As the sync engine stores them: plain email/phone, no hashes, no match yet.
    await db().integrationConnection.create({
      data: { shopId: shop.id, provider: "hubspot", authType: "private_app", credentialEnc: "x" },
    });
    await db().integrationContact.createMany({
      data: [
        { shopId: shop.id, provider: "hubspot", externalId: "c1", email: "ANN@example.com", properties: { lifecyclestage: "customer" } },
        { shopId: shop.id, provider: "hubspot", externalId: "c2", lineUserId: "Ubob", properties: { lifecyclestage: "lead" } },
        { shopId: shop.id, provider: "hubspot", externalId: "c3", phone: "+819012345678", properties: {} },
        { shopId: shop.id, provider: "hubspot", externalId: "c4", email: "nobody@example.com", properties: { lifecyclestage: "customer" } },
      ],
    });
    await emit("integration.contacts-synced", { shopId: shop.id, provider: "hubspot", externalIds: ["c1", "c2", "c3", "c4"] }, "t1");
    await idle();
    const contacts = await db().integrationContact.findMany({ where: { shopId: shop.id }, orderBy: { externalId: "asc" } });
    expect(contacts.map((c) => [c.externalId, c.customerId, c.friendId])).toEqual([
      ["c1", customer.id, alice.id], // by email hash, through the customer
      ["c2", null, bob.id], // by LINE user id
      ["c3", customer.id, alice.id], // by phone hash
      ["c4", null, null],
    ]);
    expect(contacts[0]!.emailHash).toBe(customer.emailHash);
    expect(await members(seg.id)).toEqual([alice.id]);
    expect(await matchCounts(shop.id, "hubspot")).toEqual({ contacts: 4, matchedCustomers: 2, matchedFriends: 2 });

    // A property change synced for Bob's contact → Bob enters.
    await db().integrationContact.update({
      where: { shopId_provider_externalId: { shopId: shop.id, provider: "hubspot", externalId: "c2" } },
      data: { properties: { lifecyclestage: "customer" } },
    });
    await emit("integration.contacts-synced", { shopId: shop.id, provider: "hubspot", externalIds: ["c2"] }, "t2");
    await idle();
    expect(await members(seg.id)).toEqual([alice.id, bob.id].sort());

    // Unlinking Alice from the customer takes the customer's contacts away from her → she leaves.
    await unlinkFriend(shop.id, alice.id, "merchant");
    await idle();
    expect((await db().integrationContact.findMany({ where: { shopId: shop.id, friendId: alice.id } })).length).toBe(0);
    expect(await members(seg.id)).toEqual([bob.id]);
    const left = await db().segmentMembership.count({ where: { segmentId: seg.id, friendId: alice.id } });
    expect(left).toBe(0);

    // A new customer carrying c4's email arrives and is linked to Alice → c4 follows, Alice enters.
    await deliver(customersCreate, "customers/create", domain, {
      ...customerBody(502, "2026-11-03T00:00:00Z", ""),
      email: "nobody@example.com",
      phone: null,
    });
    await idle();
    const c502 = await db().customer.findUniqueOrThrow({
      where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: 502n } },
    });
    expect((await db().integrationContact.findFirstOrThrow({ where: { shopId: shop.id, externalId: "c4" } })).customerId).toBe(c502.id);
    await linkFriendToCustomer({ shopId: shop.id, lineUserId: "Ualice", shopifyCustomerId: 502n, source: "import" });
    await idle();
    expect(await members(seg.id)).toEqual([alice.id, bob.id].sort());

    // A full sync deleted Bob's contact (gone from HubSpot): its friend travels in the event → Bob leaves.
    await db().integrationContact.deleteMany({ where: { shopId: shop.id, externalId: "c2" } });
    await emit("integration.contacts-synced", { shopId: shop.id, provider: "hubspot", externalIds: ["c2"], friendIds: [bob.id] }, "t3");
    await idle();
    expect(await members(seg.id)).toEqual([alice.id]);

    // Disconnect (rows deleted by the connection service) → the listed friends leave.
    const friendIds = [alice.id];
    await db().integrationContact.deleteMany({ where: { shopId: shop.id, provider: "hubspot" } });
    await emit("integration.disconnected", { shopId: shop.id, provider: "hubspot", friendIds }, "d1");
    await idle();
    expect(await members(seg.id)).toEqual([]);
  }, 120_000);

  it("the editor offers only connected providers, with their lists and properties", async () => {
    const shop = await db().shop.create({ data: { domain: uniqueShop("choices") } });
    const other = await db().shop.create({ data: { domain: uniqueShop("choices-other") } });
    expect(await segmentIntegrationChoices(shop.id)).toEqual({});
    await db().integrationConnection.create({ data: { shopId: shop.id, provider: "klaviyo", authType: "api_key", credentialEnc: "x" } });
    await db().integrationList.createMany({
      data: [
        { shopId: shop.id, provider: "klaviyo", externalId: "L2", name: "VIP" },
        { shopId: shop.id, provider: "klaviyo", externalId: "L1", name: "Newsletter" },
        { shopId: shop.id, provider: "hubspot", externalId: "H1", name: "Not connected" },
        { shopId: other.id, provider: "klaviyo", externalId: "X", name: "Other shop" },
      ],
    });
    await db().integrationProperty.create({
      data: {
        shopId: shop.id,
        provider: "klaviyo",
        name: "properties.plan",
        label: "Plan",
        type: "enumeration",
        options: [{ value: "pro", label: "Pro" }],
      },
    });
    expect(await segmentIntegrationChoices(shop.id)).toEqual({
      klaviyo: {
        lists: [
          { externalId: "L1", name: "Newsletter" },
          { externalId: "L2", name: "VIP" },
        ],
        properties: [{ name: "properties.plan", label: "Plan", type: "enumeration", options: [{ value: "pro", label: "Pro" }] }],
      },
    });
  });
});
