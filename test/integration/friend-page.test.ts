// The friend page, the needs-reply list and the consent settings page, through their real routes
// (sandbox admin auth) and LINE events sent by the emulator to the real webhook route: data is
// scoped to the shop (another shop's friend id is a 404), the conversation pages through what the
// friend sent and what the shop sent, "Talk to us" → needs reply → mark as done, and consent
// keywords saved on the settings page are the ones the LINE webhook handling obeys.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnv } from "~/config/env.server";
import { sandboxCookie } from "~/adapters/shopify/admin-auth.server";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { friendDetail, friendTimeline, type TimelineEntry } from "~/services/friends/detail.server";
import { listNeedsReply } from "~/services/friends/needs-reply.server";
import { sendPush } from "~/services/messaging/send.server";
import { consentHistory } from "~/services/consent/consent.server";
import { createTag, addTagToFriends, createTagRule } from "~/services/tags/tags.server";
import { createSegment } from "~/services/segments/segments.server";
import { decodeCursor, encodeCursor } from "~/domain/friends/timeline";
import { HANDOFF_POSTBACK_DATA } from "~/domain/rich-menus/types";
import { createInstance } from "i18next";
import { i18nOptions } from "~/i18n/config";
import { ruleConditionText } from "~/components/rich-menus/text";
import { createMenuFromTemplate } from "~/services/rich-menus/menus.server";
import { saveRules } from "~/services/rich-menus/rules.server";
import { action as friendAction, loader as friendLoader } from "~/routes/app.friends_.$id";
import { action as needsReplyAction, loader as needsReplyLoader } from "~/routes/app.friends_.needs-reply";
import { action as consentAction, loader as consentLoader } from "~/routes/app.settings_.consent";
import { loader as productsLoader } from "~/routes/app.products";
import { startLineTestEnv, connectedShop, type LineTestEnv } from "./line-support";

let env: LineTestEnv;
let worker: Awaited<ReturnType<typeof startWorker>>;
const idle = () => waitForIdleQueues({ timeoutMs: 60_000 });

beforeAll(async () => {
  process.env.SANDBOX_AUTH = "1";
  env = await startLineTestEnv();
  resetEnv();
  worker = await startWorker({ concurrency: 2, sweeps: false });
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await env?.close();
});

const url = (p: string) => `https://my-test-app.myshopify.io${p}`;
async function call(fn: (args: never) => Promise<unknown>, request: Request, params: Record<string, string> = {}): Promise<Response> {
  try {
    return (await fn({ request, params, context: {} } as never)) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
const get = (domain: string, path: string) => new Request(url(path), { headers: { cookie: sandboxCookie(domain) } });
const post = (domain: string, path: string, data: Record<string, string>) =>
  new Request(url(path), { method: "POST", headers: { cookie: sandboxCookie(domain) }, body: new URLSearchParams(data) });

/** A LINE user of the shop's channel who has added it: follow event through the webhook route. */
async function friendOf(ch: { channelId: string }, shopId: number, displayName: string) {
  const user = env.emu.state.createUser({ displayName, friendOf: [ch.channelId] });
  await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "follow", userId: user.userId }]);
  await idle();
  return db().friend.findUniqueOrThrow({ where: { shopId_lineUserId: { shopId, lineUserId: user.userId } } });
}

async function says(
  ch: { channelId: string },
  userId: string,
  event: { type: "message"; text: string } | { type: "postback"; data: string },
) {
  await env.ctl.sendWebhookEvents(ch.channelId, [{ userId, ...event }]);
  await idle();
}

describe("friend page", () => {
  it("shows the linked customer's facts, tags, menu and consent; another shop's friend id is a 404 for loader and actions", async () => {
    const a = await connectedShop(env, { country: "JP" });
    const b = await connectedShop(env);
    await db().shop.update({ where: { id: a.shop.id }, data: { timezone: "Asia/Tokyo", currency: "JPY" } });
    const friend = await friendOf(a.ch, a.shop.id, "Hanako");
    const now = new Date();
    const customer = await db().customer.create({
      data: {
        shopId: a.shop.id,
        shopifyCustomerId: 8801n,
        purchaseCount: 3,
        amountSpent: "12000",
        lastPurchaseAt: new Date(now.getTime() - 10 * 86_400_000),
      },
    });
    await db().friend.update({ where: { id: friend.id }, data: { customerId: customer.id, linkedAt: now, linkSource: "csv" } });
    const order = await db().order.create({
      data: {
        shopId: a.shop.id,
        shopifyOrderId: 9901n,
        shopifyCustomerId: 8801n,
        processedAt: customer.lastPurchaseAt!,
        shopifyUpdatedAt: customer.lastPurchaseAt!,
        totalPrice: "4000",
        currency: "JPY",
      },
    });
    await db().orderLine.create({
      data: {
        orderId: order.id,
        shopId: a.shop.id,
        shopifyCustomerId: 8801n,
        productId: 555n,
        title: "Hojicha 100g",
        quantity: 2,
        price: "2000",
        purchasedAt: order.processedAt,
      },
    });
    await db().customerProduct.create({
      data: {
        shopId: a.shop.id,
        shopifyCustomerId: 8801n,
        productId: 555n,
        firstPurchasedAt: order.processedAt,
        lastPurchasedAt: order.processedAt,
        orderCount: 1,
        quantity: 2,
      },
    });
    await db().checkout.create({
      data: {
        shopId: a.shop.id,
        token: "tok-open",
        shopifyCustomerId: 8801n,
        totalPrice: "3500",
        currency: "JPY",
        lineItems: [{ quantity: 2 }, { quantity: 1 }],
        shopifyCreatedAt: now,
        shopifyUpdatedAt: now,
        abandonedAt: new Date(now.getTime() - 3 * 3_600_000),
      },
    });
    const vip = await createTag(a.shop.id, { name: "VIP" });
    await addTagToFriends(a.shop.id, vip.id, [friend.id]);
    await says(a.ch, friend.lineUserId, { type: "message", text: "配信停止" });

    const detail = (await friendDetail(a.shop.id, friend.id))!;
    expect(detail.friend).toMatchObject({ displayName: "Hanako", following: true, followedAt: expect.any(Date) });
    expect(detail.customer).toMatchObject({
      shopifyCustomerId: "8801",
      purchaseCount: 3,
      amountSpent: "12000.00",
      daysSinceLastPurchase: 10,
      products: [{ productId: "555", title: "Hojicha 100g", orderCount: 1, quantity: 2 }],
      openCart: { totalPrice: "3500.00", currency: "JPY", itemCount: 3 },
    });
    expect(detail.tags.map((t) => t.name)).toEqual(["VIP"]);
    expect(detail.consent).toMatchObject({ optedOut: true, source: "keyword", since: expect.any(Date) });
    expect(detail.richMenu).toMatchObject({ current: null, rule: null });
    expect(detail.needsReplySince).toBeNull();

    // Shop B cannot see or change shop A's friend: not found, never the data.
    expect(await friendDetail(b.shop.id, friend.id)).toBeNull();
    expect(await friendTimeline(b.shop.id, friend.id)).toBeNull();
    const path = `/app/friends/${friend.id}`;
    const other = await call(friendLoader, get(b.domain, path), { id: String(friend.id) });
    expect(other.status).toBe(404);
    for (const id of ["999999", "abc", "1e3"])
      expect((await call(friendLoader, get(a.domain, `/app/friends/${id}`), { id })).status).toBe(404);
    const otherUnlink = await call(friendAction, post(b.domain, path, { intent: "unlink" }), { id: String(friend.id) });
    expect(otherUnlink.status).toBe(404);
    expect((await db().friend.findUniqueOrThrow({ where: { id: friend.id } })).customerId).toBe(customer.id);

    const own = await call(friendLoader, get(a.domain, path), { id: String(friend.id) });
    expect(own.status).toBe(200);
    const body = await own.json();
    expect(body.customer.products[0].title).toBe("Hojicha 100g");
    expect(body.timeline.items[0]).toMatchObject({ direction: "in", type: "text", text: "配信停止" });

    // Tags by hand, then unlink (the page asks first; the action does it).
    const removed = await call(friendAction, post(a.domain, path, { intent: "remove-tag", tagId: String(vip.id) }), {
      id: String(friend.id),
    });
    expect(await removed.json()).toEqual({ done: "tagRemoved" });
    expect((await friendDetail(a.shop.id, friend.id))!.tags).toEqual([]);
    const added = await call(friendAction, post(a.domain, path, { intent: "add-tag", tagId: String(vip.id) }), { id: String(friend.id) });
    expect(await added.json()).toEqual({ done: "tagAdded" });
    const foreignTag = await createTag(b.shop.id, { name: "Other shop's" });
    const refused = await call(friendAction, post(a.domain, path, { intent: "add-tag", tagId: String(foreignTag.id) }), {
      id: String(friend.id),
    });
    expect(refused.status).toBe(422);
    expect((await friendDetail(a.shop.id, friend.id))!.tags.map((t) => t.name)).toEqual(["VIP"]);
    const unlinked = await call(friendAction, post(a.domain, path, { intent: "unlink" }), { id: String(friend.id) });
    expect(await unlinked.json()).toEqual({ done: "unlinked" });
    expect((await friendDetail(a.shop.id, friend.id))!.customer).toBeNull();
  });

  it("says which rule gave the friend their menu in the admin's language (it was the rich-menu domain's English)", async () => {
    const a = await connectedShop(env, { country: "JP" });
    const friend = await friendOf(a.ch, a.shop.id, "Aoi");
    const segment = await createSegment(a.shop.id, {
      name: "常連",
      definition: { groups: [{ conditions: [{ field: "following", op: "is", value: true }] }] },
    });
    const menu = await createMenuFromTemplate({ shopId: a.shop.id, name: "常連メニュー", template: "large-6" });
    await saveRules(a.shop.id, [
      { kind: "intent", intent: { type: "abandonedCart", minHours: 24 }, richMenuId: menu.id, dwellHours: 24, enabled: true },
      { kind: "segment", segmentId: segment.id, richMenuId: menu.id, dwellHours: 24, enabled: true },
    ]);
    const rules = await db().menuRule.findMany({ where: { shopId: a.shop.id }, orderBy: { position: "asc" } });
    // The new segment's evaluation and the menu sync it asks for run on the worker: let them finish, or
    // the sync can rewrite the friend's menu and rule between the update below and the read.
    await idle();
    const i18n = createInstance();
    await i18n.init({ ...i18nOptions, lng: "ja" });
    const t = i18n.getFixedT("ja", "admin");
    const path = `/app/friends/${friend.id}`;
    const said: string[] = [];
    for (const rule of rules) {
      // What the menu sync stores once LINE has the friend's menu.
      await db().friend.update({ where: { id: friend.id }, data: { richMenuId: menu.id, richMenuRuleId: rule.id } });
      const body = await (await call(friendLoader, get(a.domain, `${path}?locale=ja`), { id: String(friend.id) })).json();
      said.push(
        t("friend.menu.byRule", { position: body.richMenu.rule.position, condition: ruleConditionText(t, body.richMenu.rule.condition) }),
      );
    }
    expect(said).toEqual(["ルール 1 で設定: カゴ落ちから 24 時間以上", "ルール 2 で設定: セグメント「常連」"]);
  });

  it("the conversation lists what the friend sent and what the shop sent, newest first, paged without gaps", async () => {
    const { shop, ch } = await connectedShop(env);
    const friend = await friendOf(ch, shop.id, "Ken");
    await says(ch, friend.lineUserId, { type: "message", text: "hello" });
    await sendPush({
      shopId: shop.id,
      friendId: friend.id,
      kind: "transactional",
      sourceType: "order",
      messages: [{ type: "text", text: "Shipped" }],
    });
    await says(ch, friend.lineUserId, { type: "postback", data: "menu=go&to=cart" });
    await says(ch, friend.lineUserId, { type: "message", text: "thanks" });

    const all: TimelineEntry[] = [];
    let cursor = null;
    for (let i = 0; i < 10; i++) {
      const page = (await friendTimeline(shop.id, friend.id, { cursor, pageSize: 2 }))!;
      all.push(...page.items);
      if (!page.next) break;
      cursor = decodeCursor(encodeCursor(page.next));
    }
    expect(all.map((e) => (e.direction === "in" ? `in:${e.type}:${e.text}` : `out:${e.kind}:${e.status}`))).toEqual([
      "in:text:thanks",
      "in:postback:menu=go&to=cart",
      "out:transactional:sent",
      "in:text:hello",
    ]);
  });
});

describe("needs reply", () => {
  it("'Talk to us' puts the friend on the list with what they wrote since; mark as done takes them off (only in their own shop)", async () => {
    const { shop, ch, domain } = await connectedShop(env);
    const other = await connectedShop(env);
    const friend = await friendOf(ch, shop.id, "Yui");
    const calm = await friendOf(ch, shop.id, "Calm");
    await says(ch, friend.lineUserId, { type: "message", text: "before asking" });
    await says(ch, calm.lineUserId, { type: "message", text: "just saying hi" });
    expect(await listNeedsReply(shop.id)).toEqual({ total: 0, friends: [] });

    await says(ch, friend.lineUserId, { type: "postback", data: HANDOFF_POSTBACK_DATA });
    await says(ch, friend.lineUserId, { type: "message", text: "Where is my order?" });
    const list = await listNeedsReply(shop.id);
    expect(list.total).toBe(1);
    expect(list.friends).toEqual([
      expect.objectContaining({
        friendId: friend.id,
        displayName: "Yui",
        messagesSince: 1,
        lastMessage: expect.objectContaining({ type: "text", text: "Where is my order?" }),
      }),
    ]);
    expect((await friendDetail(shop.id, friend.id))!.needsReplySince).toEqual(list.friends[0]!.since);
    expect(await listNeedsReply(other.shop.id)).toEqual({ total: 0, friends: [] });

    const page = await call(needsReplyLoader, get(domain, "/app/friends/needs-reply"));
    expect((await page.json()).friends.map((f: { friendId: number }) => f.friendId)).toEqual([friend.id]);
    const foreign = await call(
      needsReplyAction,
      post(other.domain, "/app/friends/needs-reply", { intent: "mark-replied", friendId: String(friend.id) }),
    );
    expect(await foreign.json()).toEqual({ outcome: "not-waiting" });
    expect((await listNeedsReply(shop.id)).total).toBe(1);
    const done = await call(
      needsReplyAction,
      post(domain, "/app/friends/needs-reply", { intent: "mark-replied", friendId: String(friend.id) }),
    );
    expect(await done.json()).toEqual({ outcome: "done" });
    expect(await listNeedsReply(shop.id)).toEqual({ total: 0, friends: [] });
  });
});

describe("consent settings page", () => {
  it("shows the replies in the shop's language, refuses what would not work with plain messages, and the LINE webhook obeys what was saved", async () => {
    const { shop, ch, domain } = await connectedShop(env, { country: "JP" });
    const friend = await friendOf(ch, shop.id, "Aoi");
    const loaded = await (await call(consentLoader, get(domain, "/app/settings/consent"))).json();
    expect(loaded.values.optOutReply).toBe("配信を停止しました。再開するには「配信再開」と送信してください。");
    expect(loaded.values.optOutKeywords.split("\n")).toContain("配信停止");

    const form = { ...loaded.values, mirrorShopify: "false" };
    const bad = await call(
      consentAction,
      post(domain, "/app/settings/consent", { ...form, optOutKeywords: "", optInKeywords: "START\nやめる", optInReply: " " }),
    );
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual({
      optOutKeywords: "consentSettings.errors.noOptOutKeyword",
      optInReply: "consentSettings.errors.replyEmpty",
    });
    const both = await call(
      consentAction,
      post(domain, "/app/settings/consent", { ...form, optOutKeywords: "やめる\nstop", optInKeywords: "ＳＴＯＰ" }),
    );
    expect((await both.json()).errors).toEqual({ optInKeywords: "consentSettings.errors.keywordInBoth" });

    const ok = await call(
      consentAction,
      post(domain, "/app/settings/consent", { ...form, optOutKeywords: "やめる\nstop please", optOutReply: "止めました。またね。" }),
    );
    expect(ok.status).toBe(200);
    expect((await ok.json()).values.optOutKeywords).toBe("やめる\nstop please");

    // The old default word is no longer a consent keyword; the saved one is, with the saved reply.
    await says(ch, friend.lineUserId, { type: "message", text: "配信停止" });
    expect((await db().friend.findUniqueOrThrow({ where: { id: friend.id } })).marketingOptOut).toBe(false);
    await says(ch, friend.lineUserId, { type: "message", text: "ＳＴＯＰ ＰＬＥＡＳＥ" });
    expect((await db().friend.findUniqueOrThrow({ where: { id: friend.id } })).marketingOptOut).toBe(true);
    expect((await consentHistory(shop.id, friend.id))[0]).toMatchObject({ source: "keyword", detail: "STOP PLEASE" });
    const { messages } = await env.ctl.getMessages(ch.channelId, { userId: friend.lineUserId, kind: "reply" });
    expect(messages.map((m) => String((m.message as { text?: string }).text))).toContain("止めました。またね。");
  });
});

describe("pickers instead of typed ids", () => {
  it("products are searched by title within the shop, and stored ids come back with their titles", async () => {
    const a = await connectedShop(env);
    const b = await connectedShop(env);
    const line = async (shopId: number, orderId: bigint, productId: bigint, title: string, daysAgo: number) => {
      const at = new Date(Date.now() - daysAgo * 86_400_000);
      const order = await db().order.create({
        data: { shopId, shopifyOrderId: orderId, processedAt: at, shopifyUpdatedAt: at, totalPrice: "10", currency: "JPY" },
      });
      await db().orderLine.create({ data: { orderId: order.id, shopId, productId, title, quantity: 1, price: "10", purchasedAt: at } });
    };
    await line(a.shop.id, 1n, 101n, "Sencha (old name)", 30);
    await line(a.shop.id, 2n, 101n, "Sencha 50g", 1);
    await line(a.shop.id, 3n, 102n, "Matcha 100% tin", 2);
    await line(a.shop.id, 4n, 103n, "Teapot", 3);
    await line(b.shop.id, 5n, 201n, "Sencha from shop B", 1);
    const search = async (domain: string, q: string) =>
      (await (await call(productsLoader, get(domain, `/app/products?${q}`))).json()).products as Array<{ id: string; title: string }>;
    expect(await search(a.domain, "q=SENCHA")).toEqual([{ id: "101", title: "Sencha 50g" }]);
    expect(await search(a.domain, "q=100%25")).toEqual([{ id: "102", title: "Matcha 100% tin" }]);
    expect((await search(a.domain, "q=")).map((p) => p.id)).toEqual(["101", "102", "103"]);
    // A malformed id list is refused as a whole (the picker only sends ids it got from us).
    expect(await search(a.domain, "ids=103,201,abc")).toEqual([]);
    expect(await search(a.domain, "ids=103,201")).toEqual([{ id: "103", title: "Teapot" }]);
  });

  it("a tag rule's segment must be one of the shop's segments", async () => {
    const a = await connectedShop(env);
    const b = await connectedShop(env);
    const tag = await createTag(a.shop.id, { name: "Hot" });
    const theirs = await createSegment(b.shop.id, {
      name: "Theirs",
      definition: { groups: [{ conditions: [{ field: "following", op: "is", value: true }] }] },
    });
    await expect(createTagRule(a.shop.id, { trigger: "segment_enter", match: String(theirs.id), tagId: tag.id })).rejects.toMatchObject({
      field: "match",
      message: "Pick a segment",
    });
    const ours = await createSegment(a.shop.id, {
      name: "Ours",
      definition: { groups: [{ conditions: [{ field: "following", op: "is", value: true }] }] },
    });
    expect(await createTagRule(a.shop.id, { trigger: "segment_leave", match: String(ours.id), tagId: tag.id })).toMatchObject({
      match: String(ours.id),
    });
  });
});
