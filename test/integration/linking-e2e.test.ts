// Done-when test: the checkout extension's backend call (genuinely signed session token, order read
// through Admin GraphQL answered at the network boundary) → /line/login → LINE Login on the emulator
// (bot_prompt=aggressive adds the friend and sends a follow webhook) → /line/callback → link stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUpValidRequest, RequestType, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { loader as linkIntentLoader, action as linkIntentAction } from "~/routes/api.link-intent";
import { action as funnelAction } from "~/routes/api.link-funnel";
import { loader as loginLoader } from "~/routes/line.login";
import { loader as proxyLoader } from "~/routes/proxy.line._index";
import { linkFunnel } from "~/services/linking/funnel.server";
import { connectedShop, startLineTestEnv, type LineTestEnv } from "./line-support";
import {
  answerShopifyAdmin,
  call,
  extensionRequest,
  graphqlCalls,
  loginAs,
  newCheckoutToken,
  openCallback,
  requestIntent,
  shopifyOrders,
} from "./checkout-link-support";

let env: LineTestEnv;
let worker: Awaited<ReturnType<typeof startWorker>>;
/** Admin GraphQL answers: order id → customer gid (null = no customer). */
const orders = {
  set: (id: string, customer: string | null, extra: { checkoutToken?: string } = {}) => shopifyOrders.set(id, { customer, ...extra }),
};

beforeAll(async () => {
  env = await startLineTestEnv();
  answerShopifyAdmin();
  worker = await startWorker({ concurrency: 2, sweeps: false });
});
afterAll(async () => {
  await worker?.stop();
  await env?.close();
});

describe("checkout extension → LINE Login → link", () => {
  it("links the order's customer to the LINE user (source thank_you) and the friend is added", async () => {
    const { shop, ch, domain } = await connectedShop(env, { login: true });
    const user = env.emu.state.createUser({ displayName: "Keiko" });
    orders.set("gid://shopify/Order/5001", "gid://shopify/Customer/9001");

    const res = await requestIntent(domain, { orderId: "gid://shopify/Order/5001", target: "thank_you" }, "gid://shopify/Customer/9001");
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const { url } = (await res.json()) as { url: string };
    expect(url).toMatch(/^https:\/\/my-test-app\.myshopify\.io\/line\/login\?code=[A-Za-z0-9_-]{43}$/);
    expect(graphqlCalls).toContain(`${domain} 2026-07 gid://shopify/Order/5001`);

    const { authorize, callback, cookie } = await loginAs(url, user.userId);
    expect(authorize.searchParams.get("bot_prompt")).toBe("aggressive");
    expect(authorize.searchParams.get("scope")).toBe("profile openid");
    expect(authorize.searchParams.get("client_id")).toBe(ch.loginChannelId);
    expect(authorize.searchParams.get("redirect_uri")).toBe("https://my-test-app.myshopify.io/line/callback");
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    expect(callback.startsWith("https://my-test-app.myshopify.io/line/callback?")).toBe(true);

    const done = await openCallback(callback, cookie);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("You&#39;re connected");

    const friend = await db().friend.findUniqueOrThrow({ where: { shopId_lineUserId: { shopId: shop.id, lineUserId: user.userId } } });
    expect(friend.linkSource).toBe("thank_you");
    const customer = await db().customer.findUniqueOrThrow({ where: { id: friend.customerId! } });
    expect(customer.shopifyCustomerId).toBe(9001n);
    const intent = await db().linkIntent.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(intent).toMatchObject({ source: "thank_you", shopifyOrderId: 5001n, lineUserId: user.userId });
    expect(intent.usedAt).toBeInstanceOf(Date);

    // bot_prompt=aggressive made the user a friend; the emulator posted a signed follow to our webhook.
    expect((await env.ctl.getUserState(ch.channelId, user.userId)).friendship).toBe("friend");
    expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);
    const after = await db().friend.findUniqueOrThrow({ where: { id: friend.id } });
    expect(after).toMatchObject({ following: true, displayName: "Keiko" });
    expect(after.followedAt).toBeInstanceOf(Date);

    // The callback URL cannot be replayed.
    const replay = await openCallback(callback, cookie);
    expect(replay.status).toBe(400);

    // Funnel: view + click from the extension, the link counted once.
    for (const kind of ["view", "click"]) {
      const r = await call(async () =>
        funnelAction({
          request: await extensionRequest("/api/link-funnel", domain, { kind, target: "thank_you", orderId: "gid://shopify/Order/5001" }),
          params: {},
          context: {},
        }),
      );
      expect(r.status).toBe(204);
    }
    const funnel = await linkFunnel(shop.id, new Date(Date.now() - 3600_000));
    expect(funnel).toMatchObject({ views: 1, clicks: 1, links: 1 });
  });

  it("a guest checkout (no customer in the session token) links through the order's customer record", async () => {
    const { shop, domain } = await connectedShop(env, { login: true });
    const user = env.emu.state.createUser({ displayName: "Guest" });
    const checkoutToken = newCheckoutToken();
    orders.set("gid://shopify/Order/5002", "gid://shopify/Customer/9002", { checkoutToken });
    const res = await requestIntent(domain, {
      orderId: "gid://shopify/Order/5002",
      target: "order_status",
      checkoutToken,
      customerId: "gid://shopify/Customer/1",
    });
    expect(res.status).toBe(200);
    const { callback, cookie } = await loginAs(((await res.json()) as { url: string }).url, user.userId);
    expect((await openCallback(callback, cookie)).status).toBe(200);
    const friend = await db().friend.findUniqueOrThrow({ where: { shopId_lineUserId: { shopId: shop.id, lineUserId: user.userId } } });
    expect(friend.linkSource).toBe("order_status");
    expect((await db().customer.findUniqueOrThrow({ where: { id: friend.customerId! } })).shopifyCustomerId).toBe(9002n);
  });

  it("refuses another customer's order, an order without customer, no such order (one answer: 404), unsigned calls (401); nothing issued", async () => {
    const { shop, domain } = await connectedShop(env, { login: true });
    orders.set("gid://shopify/Order/5003", "gid://shopify/Customer/9003");
    orders.set("gid://shopify/Order/5004", null);
    expect(
      (await requestIntent(domain, { orderId: "gid://shopify/Order/5003", target: "thank_you" }, "gid://shopify/Customer/1234")).status,
    ).toBe(404);
    expect(
      (await requestIntent(domain, { orderId: "gid://shopify/Order/5004", target: "thank_you" }, "gid://shopify/Customer/1234")).status,
    ).toBe(404);
    expect((await requestIntent(domain, { orderId: "gid://shopify/Order/404404", target: "thank_you" })).status).toBe(404);
    expect((await requestIntent(domain, { orderId: "5003", target: "elsewhere" })).status).toBe(400);
    const unsigned = await call(() =>
      linkIntentAction({
        request: new Request("https://my-test-app.myshopify.io/api/link-intent", { method: "POST", body: "{}" }),
        params: {},
        context: {},
      }),
    );
    expect(unsigned.status).toBe(401);
    const preflight = await call(() =>
      linkIntentLoader({
        request: new Request("https://my-test-app.myshopify.io/api/link-intent", {
          method: "OPTIONS",
          headers: { Origin: "https://extensions.shopifycdn.com" },
        }),
        params: {},
        context: {},
      }),
    );
    expect(preflight.status).toBe(204);
    expect(await db().linkIntent.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("a tampered state or a cancelled login stores nothing", async () => {
    const { shop, domain } = await connectedShop(env, { login: true });
    const user = env.emu.state.createUser({ displayName: "Mallory" });
    orders.set("gid://shopify/Order/5005", "gid://shopify/Customer/9005");
    const res = await requestIntent(domain, { orderId: "gid://shopify/Order/5005", target: "thank_you" }, "gid://shopify/Customer/9005");
    const { callback, cookie } = await loginAs(((await res.json()) as { url: string }).url, user.userId);
    const tampered = new URL(callback);
    tampered.searchParams.set("state", "forged-state");
    expect((await openCallback(tampered.toString(), cookie)).status).toBe(400);
    const cancelled = new URL(callback);
    cancelled.searchParams.delete("code");
    cancelled.searchParams.set("error", "access_denied");
    expect((await openCallback(cancelled.toString(), cookie)).status).toBe(400);
    expect(await db().friend.count({ where: { shopId: shop.id, customerId: { not: null } } })).toBe(0);
    expect(
      (await loginLoader({ request: new Request("https://my-test-app.myshopify.io/line/login?code=nope"), params: {}, context: {} }))
        .status,
    ).toBe(404);
  });

  it("storefront (app proxy): logged-in customer → /line/login → linked (source storefront); anonymous → asked to log in", async () => {
    const { shop, domain } = await connectedShop(env, { login: true });
    const user = env.emu.state.createUser({ displayName: "Shopper" });
    const proxied = async (customerId: string) => {
      const url = new URL("https://my-test-app.myshopify.io/proxy/line");
      url.searchParams.set("logged_in_customer_id", customerId);
      url.searchParams.set("path_prefix", "/apps/line");
      const req = await setUpValidRequest(
        { type: RequestType.Public, store: domain.replace(".myshopify.com", ""), apiSecretKey: API_SECRET_KEY },
        new Request(url),
      );
      return call(() => proxyLoader({ request: req, params: {}, context: {} }));
    };
    const anon = await proxied("");
    expect(anon.headers.get("content-type")).toBe("application/liquid");
    expect(await anon.text()).toContain("log in");

    const forged = new URL("https://my-test-app.myshopify.io/proxy/line?shop=" + domain + "&logged_in_customer_id=1&signature=00");
    expect((await call(() => proxyLoader({ request: new Request(forged), params: {}, context: {} }))).status).toBe(400);

    const res = await proxied("9100");
    expect(res.status).toBe(302);
    const { callback, cookie } = await loginAs(res.headers.get("location")!, user.userId);
    expect((await openCallback(callback, cookie)).status).toBe(200);
    const friend = await db().friend.findUniqueOrThrow({ where: { shopId_lineUserId: { shopId: shop.id, lineUserId: user.userId } } });
    expect(friend.linkSource).toBe("storefront");
    expect((await db().customer.findUniqueOrThrow({ where: { id: friend.customerId! } })).shopifyCustomerId).toBe(9100n);
  });
});
