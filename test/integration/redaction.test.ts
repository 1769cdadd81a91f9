// Issue 9 item 5: every table that can hold personal data, and proof per table that customers/redact
// and shop/redact purge it (rules: app/db/personal-data.ts). Two customers of one shop get rows in
// every table (through genuinely signed webhooks where a webhook creates them); customer 9001 is
// redacted and must be gone, customer 9002 must be untouched. Then the shop is redacted and every
// table must be empty for it while another shop keeps its rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@prisma/client";
import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { PERSONAL_DATA } from "~/db/personal-data";
import { installDevShop } from "~/services/shops.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { linkFriendToCustomer } from "~/services/linking/links.server";
import { purgeExpiredLineEvents } from "~/services/ingestion/compliance.server";
import * as ordersCreate from "~/routes/webhooks.orders.create";
import * as ordersUpdated from "~/routes/webhooks.orders.updated";
import * as ordersCancelled from "~/routes/webhooks.orders.cancelled";
import * as ordersFulfilled from "~/routes/webhooks.orders.fulfilled";
import * as fulfillmentsCreate from "~/routes/webhooks.fulfillments.create";
import * as fulfillmentsUpdate from "~/routes/webhooks.fulfillments.update";
import * as checkoutsCreate from "~/routes/webhooks.checkouts.create";
import * as checkoutsUpdate from "~/routes/webhooks.checkouts.update";
import * as customersCreate from "~/routes/webhooks.customers.create";
import * as customersUpdate from "~/routes/webhooks.customers.update";
import * as customersRedact from "~/routes/webhooks.customers.redact";
import * as customersDataRequest from "~/routes/webhooks.customers.data_request";
import * as shopRedact from "~/routes/webhooks.shop.redact";
import { signedWebhook, uniqueShop } from "../support/shopify";
import { customerSequence, fulfillmentBody } from "./ingestion-fixtures";

const ROUTES: Record<string, { action: (args: ActionFunctionArgs) => Promise<Response> }> = {
  "orders/create": ordersCreate,
  "orders/updated": ordersUpdated,
  "orders/cancelled": ordersCancelled,
  "orders/fulfilled": ordersFulfilled,
  "fulfillments/create": fulfillmentsCreate,
  "fulfillments/update": fulfillmentsUpdate,
  "checkouts/create": checkoutsCreate,
  "checkouts/update": checkoutsUpdate,
  "customers/create": customersCreate,
  "customers/update": customersUpdate,
  "customers/redact": customersRedact,
  "customers/data_request": customersDataRequest,
  "shop/redact": shopRedact,
};

let worker: Awaited<ReturnType<typeof startWorker>>;

async function deliver(shop: string, topic: string, body: Record<string, unknown>) {
  const request = await signedWebhook({ topic, shop, body });
  const res = await ROUTES[topic].action({ request, params: {}, context: {} }).catch((t: unknown) => {
    if (t instanceof Response) return t;
    throw t;
  });
  expect(res.status).toBe(200);
}

const idle = async () => expect((await waitForIdleQueues({ timeoutMs: 60_000, pollMs: 25 })).idle).toBe(true);

const VICTIM = 9001n;
/** Orders of customerSequence(k): 50000 + k*10 + 1..3; checkout tokens tok-k-1, tok-k-2. */
const ordersOf = (k: number) => [1, 2, 3].map((i) => BigInt(50_000 + k * 10 + i));
/** An order Shopify lists in orders_to_redact that we only know from a fulfillment (it arrived first). */
const FULFILLMENT_ONLY_ORDER = 59_999n;
const SECRET_TEXT = (k: number) => `my address is ${k} Chome, Shibuya`;

interface Seeded {
  domain: string;
  shopId: number;
  friend: Record<number, number>;
  lineUser: Record<number, string>;
  linkCode: Record<number, string>;
}
let A: Seeded;
let B: Seeded;

/** One customer k (9000 + k) with rows in every table that can hold their data. */
async function seedCustomer(s: Omit<Seeded, "friend" | "lineUser" | "linkCode">, k: number, out: Seeded) {
  const cid = BigInt(9000 + k);
  for (const e of customerSequence(k)) await deliver(s.domain, e.topic, e.body);
  // A fulfillment with the shipping address and email Shopify sends (fulfillments/create payload).
  await deliver(s.domain, "fulfillments/create", {
    ...fulfillmentBody({ id: 70_000 + k, orderId: 50_000 + k * 10 + 1, updatedAt: "2025-01-04T00:00:00Z", shipmentStatus: null }),
    email: `c${cid}@example.com`,
    destination: { first_name: "Taro", last_name: `Customer ${k}`, address1: `${k} Chome, Shibuya`, phone: `+81900000${k}` },
  });
  if (k === 1)
    await deliver(s.domain, "fulfillments/create", {
      ...fulfillmentBody({ id: 79_999, orderId: Number(FULFILLMENT_ONLY_ORDER), updatedAt: "2025-01-04T00:00:00Z", shipmentStatus: null }),
      email: `c${cid}@example.com`,
    });
  await idle();
  const lineUserId = `U${String(k).padStart(32, "0")}${s.shopId}`.slice(0, 33);
  const link = await linkFriendToCustomer({ shopId: s.shopId, lineUserId, shopifyCustomerId: cid, source: "line" });
  const friendId = link.friendId;
  out.friend[k] = friendId;
  out.lineUser[k] = lineUserId;
  const order = await db().order.findFirstOrThrow({ where: { shopId: s.shopId, shopifyCustomerId: cid }, orderBy: { id: "asc" } });
  await db().lineEvent.create({
    data: {
      shopId: s.shopId,
      webhookEventId: `ev-${s.shopId}-${k}`,
      type: "message",
      lineUserId,
      status: "processed",
      payload: {
        type: "message",
        source: { type: "user", userId: lineUserId },
        message: { id: `m${k}`, type: "text", text: SECRET_TEXT(k) },
      },
    },
  });
  const reminder = await db().reminder.create({
    data: {
      shopId: s.shopId,
      friendId,
      kind: "abandoned_cart",
      subjectKey: `tok-${k}-2`,
      dueAt: new Date(),
      status: "sent",
      retryKey: `rk-${s.shopId}-${k}`,
    },
  });
  const trackedLink = await db().trackedLink.create({
    data: {
      shopId: s.shopId,
      code: `c${s.shopId}x${k}`,
      url: `https://shop.example/checkouts/tok-${k}-2/recover`,
      sourceType: "reminder",
      sourceId: reminder.id,
    },
  });
  out.linkCode[k] = trackedLink.code;
  const click = await db().linkClick.create({
    data: { shopId: s.shopId, linkId: trackedLink.id, friendId, sourceType: "reminder", sourceId: reminder.id },
  });
  await db().attribution.create({
    data: {
      shopId: s.shopId,
      orderId: order.id,
      clickId: click.id,
      friendId,
      sourceType: "reminder",
      sourceId: reminder.id,
      revenue: 3000,
      currency: "JPY",
      orderAt: order.processedAt,
    },
  });
  await db().linkFunnelEvent.create({
    data: { shopId: s.shopId, kind: "view", source: "thank_you", shopifyOrderId: order.shopifyOrderId },
  });
  await db().linkIntent.create({
    data: {
      id: `code-${s.shopId}-${k}`,
      nonce: `nonce-${s.shopId}-${k}`,
      shopId: s.shopId,
      shopifyCustomerId: cid,
      source: "thank_you",
      shopifyOrderId: order.shopifyOrderId,
      expiresAt: new Date(Date.now() + 60_000),
    },
  });
  await db().consentEvent.create({ data: { shopId: s.shopId, friendId, optedOut: false, source: "keyword" } });
  await db().richMenuTap.create({ data: { shopId: s.shopId, friendId, data: "action=link", at: new Date() } });
  await db().messageSend.create({
    data: { shopId: s.shopId, friendId, kind: "reminder", retryKey: `ms-${s.shopId}-${k}`, status: "sent" },
  });
  // The merchant's HubSpot contact of this customer (matched by the sync) and a pending write-back.
  await db().integrationContact.create({
    data: {
      shopId: s.shopId,
      provider: "hubspot",
      externalId: `hs-${k}`,
      email: `c${cid}@example.com`,
      properties: { lifecyclestage: "customer" },
      customerId: (
        await db().customer.findUniqueOrThrow({ where: { shopId_shopifyCustomerId: { shopId: s.shopId, shopifyCustomerId: cid } } })
      ).id,
      friendId,
    },
  });
  await db().integrationListMember.create({
    data: { shopId: s.shopId, provider: "hubspot", listExternalId: "list-1", contactExternalId: `hs-${k}` },
  });
  if (k === 1) await db().integrationList.create({ data: { shopId: s.shopId, provider: "hubspot", externalId: "list-1", name: "VIP" } });
  await db().integrationWriteBack.create({
    data: { shopId: s.shopId, provider: "hubspot", friendId, kind: "properties", payload: { lineUserId }, idempotencyKey: `wb-${k}` },
  });
  await deliver(s.domain, "customers/data_request", {
    shop_id: 1,
    shop_domain: s.domain,
    customer: { id: Number(cid), email: `c${cid}@example.com` },
    orders_requested: ordersOf(k).map(Number),
    data_request: { id: 100 + k },
  });
  await idle();
}

/** Rows of merchant-level tables, so shop/redact has something to erase in every table. */
async function seedShopLevel(shopId: number, friendId: number, k: number) {
  const tag = await db().tag.create({ data: { shopId, name: `vip-${k}` } });
  await db().friendTag.create({ data: { shopId, friendId, tagId: tag.id } });
  await db().tagRule.create({ data: { shopId, trigger: "keyword", match: "hi", tagId: tag.id } });
  const folder = await db().segmentFolder.create({ data: { shopId, name: "f" } });
  const segment = await db().segment.create({ data: { shopId, name: "s", folderId: folder.id, definition: {} } });
  await db().segmentMembership.create({ data: { shopId, segmentId: segment.id, friendId } });
  const menu = await db().richMenu.create({ data: { shopId, name: "m", size: "large", chatBarText: "Menu", areas: [] } });
  await db().menuRule.create({ data: { shopId, position: 0, kind: "everyone", richMenuId: menu.id } });
  await db().menuApplyRun.create({ data: { shopId } });
  await db().menuCreationLog.create({ data: { shopId, lineRichMenuId: "richmenu-x" } });
  await db().driftReport.create({ data: { shopId, sampled: 1, drifted: 0, repaired: 0 } });
  const broadcast = await db().broadcast.create({ data: { shopId, name: "b", messages: [], audience: {} } });
  await db().broadcastBatch.create({ data: { shopId, broadcastId: broadcast.id, seq: 0, friendIds: [1], retryKey: `bb-${shopId}` } });
  await db().messagingPolicy.create({ data: { shopId } });
  await db().backfillRun.create({ data: { shopId, kind: "orders" } });
  await db().erasedCustomer.create({ data: { shopId, shopifyCustomerId: 1n, cause: "test" } });
  await db().assistantConversation.create({ data: { shopId, locale: "en", mode: "auto", state: {} } });
  await db().assistantSetting.create({ data: { shopId, baseUrl: "https://llm.example", model: "m" } });
  await db().integrationConnection.create({ data: { shopId, provider: "hubspot", authType: "private_app", credentialEnc: "x" } });
  await db().integrationSyncRun.create({ data: { shopId, provider: "hubspot", kind: "full" } });
  await db().integrationProperty.create({
    data: { shopId, provider: "hubspot", name: "lifecyclestage", label: "Lifecycle stage", type: "enumeration" },
  });
}

async function seedShop(k: number): Promise<Seeded> {
  const domain = uniqueShop("redact");
  await installDevShop({ domain, accessToken: "shpat_x" });
  const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
  const s: Seeded = { domain, shopId: shop.id, friend: {}, lineUser: {}, linkCode: {} };
  await db().refusedWebhook.create({
    data: {
      reason: "shop-mismatch",
      routeTopic: "shop/redact",
      headerTopic: "shop/redact",
      headerShop: domain,
      webhookId: "w",
      hmac: `h-${domain}`,
    },
  });
  await seedCustomer(s, 1, s);
  if (k === 0) await seedCustomer(s, 2, s);
  return s;
}

beforeAll(async () => {
  worker = await startWorker({ concurrency: 2, sweeps: false });
  A = await seedShop(0);
  B = await seedShop(1);
  // (customer 9002's friend: 9001's is re-evaluated after the redact, which would settle its memberships)
  await seedShopLevel(A.shopId, A.friend[2], 0);
  await seedShopLevel(B.shopId, B.friend[1], 1);
  // What data_request exported before the erasure: everything we hold, message texts included.
  const exported = (await db().dataRequestExport.findFirstOrThrow({ where: { shopId: A.shopId, shopifyCustomerId: VICTIM } }))
    .export as Record<string, unknown>;
  expect(exported).toMatchObject({
    shopifyCustomerId: "9001",
    link: { lineUserId: A.lineUser[1], source: "line" },
    lineMessages: [{ type: "text", text: SECRET_TEXT(1) }],
    linkHistory: [{ action: "linked", source: "line" }],
    consentEvents: [{ optedOut: false, source: "keyword" }],
    reminders: [{ kind: "abandoned_cart", status: "sent" }],
  });
  expect((exported.orders as unknown[]).length).toBe(3);
  // The HubSpot contact matched to them, its list memberships and the friend's pending write-back.
  expect(exported.integrations).toEqual({
    contacts: [
      expect.objectContaining({
        provider: "hubspot",
        externalId: "hs-1",
        email: "c9001@example.com",
        properties: { lifecyclestage: "customer" },
        matchedToCustomer: true,
        matchedToFriend: true,
        lists: [expect.objectContaining({ externalId: "list-1", name: "VIP" })],
      }),
    ],
    pendingWriteBacks: [expect.objectContaining({ provider: "hubspot", kind: "properties", payload: { lineUserId: A.lineUser[1] } })],
  });

  await deliver(A.domain, "customers/redact", {
    shop_id: 1,
    shop_domain: A.domain,
    customer: { id: Number(VICTIM), email: "c9001@example.com", phone: "+819000001" },
    orders_to_redact: [...ordersOf(1), FULFILLMENT_ONLY_ORDER].map(Number),
  });
  await idle();
}, 240_000);
afterAll(async () => {
  await worker?.stop();
});

/** Customer k's rows in the table, for the tables with customer-keyed data (shop A). */
const customerRows: Record<string, (k: number) => Promise<unknown[]>> = {
  Customer: (k) => db().customer.findMany({ where: { shopId: A.shopId, shopifyCustomerId: BigInt(9000 + k) } }),
  Order: (k) => db().order.findMany({ where: { shopId: A.shopId, shopifyOrderId: { in: ordersOf(k) } } }),
  OrderLine: (k) => db().orderLine.findMany({ where: { shopId: A.shopId, shopifyCustomerId: BigInt(9000 + k) } }),
  CustomerProduct: (k) => db().customerProduct.findMany({ where: { shopId: A.shopId, shopifyCustomerId: BigInt(9000 + k) } }),
  SegmentFacts: (k) => db().segmentFacts.findMany({ where: { shopId: A.shopId, shopifyCustomerId: BigInt(9000 + k) } }),
  Checkout: (k) => db().checkout.findMany({ where: { shopId: A.shopId, token: { startsWith: `tok-${k}-` } } }),
  Fulfillment: (k) =>
    db().fulfillment.findMany({
      where: { shopId: A.shopId, shopifyOrderId: { in: k === 1 ? [...ordersOf(1), FULFILLMENT_ONLY_ORDER] : ordersOf(k) } },
    }),
  LinkIntent: (k) => db().linkIntent.findMany({ where: { shopId: A.shopId, shopifyCustomerId: BigInt(9000 + k) } }),
  DataRequestExport: (k) => db().dataRequestExport.findMany({ where: { shopId: A.shopId, shopifyCustomerId: BigInt(9000 + k) } }),
  Reminder: (k) => db().reminder.findMany({ where: { shopId: A.shopId, friendId: A.friend[k] } }),
  Attribution: (k) => db().attribution.findMany({ where: { shopId: A.shopId, friendId: A.friend[k] } }),
  IntegrationContact: (k) => db().integrationContact.findMany({ where: { shopId: A.shopId, externalId: `hs-${k}` } }),
  IntegrationListMember: (k) => db().integrationListMember.findMany({ where: { shopId: A.shopId, contactExternalId: `hs-${k}` } }),
  IntegrationWriteBack: (k) => db().integrationWriteBack.findMany({ where: { shopId: A.shopId, friendId: A.friend[k] } }),
  // Scrubbed tables: the personal part (the query matches only rows that still carry it).
  Friend: (k) => db().friend.findMany({ where: { id: A.friend[k], customerId: { not: null } } }),
  LinkHistory: (k) => db().linkHistory.findMany({ where: { shopId: A.shopId, shopifyCustomerId: BigInt(9000 + k) } }),
  LinkFunnelEvent: (k) => db().linkFunnelEvent.findMany({ where: { shopId: A.shopId, shopifyOrderId: { in: ordersOf(k) } } }),
  TrackedLink: (k) => db().trackedLink.findMany({ where: { shopId: A.shopId, code: A.linkCode[k], url: { contains: "/recover" } } }),
  LineEvent: (k) =>
    db().$queryRaw`SELECT id FROM "LineEvent" WHERE "shopId" = ${A.shopId} AND payload::text LIKE ${"%" + SECRET_TEXT(k) + "%"}`,
  WebhookDelivery: (k) =>
    db().$queryRaw`SELECT id FROM "WebhookDelivery" WHERE "shopDomain" = ${A.domain}
      AND (payload::text LIKE ${`%c900${k}@example.com%`} OR payload::text LIKE ${`%${k} Chome%`} OR payload::text LIKE ${`%tok-${k}-%`})`,
};

/** Fields that identify a customer: a table with one of them must say how it is redacted. */
const CUSTOMER_KEYS = ["shopifyCustomerId", "shopifyOrderId", "checkoutToken", "customerId", "email", "recoveryUrl", "orderId", "payload"];

const models = Prisma.dmmf.datamodel.models;

describe("the personal-data catalogue", () => {
  it("names every table of the schema (a new table must be classified)", () => {
    expect(Object.keys(PERSONAL_DATA).sort()).toEqual(models.map((m) => m.name).sort());
  });
});

describe("customers/redact purges each table (customer 9001 gone, 9002 untouched)", () => {
  it.each(models.map((m) => m.name))("%s", async (name) => {
    const rule = PERSONAL_DATA[name];
    if (rule.customerRedact === "none") {
      // Nothing customer-keyed may hide in a table declared to hold none of the customer's data.
      const fields = models.find((m) => m.name === name)!.fields.map((f) => f.name);
      // (ErasedCustomer keeps the id as the erasure record; Session.email is a staff member's, online sessions only.)
      const exempt = { ErasedCustomer: "shopifyCustomerId", Session: "email" } as Record<string, string>;
      const keyed = fields.filter((f) => CUSTOMER_KEYS.includes(f) && exempt[name] !== f);
      expect(keyed, `${name} has customer-keyed fields but is declared "none"`).toEqual([]);
      expect(customerRows[name]).toBeUndefined();
      return;
    }
    const probe = customerRows[name];
    expect(probe, `no probe for ${name}`).toBeDefined();
    expect(await probe(1)).toEqual([]);
    expect((await probe(2)).length).toBeGreaterThan(0);
  });

  it("the /r/ link of the redacted customer's reminder no longer leads to their cart; the friend and its opt-out stay", async () => {
    const link = await db().trackedLink.findUniqueOrThrow({ where: { code: A.linkCode[1] } });
    expect(link.url).toBe(`https://${A.domain}/`);
    const friend = await db().friend.findUniqueOrThrow({ where: { id: A.friend[1] } });
    expect(friend).toMatchObject({ lineUserId: A.lineUser[1], customerId: null, linkedAt: null });
    const event = await db().lineEvent.findFirstOrThrow({ where: { shopId: A.shopId, lineUserId: A.lineUser[1] } });
    expect(event.payload).toMatchObject({ message: { id: "m1", type: "text", erased: true } });
  });

  it("the other shop's customer 9001 is untouched (scoped to the shop)", async () => {
    expect(await db().customer.count({ where: { shopId: B.shopId, shopifyCustomerId: VICTIM } })).toBe(1);
    expect(await db().dataRequestExport.count({ where: { shopId: B.shopId } })).toBe(1);
  });
});

describe("LINE message retention", () => {
  it("deletes processed LINE events older than the retention period, keeps newer and unprocessed ones", async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 31 * 86_400_000);
    const mk = (id: string, status: string, receivedAt: Date) =>
      db().lineEvent.create({
        data: { shopId: B.shopId, webhookEventId: id, type: "message", status, receivedAt, payload: { message: { text: "x" } } },
      });
    await mk("ret-old", "processed", old);
    await mk("ret-old-pending", "received", old);
    await mk("ret-new", "processed", now);
    expect(await purgeExpiredLineEvents(now, 30)).toBeGreaterThanOrEqual(1);
    const left = (await db().lineEvent.findMany({ where: { shopId: B.shopId, webhookEventId: { startsWith: "ret-" } } })).map(
      (e) => e.webhookEventId,
    );
    expect(left.sort()).toEqual(["ret-new", "ret-old-pending"]);
  });
});

/** The shop's rows in a table, whichever column scopes it (the kept shop/redact delivery is empty). */
async function shopRows(name: string, s: Seeded): Promise<number> {
  const fields = models.find((m) => m.name === name)!.fields.map((f) => f.name);
  const [column, value] = fields.includes("shopId")
    ? ["shopId", s.shopId]
    : (
        {
          Shop: ["domain", s.domain],
          Session: ["shop", s.domain],
          WebhookDelivery: ["shopDomain", s.domain],
          RefusedWebhook: ["headerShop", s.domain],
        } as Record<string, [string, string]>
      )[name];
  if (!column) throw new Error(`${name}: no shop scope column`);
  const extra = name === "WebhookDelivery" ? ` AND payload <> '{}'::jsonb` : "";
  const rows = await db().$queryRawUnsafe<Array<{ n: bigint }>>(
    `SELECT count(*) AS n FROM "${name}" WHERE "${column}" = $1${extra}`,
    value,
  );
  return Number(rows[0].n);
}

describe("shop/redact empties each table for the shop; another shop keeps its rows", () => {
  const before: Record<string, number> = {};
  beforeAll(async () => {
    for (const m of models) if (PERSONAL_DATA[m.name].shopRedact !== "none") before[m.name] = await shopRows(m.name, A);
    await deliver(A.domain, "shop/redact", { shop_id: 1, shop_domain: A.domain });
    await idle();
  }, 60_000);

  it.each(models.map((m) => m.name))("%s", async (name) => {
    if (PERSONAL_DATA[name].shopRedact === "none") {
      // Not the shop's data: it must not be scoped to a shop either (else it would need erasing).
      expect(models.find((m) => m.name === name)!.fields.map((f) => f.name)).not.toContain("shopId");
      return;
    }
    expect(before[name], `seed has no ${name} row for the shop`).toBeGreaterThan(0);
    expect(await shopRows(name, A)).toBe(0);
    expect(await shopRows(name, B)).toBeGreaterThan(0);
  });
});
