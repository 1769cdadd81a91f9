// Issue 9 item 4: bodies are capped and streamed BEFORE verification on every public route. A 50 MB
// unsigned POST is refused with 413 quickly and the web process does not buffer it (RSS stays flat);
// a body under the cap goes through. Served by the real ingress (hot path + the Remix hand-off) over
// HTTP; the Remix stand-in only echoes the body size it was given (it must never see an oversized one).
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { ingressListener, remixHandler } from "~/adapters/http/ingress.server";
import { BODY_LIMITS, bodyLimitFor } from "~/domain/http/body-limits";
import * as ordersCreate from "~/routes/webhooks.orders.create";
import * as lineWebhook from "~/routes/webhooks.line.$shop";
import * as redirect from "~/routes/r.$code";
import { signedWebhook, uniqueShop } from "../support/shopify";
import { installDevShop } from "~/services/shops.server";
import { createTrackedLink, signFriendToken, uniqueClickCount } from "~/services/tracking/links.server";

let server: http.Server;
let port: number;
const remixSaw: number[] = [];

beforeAll(async () => {
  const app = express();
  app.set("trust proxy", 1); // as TRUST_PROXY_HOPS=1 behind one load balancer
  app.all(
    "*",
    remixHandler(async (request) => {
      const size = (await request.arrayBuffer()).byteLength;
      remixSaw.push(size);
      return new Response(String(size));
    }),
  );
  // As scripts/web.ts serves: the hot routes before Express, the rest through it.
  server = http
    .createServer(
      ingressListener(app, [
        { path: "/webhooks/orders/create", module: ordersCreate },
        { path: "/webhooks/line/:shop", module: lineWebhook },
        { path: "/r/:code", module: redirect },
        {
          path: "/boom/:x",
          module: {
            hotPath: true,
            hotGet: async () => {
              throw new Error("database unreachable");
            },
          },
        },
      ]),
    )
    .listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const MB = 1024 * 1024;
const chunk = Buffer.alloc(64 * 1024, 0x61);

/**
 * POSTs `total` bytes in 64 KiB chunks (declared Content-Length, or chunked when `declare` is false)
 * and resolves with the status as soon as the server answers, however much was sent by then.
 */
function post(pathname: string, total: number, declare: boolean): Promise<{ status: number; ms: number; sent: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request({
      host: "127.0.0.1",
      port,
      path: pathname,
      method: "POST",
      headers: declare ? { "content-length": total } : {},
    });
    req.on("response", (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, ms: Date.now() - started, sent });
      req.destroy();
    });
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    const pump = () => {
      while (!answered && sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

async function rssGrowthMb(fn: () => Promise<unknown>): Promise<number> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  await fn();
  return (process.memoryUsage().rss - before) / MB;
}

describe("body caps before verification", () => {
  it.each([
    ["/webhooks/orders/create", true],
    ["/webhooks/orders/create", false],
    ["/webhooks/line/some-shop.myshopify.com", false],
    ["/app/rich-menus/1", true],
    ["/app/friends", false],
    ["/proxy/line/account-link", false],
    ["/api/link-intent", true],
  ])("50 MB unsigned POST to %s (Content-Length declared: %s) → 413, quickly, not buffered", async (pathname, declare) => {
    const shopsBefore = await db().webhookDelivery.count();
    let result!: { status: number; ms: number; sent: number };
    const growth = await rssGrowthMb(async () => {
      result = await post(pathname, 50 * MB, declare);
    });
    expect(result.status).toBe(413);
    expect(result.ms).toBeLessThan(5_000);
    // At most the path's cap is held (16 MB for the CSV import), never the 50 MB sent.
    expect(growth).toBeLessThan(bodyLimitFor(pathname) / MB + 15);
    // Refused at the cap: the client could not push the whole 50 MB through before the answer.
    expect(result.sent).toBeLessThan(50 * MB);
    expect(remixSaw.every((n) => n <= BODY_LIMITS.linksCsvImport)).toBe(true);
    expect(await db().webhookDelivery.count()).toBe(shopsBefore);
  });

  it("a declared Content-Length over the cap is refused before any of the body is read", async () => {
    const r = await post("/webhooks/orders/create", BODY_LIMITS.shopifyWebhook + 1, true);
    expect(r.status).toBe(413);
  });

  it("bodies under their cap go through: a signed webhook on the hot path, a CSV import to Remix", async () => {
    const shop = uniqueShop();
    const signed = await signedWebhook({ topic: "orders/create", shop, body: { id: 42, note: "x".repeat(200_000) } });
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/orders/create`, {
      method: "POST",
      headers: signed.headers,
      body: await signed.text(),
    });
    expect(res.status).toBe(200);
    expect(await db().webhookDelivery.count({ where: { shopDomain: shop } })).toBe(1);

    const csv = await post("/app/friends", 3 * MB, false);
    expect(csv.status).toBe(200);
    expect(remixSaw.at(-1)).toBe(3 * MB);
  });

  it("the /r/ redirect on the hot path: 302 to the target, counted per visitor (friend, else proxied client address), 404 for unknown codes", async () => {
    const domain = uniqueShop();
    await installDevShop({ domain });
    const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
    const friend = await db().friend.create({ data: { shopId: shop.id, lineUserId: `U${shop.id}hot` } });
    const link = await createTrackedLink({ shopId: shop.id, url: "https://shop.example/sale?x=1", sourceType: "broadcast", sourceId: 77 });
    const code = link.code;
    const BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Line/14.0.0";
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${port}${path}`, { redirect: "manual", headers: { "user-agent": BROWSER, ...headers } });

    const first = await get(`/r/${code}?f=${signFriendToken(friend.id)}`);
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toMatch(/^https:\/\/shop\.example\/sale\?x=1/);
    expect(first.headers.get("cache-control")).toBe("no-store");
    await get(`/r/${code}?f=${signFriendToken(friend.id)}`); // the same friend again: not counted twice
    await get(`/r/${code}`, { "x-forwarded-for": "198.51.100.1" });
    await get(`/r/${code}`, { "x-forwarded-for": "198.51.100.1" }); // same visitor
    await get(`/r/${code}`, { "x-forwarded-for": "198.51.100.2" });
    // A client-sent address header is overwritten by the ingress, never trusted.
    await get(`/r/${code}`, { "x-forwarded-for": "198.51.100.2", "x-linecrm-client-address": "203.0.113.99" });
    expect(await uniqueClickCount(shop.id, "broadcast", 77)).toBe(3);
    const rows = await db().linkClick.findMany({ where: { linkId: link.id } });
    expect(rows).toHaveLength(6);
    expect(rows.filter((r) => r.friendId === friend.id)).toHaveLength(2);

    const missing = await get(`/r/zzzzzzzz`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("Not found");
    const head = await fetch(`http://127.0.0.1:${port}/r/${code}`, { method: "HEAD", redirect: "manual" });
    expect(head.status).toBe(302);
  });

  it("a hot route that fails answers 500 (not a hung request) and the server goes on serving", async () => {
    const failed = await fetch(`http://127.0.0.1:${port}/boom/1`);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe("internal error");
    const after = await fetch(`http://127.0.0.1:${port}/r/zzzzzzzz`);
    expect(after.status).toBe(404);
  });
});
