// Webhook deliveries arriving together are recorded by one statement (group commit,
// app/adapters/group-commit.ts), each answered only once its own row is committed; a delivery
// PostgreSQL refuses fails alone, and a webhook sent twice in one batch is recorded once.
// Real PostgreSQL, the routes' hot path with correctly signed deliveries. (No worker here.)
import { afterEach, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { db, hotPool } from "~/db.server";
import { signedWebhook, uniqueShop } from "../support/shopify";
import { routeFor } from "../support/webhook-routes";

async function hotPostOf(request: Request) {
  const route = await routeFor("/webhooks/orders/create");
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => (headers[k] = v));
  return route.hotPost!({ params: {}, headers, body: Buffer.from(await request.arrayBuffer()) });
}

/** Counts the statements that record deliveries (batched or alone) while `fn` runs. */
async function countRecordingStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const pool = hotPool();
  const original = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  let statements = 0;
  vi.spyOn(pool, "query").mockImplementation(((config: pg.QueryConfig, ...rest: unknown[]) => {
    if (typeof config === "object" && /^record-webhook-deliver/.test(config.name ?? "")) statements++;
    return original(config, ...rest);
  }) as never);
  return { result: await fn(), statements };
}

afterEach(() => vi.restoreAllMocks());

describe("group commit of webhook deliveries", () => {
  it("records 40 deliveries sent at once in a few statements, each answered 200 with its own row", async () => {
    const shop = uniqueShop("gc");
    const ids = Array.from({ length: 40 }, (_, i) => `gc-${i}-${crypto.randomUUID()}`);
    const requests = await Promise.all(
      ids.map((webhookId, i) => signedWebhook({ topic: "orders/create", shop, webhookId, body: { id: 1000 + i, total_price: `${i}.00` } })),
    );
    const { result: answers, statements } = await countRecordingStatements(() => Promise.all(requests.map(hotPostOf)));
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 200));
    expect(statements).toBeGreaterThan(0);
    expect(statements).toBeLessThan(10); // one statement per delivery before
    const rows = await db().webhookDelivery.findMany({ where: { shopDomain: shop }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.webhookId).sort()).toEqual([...ids].sort());
    for (const r of rows) {
      const i = ids.indexOf(r.webhookId);
      expect(r.payload, r.webhookId).toEqual({ id: 1000 + i, total_price: `${i}.00` });
      expect(r.topic).toBe("orders/create");
      expect(r.status).toBe("received");
    }
  });

  it("a delivery PostgreSQL refuses (a \\u0000 in its JSON) gets 503 alone; the others in its batch are recorded", async () => {
    const shop = uniqueShop("gcbad");
    const good = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signedWebhook({ topic: "orders/create", shop, webhookId: `good-${i}`, body: { id: i } })),
    );
    // Valid JSON (JSON.parse accepts it) that jsonb refuses: "unsupported Unicode escape sequence".
    const bad = await signedWebhook({ topic: "orders/create", shop, webhookId: "bad", rawBody: '{"id": 99, "note": "a\\u0000b"}' });
    const all = [...good.slice(0, 6), bad, ...good.slice(6)];
    const answers = await Promise.all(all.map(hotPostOf));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200, 503, 200, 200, 200, 200, 200, 200]);
    const rows = await db().webhookDelivery.findMany({ where: { shopDomain: shop }, select: { webhookId: true } });
    expect(rows.map((r) => r.webhookId).sort()).toEqual(good.map((_, i) => `good-${i}`).sort());
  });

  it("the same webhook twice in one batch is recorded once; both copies answered 200", async () => {
    const shop = uniqueShop("gcdup");
    const make = (webhookId: string) => signedWebhook({ topic: "orders/create", shop, webhookId, body: { id: 5 } });
    // Two statements in flight first, so the rest share the third.
    const requests = await Promise.all(["a", "b", "twice", "c", "twice"].map(make));
    const answers = await Promise.all(requests.map(hotPostOf));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const rows = await db().webhookDelivery.findMany({ where: { shopDomain: shop }, select: { webhookId: true } });
    expect(rows.map((r) => r.webhookId).sort()).toEqual(["a", "b", "c", "twice"]);
  });
});
