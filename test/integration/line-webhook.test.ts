// The LINE webhook end to end: the emulator signs and posts events to the real route (through a
// node:http bridge), the worker processes them, effects are asserted on rows and on what LINE got.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { action as lineWebhook } from "~/routes/webhooks.line.$shop";
import { confirmAccountLink, storefrontAccountLink } from "./account-link-support";
import { linkFriendToCustomer } from "~/services/linking/links.server";
import { connectedShop, startLineTestEnv, until, type LineTestEnv } from "./line-support";

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
const friendOf = (shopId: number, lineUserId: string) => db().friend.findUnique({ where: { shopId_lineUserId: { shopId, lineUserId } } });

describe("LINE webhook", () => {
  it("follow (signed by the emulator) creates the friend and fetches the profile through the SDK", async () => {
    const { shop, ch } = await connectedShop(env);
    const user = env.emu.state.createUser({ displayName: "Hanako", pictureUrl: "https://example.com/h.png", language: "ja" });
    const t = Date.now() - 5000;
    const r = await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "follow", userId: user.userId, timestamp: t }]);
    expect(r.status).toBe(200);
    await idle();
    const f = await friendOf(shop.id, user.userId);
    expect(f).toMatchObject({
      following: true,
      blockedAt: null,
      displayName: "Hanako",
      pictureUrl: "https://example.com/h.png",
      language: "ja",
    });
    expect(f!.followedAt!.getTime()).toBe(t);
    expect(f!.profileFetchedAt).toBeInstanceOf(Date);
    expect((await env.ctl.getRequests(ch.channelId, { operationId: "getProfile" })).requests.length).toBe(1);
    const ev = await db().lineEvent.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(ev).toMatchObject({ type: "follow", status: "processed", lineUserId: user.userId });
  });

  it("refuses a bad or missing signature with 401 and stores nothing", async () => {
    const { shop, ch, domain } = await connectedShop(env);
    const user = env.emu.state.createUser({ displayName: "X" });
    const body = {
      destination: ch.botUserId,
      events: [
        {
          type: "follow",
          timestamp: Date.now(),
          mode: "active",
          webhookEventId: "01BADSIG",
          deliveryContext: { isRedelivery: false },
          source: { type: "user", userId: user.userId },
          replyToken: "r",
        },
      ],
    };
    const viaEmulator = await fetch(`${env.emu.url}/__emulator/channels/${ch.channelId}/webhook-raw`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ body, badSignature: true }),
    }).then((res) => res.json() as Promise<{ status: number }>);
    expect(viaEmulator.status).toBe(401);
    const raw = JSON.stringify(body);
    const missing = await lineWebhook({
      request: new Request(`https://app.test/webhooks/line/${domain}`, { method: "POST", body: raw }),
      params: { shop: domain },
      context: {},
    });
    expect(missing.status).toBe(401);
    const wrongSecret = crypto.createHmac("sha256", "not-the-secret").update(raw).digest("base64");
    const wrong = await lineWebhook({
      request: new Request(`https://app.test/webhooks/line/${domain}`, {
        method: "POST",
        body: raw,
        headers: { "x-line-signature": wrongSecret },
      }),
      params: { shop: domain },
      context: {},
    });
    expect(wrong.status).toBe(401);
    expect(await db().lineEvent.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await db().friend.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("answers LINE's verify (empty events) with 200, unknown shops with 404, bad JSON with 400", async () => {
    const { ch, domain, shop } = await connectedShop(env);
    const sign = (b: string) => crypto.createHmac("sha256", ch.channelSecret).update(b).digest("base64");
    const post = (d: string, b: string) =>
      lineWebhook({
        request: new Request(`https://app.test/webhooks/line/${d}`, { method: "POST", body: b, headers: { "x-line-signature": sign(b) } }),
        params: { shop: d },
        context: {},
      });
    expect((await post(domain, JSON.stringify({ destination: ch.botUserId, events: [] }))).status).toBe(200);
    expect((await post("nobody.myshopify.com", "{}")).status).toBe(404);
    expect((await post(domain, "{not json")).status).toBe(400);
    expect((await post(domain, JSON.stringify({ events: [{ type: "follow" }] }))).status).toBe(400);
    expect(await db().lineEvent.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("stores a redelivered webhookEventId once and processes it once", async () => {
    const { shop, ch } = await connectedShop(env);
    const user = env.emu.state.createUser({ displayName: "Dup", friendOf: [ch.channelId] });
    const webhookEventId = "01HZZZZZZZZZZZZZZZZZZZZZZZ";
    for (const isRedelivery of [false, true, true]) {
      const r = await env.ctl.sendWebhookEvents(ch.channelId, [
        { type: "postback", userId: user.userId, data: "menu=7&area=Coupons", webhookEventId, isRedelivery },
      ]);
      expect(r.status).toBe(200);
    }
    await idle();
    expect(await db().lineEvent.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await db().richMenuTap.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("unfollow blocks (link kept), a later follow unblocks and keeps the first followedAt", async () => {
    const { shop, ch } = await connectedShop(env);
    const user = env.emu.state.createUser({ displayName: "Blocky" });
    const t0 = Date.now() - 60_000;
    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "follow", userId: user.userId, timestamp: t0 }]);
    await idle();
    await linkFriendToCustomer({ shopId: shop.id, lineUserId: user.userId, shopifyCustomerId: 4242n, source: "storefront" });
    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "unfollow", userId: user.userId, timestamp: t0 + 1000 }]);
    await idle();
    let f = await friendOf(shop.id, user.userId);
    expect(f).toMatchObject({ following: false, linkSource: "storefront" });
    expect(f!.blockedAt!.getTime()).toBe(t0 + 1000);
    expect(f!.customerId).not.toBeNull();

    const r = await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "follow", userId: user.userId, timestamp: t0 + 2000 }]);
    expect((r as unknown as { events: Array<{ follow: { isUnblocked: boolean } }> }).events[0].follow.isUnblocked).toBe(true);
    await idle();
    f = await friendOf(shop.id, user.userId);
    expect(f).toMatchObject({ following: true, blockedAt: null });
    expect(f!.followedAt!.getTime()).toBe(t0);
  });

  it("records rich-menu taps with menu and area, and message activity", async () => {
    const { shop, ch } = await connectedShop(env);
    const user = env.emu.state.createUser({ displayName: "Tapper", friendOf: [ch.channelId] });
    await env.ctl.sendWebhookEvents(ch.channelId, [
      { type: "postback", userId: user.userId, data: "menu=12&area=New%20arrivals&action=browse" },
      { type: "message", userId: user.userId, text: "hello there" },
    ]);
    await idle();
    const tap = await db().richMenuTap.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(tap).toMatchObject({ richMenuId: 12, area: "New arrivals", data: "menu=12&area=New%20arrivals&action=browse" });
    const f = await friendOf(shop.id, user.userId);
    expect(f!.lastActivityAt).toBeInstanceOf(Date);
    expect(await db().lineEvent.count({ where: { shopId: shop.id, status: "processed" } })).toBe(2);
  });

  it("LINE-first: 'Link my account' postback → link token reply → storefront login → accountLink webhook → linked (source line)", async () => {
    const { shop, ch, domain } = await connectedShop(env);
    const user = env.emu.state.createUser({ displayName: "First", friendOf: [ch.channelId] });
    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "postback", userId: user.userId, data: "menu=1&area=Link&action=link" }]);
    await idle();
    const msgs = await env.ctl.getMessages(ch.channelId, { userId: user.userId, kind: "reply" });
    const text = JSON.stringify(msgs);
    const m = text.match(new RegExp(`https://${domain.replace(/\./g, "\\.")}/apps/line/account-link\\?linkToken=([A-Za-z0-9_-]+)`));
    expect(m).not.toBeNull();
    const linkToken = m![1];

    // The storefront proxies /apps/line/account-link to us with a signed query; the shopper confirms.
    const notLoggedIn = await storefrontAccountLink(domain, { linkToken, customerId: "" });
    expect(notLoggedIn.status).toBe(200);
    expect(await notLoggedIn.text()).toContain("/account/login");

    const res = await confirmAccountLink(domain, linkToken, "777001");
    expect(res.status).toBe(303);
    const dialog = res.headers.get("location")!;
    expect(dialog.startsWith(`${env.emu.url}/dialog/bot/accountLink?linkToken=${linkToken}&nonce=`)).toBe(true);
    const intent = await db().linkIntent.findFirstOrThrow({ where: { shopId: shop.id, source: "line" } });
    expect(intent.shopifyCustomerId).toBe(777001n);
    expect(intent.lineUserId).toBe(user.userId);
    expect(dialog).toContain(`nonce=${intent.nonce}`);

    // The shopper's browser follows it; LINE sends the accountLink webhook with the nonce.
    expect((await fetch(dialog)).status).toBe(200);
    await idle();
    const f = await until(async () => {
      const row = await friendOf(shop.id, user.userId);
      return row?.customerId ? row : null;
    });
    expect(f.linkSource).toBe("line");
    const customer = await db().customer.findUniqueOrThrow({ where: { id: f.customerId! } });
    expect(customer.shopifyCustomerId).toBe(777001n);
    expect((await db().linkIntent.findUniqueOrThrow({ where: { id: intent.id } })).usedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(await env.ctl.getMessages(ch.channelId, { userId: user.userId, kind: "reply" }))).toContain("now linked");

    // A replayed accountLink with the used nonce links nothing else.
    await env.ctl.sendWebhookEvents(ch.channelId, [
      {
        type: "accountLink",
        userId: env.emu.state.createUser({ displayName: "Other", friendOf: [ch.channelId] }).userId,
        link: { result: "ok", nonce: intent.nonce },
      },
    ]);
    await idle();
    expect(await db().friend.count({ where: { shopId: shop.id, customerId: { not: null } } })).toBe(1);

    // The shopper unlinks from LINE with the keyword.
    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "message", userId: user.userId, text: "unlink" }]);
    await idle();
    expect((await friendOf(shop.id, user.userId))!.customerId).toBeNull();
    expect(await db().linkHistory.count({ where: { shopId: shop.id, action: "unlinked", source: "shopper" } })).toBe(1);
  });
});
