// Backfill through Admin GraphQL bulk operations, answered at the network boundary: GraphQL calls via
// Shopify's abstract fetch, the JSONL result files from a local HTTP server (recorded shapes, with
// nested lineItems lines linked by __parentId).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { backfillSettings, runBackfillPoll, startBackfill } from "~/services/ingestion/backfill.server";
import { getCustomerView } from "~/services/ingestion/customer-view.server";
import { resetEnv } from "~/config/env.server";
import { identityKey } from "~/adapters/crypto.server";
import { emailHash, phoneHash } from "~/domain/integrations/identity";
import { signedWebhook, uniqueShop } from "../support/shopify";
import { action as bulkFinish } from "~/routes/webhooks.bulk_operations.finish";

/** The bulk queries sent for a shop, in order (customers, orders, abandoned checkouts). */
function bulkQueriesSent(shop: string): string[] {
  return graphqlCalls.filter((c) => c.shop === shop && c.query.includes("bulkOperationRunQuery")).map((c) => c.variables?.query ?? "");
}

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "JPY" } });

const FILES: Record<string, string> = {
  "/customers.jsonl": jsonl([
    {
      id: "gid://shopify/Customer/7001",
      updatedAt: "2025-03-01T00:00:00Z",
      tags: ["vip"],
      locale: "ja",
      defaultEmailAddress: { emailAddress: " Taro@Example.COM ", marketingState: "SUBSCRIBED" },
      defaultPhoneNumber: null,
    },
    {
      id: "gid://shopify/Customer/7002",
      updatedAt: "2025-03-02T00:00:00Z",
      tags: [],
      locale: "en",
      defaultEmailAddress: { emailAddress: null, marketingState: "NOT_SUBSCRIBED" },
      defaultPhoneNumber: { phoneNumber: "+81 90-1234-5678", marketingState: "SUBSCRIBED" },
    },
  ]),
  "/orders.jsonl": jsonl([
    {
      id: "gid://shopify/Order/81",
      name: "#1001",
      customer: { id: "gid://shopify/Customer/7001" },
      createdAt: "2025-01-10T01:00:00Z",
      processedAt: "2025-01-10T01:00:00Z",
      updatedAt: "2025-01-15T00:00:00Z",
      cancelledAt: null,
      test: false,
      sourceName: "web",
      displayFinancialStatus: "PAID",
      displayFulfillmentStatus: "FULFILLED",
      statusPageUrl: "https://shop.example/orders/81",
      totalPriceSet: money("2000.0"),
      fulfillments: [
        { id: "gid://shopify/Fulfillment/810", displayStatus: "DELIVERED", status: "SUCCESS", updatedAt: "2025-01-14T00:00:00Z" },
      ],
    },
    {
      id: "gid://shopify/LineItem/811",
      title: "Coffee",
      quantity: 2,
      product: { id: "gid://shopify/Product/100" },
      variant: { id: "gid://shopify/ProductVariant/1001" },
      originalUnitPriceSet: money("1000.0"),
      __parentId: "gid://shopify/Order/81",
    },
    {
      id: "gid://shopify/Order/82",
      name: "#1002",
      email: "other-address@example.com",
      phone: null,
      customer: { id: "gid://shopify/Customer/7001" },
      createdAt: "2025-02-09T01:00:00Z",
      processedAt: "2025-02-09T01:00:00Z",
      updatedAt: "2025-02-09T01:00:00Z",
      cancelledAt: null,
      test: false,
      sourceName: "pos",
      displayFinancialStatus: "PAID",
      displayFulfillmentStatus: "UNFULFILLED",
      statusPageUrl: null,
      totalPriceSet: money("1000.0"),
      fulfillments: [],
    },
    {
      id: "gid://shopify/LineItem/821",
      title: "Coffee",
      quantity: 1,
      product: { id: "gid://shopify/Product/100" },
      variant: null,
      originalUnitPriceSet: money("1000.0"),
      __parentId: "gid://shopify/Order/82",
    },
    {
      id: "gid://shopify/Order/83",
      name: "#1003",
      customer: null,
      createdAt: "2025-02-10T00:00:00Z",
      processedAt: "2025-02-10T00:00:00Z",
      updatedAt: "2025-02-10T00:00:00Z",
      cancelledAt: null,
      test: true,
      sourceName: "web",
      totalPriceSet: money("5.0"),
      fulfillments: [],
    },
  ]),
  "/checkouts.jsonl": jsonl([
    {
      id: "gid://shopify/AbandonedCheckout/91",
      createdAt: "2025-03-03T00:00:00Z",
      updatedAt: "2025-03-03T00:30:00Z",
      completedAt: null,
      abandonedCheckoutUrl: "https://shop.example/recover/91",
      customer: { id: "gid://shopify/Customer/7002" },
      totalPriceSet: money("3000.0"),
    },
    {
      id: "gid://shopify/AbandonedCheckoutLineItem/911",
      title: "Tea",
      quantity: 3,
      product: { id: "gid://shopify/Product/200" },
      variant: { id: "gid://shopify/ProductVariant/2001" },
      originalUnitPriceSet: money("1000.0"),
      __parentId: "gid://shopify/AbandonedCheckout/91",
    },
  ]),
};

let server: http.Server;
let baseUrl = "";
let worker: Awaited<ReturnType<typeof startWorker>>;
const graphqlCalls: Array<{ shop: string; query: string; variables?: { query?: string } }> = [];

interface FakeOp {
  id: string;
  file: string;
  polls: number;
  /** The query selected email / phone (protected customer data level 2); else the file leaves them out. */
  contact?: boolean;
}

/** Shopify's result has only the fields the query selected: email / phone only when asked for. */
function withoutContactFields(line: string): string {
  return JSON.stringify(JSON.parse(line), (k, v) => (["emailAddress", "phoneNumber", "email", "phone"].includes(k) ? undefined : v));
}
const current = new Map<string, FakeOp>(); // shop → current operation
let opSeq = 0;

function gqlResponse(data: unknown) {
  return new Response(JSON.stringify({ data }), { status: 200, headers: { "Content-Type": "application/json" } });
}

/** Answers the Admin GraphQL calls the backfill makes, like Shopify would (one op per shop at a time). */
async function fakeShopifyFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = new URL(String(input instanceof Request ? input.url : input));
  const body = JSON.parse(String(init?.body ?? "{}")) as { query: string; variables?: { query?: string } };
  const shop = url.hostname;
  graphqlCalls.push({ shop, query: body.query, variables: body.variables });
  if (!url.pathname.endsWith("/graphql.json")) return new Response("not found", { status: 404 });
  if (body.query.includes("bulkOperationRunQuery")) {
    const q = body.variables?.query ?? "";
    const file = q.includes("abandonedCheckouts") ? "/checkouts.jsonl" : q.includes("orders") ? "/orders.jsonl" : "/customers.jsonl";
    const op = { id: `gid://shopify/BulkOperation/${++opSeq}`, file, polls: 0, contact: q.includes("emailAddress") };
    current.set(shop, op);
    return gqlResponse({ bulkOperationRunQuery: { bulkOperation: { id: op.id, status: "CREATED" }, userErrors: [] } });
  }
  if (body.query.includes("currentBulkOperation")) {
    const op = current.get(shop);
    if (!op) return gqlResponse({ currentBulkOperation: null });
    op.polls++;
    const lines = FILES[op.file].trim().split("\n").length;
    if (op.polls < 2)
      return gqlResponse({ currentBulkOperation: { id: op.id, status: "RUNNING", errorCode: null, objectCount: "1", url: null } });
    return gqlResponse({
      currentBulkOperation: {
        id: op.id,
        status: "COMPLETED",
        errorCode: null,
        objectCount: String(lines),
        url: `${baseUrl}${op.file}${op.contact ? "" : "?selected=basic"}`,
      },
    });
  }
  return gqlResponse({});
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const file = FILES[url.pathname];
    const body =
      file && url.searchParams.get("selected") === "basic" ? file.trim().split("\n").map(withoutContactFields).join("\n") + "\n" : file;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/jsonl" });
    // Written in two chunks so the reader has to join a line split across chunks.
    const mid = Math.floor(body.length / 2);
    res.write(body.slice(0, mid));
    setTimeout(() => res.end(body.slice(mid)), 10);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  setAbstractFetchFunc(fakeShopifyFetch as typeof fetch);
  backfillSettings.pollDelayMs = 20;
  worker = await startWorker({ concurrency: 2, sweeps: false });
});
afterAll(async () => {
  await worker.stop();
  await new Promise((r) => server.close(r));
});

describe("backfill", () => {
  it("runs customers → orders → abandoned checkouts through bulk operations into the same facts", async () => {
    const shop = uniqueShop("backfill");
    const { shop: row } = await installDevShop({ domain: shop });
    const started = await startBackfill(shop);
    expect(started.status).toBe("started");
    expect((await startBackfill(shop)).status).toBe("already-running");

    // Polls are delayed jobs chained one after another: wait for the last kind to finish.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const last = await db().backfillRun.findFirst({
        where: { shopId: row.id, kind: "abandoned_checkouts", status: { in: ["completed", "failed"] } },
      });
      if (last) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await waitForIdleQueues({ timeoutMs: 60_000, includeDelayedWithinMs: 2_000, pollMs: 25 })).idle).toBe(true);

    const runs = await db().backfillRun.findMany({ where: { shopId: row.id }, orderBy: { id: "asc" } });
    expect(runs.map((r) => [r.kind, r.status, r.linesDone])).toEqual([
      ["customers", "completed", 2],
      ["orders", "completed", 5],
      ["abandoned_checkouts", "completed", 2],
    ]);
    expect(graphqlCalls.filter((c) => c.shop === shop && c.query.includes("bulkOperationRunQuery"))).toHaveLength(3);

    const view = await getCustomerView(row.id, 7001n, new Date("2025-04-01T00:00:00Z"));
    expect(view?.customer).toMatchObject({
      tags: ["vip"],
      emailMarketingState: "SUBSCRIBED",
      purchaseCount: 2,
      amountSpent: "3000.00",
      firstPurchaseChannel: "web",
      lastDeliveredAt: new Date("2025-01-14T00:00:00Z"),
    });
    expect(view?.products).toEqual([expect.objectContaining({ productId: "100", orderCount: 2, quantity: 3, rebuyIntervalDays: 30 })]);
    const other = await getCustomerView(row.id, 7002n, new Date("2025-04-01T00:00:00Z"));
    expect(other?.customer).toMatchObject({ smsMarketingState: "SUBSCRIBED", abandonedCheckoutAt: new Date("2025-03-03T00:30:00Z") });
    expect(other?.checkouts).toEqual([
      expect.objectContaining({
        token: "ac:91",
        state: "abandoned",
        recoveryUrl: "https://shop.example/recover/91",
        totalPrice: "3000.00",
      }),
    ]);
    expect(await db().order.count({ where: { shopId: row.id } })).toBe(3); // test order stored, not counted
    // Without protected customer data level 2 the backfill never asks for email / phone: no hashes.
    expect(bulkQueriesSent(shop).join(" ")).not.toMatch(/emailAddress|phoneNumber|\bemail\b|\bphone\b/);
    expect(await db().customer.findMany({ where: { shopId: row.id }, select: { emailHash: true, phoneHash: true } })).toEqual([
      { emailHash: null, phoneHash: null },
      { emailHash: null, phoneHash: null },
    ]);
  });

  it("with protected customer data level 2 the backfill reads email / phone and stores only their hashes", async () => {
    process.env.SHOPIFY_PROTECTED_CUSTOMER_DATA_LEVEL = "2";
    resetEnv();
    try {
      const shop = uniqueShop("backfill-l2");
      const { shop: row } = await installDevShop({ domain: shop });
      expect((await startBackfill(shop)).status).toBe("started");
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const last = await db().backfillRun.findFirst({
          where: { shopId: row.id, kind: "abandoned_checkouts", status: { in: ["completed", "failed"] } },
        });
        if (last) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await waitForIdleQueues({ timeoutMs: 60_000, includeDelayedWithinMs: 2_000, pollMs: 25 })).idle).toBe(true);
      const [customers, orders] = bulkQueriesSent(shop);
      expect(customers).toContain("defaultEmailAddress { emailAddress marketingState }");
      expect(customers).toContain("defaultPhoneNumber { phoneNumber marketingState }");
      expect(orders).toContain("email phone");
      const key = identityKey();
      const stored = await db().customer.findMany({
        where: { shopId: row.id },
        select: { shopifyCustomerId: true, emailHash: true, phoneHash: true },
        orderBy: { shopifyCustomerId: "asc" },
      });
      expect(stored).toEqual([
        // The customer's own address wins over an order's (an order only fills a missing hash).
        { shopifyCustomerId: 7001n, emailHash: emailHash("taro@example.com", key), phoneHash: null },
        { shopifyCustomerId: 7002n, emailHash: null, phoneHash: phoneHash("+819012345678", key) },
      ]);
      expect(stored[0]!.emailHash).not.toBeNull();
      // The addresses themselves are nowhere in the customer rows.
      expect(
        JSON.stringify(await db().customer.findMany({ where: { shopId: row.id } }), (_k, v) => (typeof v === "bigint" ? String(v) : v)),
      ).not.toMatch(/example\.com|1234-5678/i);
    } finally {
      delete process.env.SHOPIFY_PROTECTED_CUSTOMER_DATA_LEVEL;
      resetEnv();
    }
  });

  it("a resumed run skips the lines it already applied", async () => {
    const shop = uniqueShop("resume");
    const { shop: row } = await installDevShop({ domain: shop });
    current.set(shop, { id: "gid://shopify/BulkOperation/resume", file: "/customers.jsonl", polls: 5 });
    // The first customer line was applied before a crash (linesDone = 1).
    const run = await db().backfillRun.create({
      data: { shopId: row.id, kind: "customers", status: "running", bulkOperationId: "gid://shopify/BulkOperation/resume", linesDone: 1 },
    });
    const r = await runBackfillPoll(run.id);
    expect(r).toMatchObject({ status: "completed", linesDone: 2 });
    expect(await db().customer.findMany({ where: { shopId: row.id }, select: { shopifyCustomerId: true } })).toEqual([
      { shopifyCustomerId: 7002n },
    ]);
    await waitForIdleQueues({ timeoutMs: 60_000, includeDelayedWithinMs: 2_000, pollMs: 25 });
  });

  it("bulk_operations/finish makes the run poll at once", async () => {
    const shop = uniqueShop("finish");
    const { shop: row } = await installDevShop({ domain: shop });
    backfillSettings.pollDelayMs = 60_000; // only the webhook can trigger the poll in time
    try {
      const opId = "gid://shopify/BulkOperation/finish";
      const run = await db().backfillRun.create({
        data: { shopId: row.id, kind: "abandoned_checkouts", status: "running", bulkOperationId: opId },
      });
      current.set(shop, { id: opId, file: "/checkouts.jsonl", polls: 5 });
      const res = await bulkFinish({
        request: await signedWebhook({
          topic: "bulk_operations/finish",
          shop,
          body: {
            admin_graphql_api_id: opId,
            completed_at: "2025-04-01T00:00:00Z",
            created_at: "2025-04-01T00:00:00Z",
            error_code: null,
            status: "completed",
            type: "query",
          },
        }),
        params: {},
        context: {},
      });
      expect(res.status).toBe(200);
      const deadline = Date.now() + 15_000;
      let status = "running";
      while (status === "running" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await db().backfillRun.findUniqueOrThrow({ where: { id: run.id } })).status;
      }
      expect(status).toBe("completed");
      expect(await db().checkout.count({ where: { shopId: row.id } })).toBe(1);
    } finally {
      backfillSettings.pollDelayMs = 20;
    }
  });
});
