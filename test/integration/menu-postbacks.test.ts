// Rich-menu areas that need the friend's identity: "Talk to us" (hand-off) and personal links
// (cart recovery, reorder, order status), driven by signed postbacks from the LINE emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { linkFriendToCustomer } from "~/services/linking/links.server";
import { HANDOFF_TAG } from "~/services/rich-menus/postbacks.server";
import { startLineTestEnv, connectedShop, until, type LineTestEnv } from "./line-support";

let env: LineTestEnv;
let worker: Awaited<ReturnType<typeof startWorker>>;
const idle = () => waitForIdleQueues({ timeoutMs: 60_000 });

beforeAll(async () => {
  env = await startLineTestEnv();
  worker = await startWorker({ concurrency: 2, sweeps: false });
});
afterAll(async () => {
  await worker.stop();
  await env.close();
});

async function textsTo(channelId: string, userId: string): Promise<string[]> {
  const { messages } = await env.ctl.getMessages(channelId, { userId });
  return messages.map((m) => String((m.message as { text?: string }).text ?? ""));
}

describe("rich-menu postbacks", () => {
  it("'Talk to us' tags the friend for a person to reply and confirms for free", async () => {
    const { shop, ch } = await connectedShop(env);
    const user = env.emu.state.createUser({ displayName: "Needs help", friendOf: [ch.channelId] });
    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "postback", userId: user.userId, data: "menu=handoff" }]);
    await idle();
    const friend = await db().friend.findUniqueOrThrow({ where: { shopId_lineUserId: { shopId: shop.id, lineUserId: user.userId } } });
    const tag = await db().tag.findUniqueOrThrow({ where: { shopId_name: { shopId: shop.id, name: HANDOFF_TAG } } });
    expect(await db().friendTag.count({ where: { friendId: friend.id, tagId: tag.id } })).toBe(1);
    const { messages } = await env.ctl.getMessages(ch.channelId, { userId: user.userId });
    expect(messages.map((m) => m.kind)).toEqual(["reply"]);
  });

  it("replies with the friend's own tracked cart-recovery and reorder links", async () => {
    const { shop, ch, domain } = await connectedShop(env);
    const user = env.emu.state.createUser({ displayName: "Shopper", friendOf: [ch.channelId] });
    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "follow", userId: user.userId }]);
    await idle();
    await linkFriendToCustomer({ shopId: shop.id, lineUserId: user.userId, shopifyCustomerId: 777n, source: "storefront" });
    const now = new Date();
    await db().checkout.create({
      data: {
        shopId: shop.id,
        token: "tok-777",
        shopifyCustomerId: 777n,
        recoveryUrl: `https://${domain}/checkouts/tok-777/recover`,
        totalPrice: "1800",
        currency: "JPY",
        lineItems: [],
        shopifyCreatedAt: now,
        shopifyUpdatedAt: now,
        abandonedAt: now,
      },
    });
    await db().order.create({
      data: {
        shopId: shop.id,
        shopifyOrderId: 555n,
        shopifyCustomerId: 777n,
        processedAt: now,
        shopifyUpdatedAt: now,
        totalPrice: "3600",
        currency: "JPY",
        lines: {
          create: [
            {
              shopId: shop.id,
              shopifyCustomerId: 777n,
              productId: 1n,
              variantId: 42n,
              title: "Beans",
              quantity: 2,
              price: "1800",
              purchasedAt: now,
            },
          ],
        },
      },
    });

    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "postback", userId: user.userId, data: "menu=go&to=cart" }]);
    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "postback", userId: user.userId, data: "menu=go&to=reorder" }]);
    await idle();
    const texts = await until(async () => {
      const t = await textsTo(ch.channelId, user.userId);
      return t.length >= 2 ? t : null;
    });
    const links = texts.map((t) => /https?:\/\/\S+/.exec(t)?.[0]);
    expect(links.every((l) => l && /\/r\/[^?]+\?f=/.test(l))).toBe(true);
    // The two postbacks are independent LINE events the worker may handle in either order.
    const targets = await db().trackedLink.findMany({ where: { shopId: shop.id, sourceType: "menu_area" } });
    expect(targets.map((t) => t.url).sort()).toEqual([`https://${domain}/cart/42:2`, `https://${domain}/checkouts/tok-777/recover`]);
  });

  it("asks an unlinked friend to link first", async () => {
    const { ch } = await connectedShop(env);
    const user = env.emu.state.createUser({ displayName: "Stranger", friendOf: [ch.channelId] });
    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "postback", userId: user.userId, data: "menu=go&to=orderStatus" }]);
    await idle();
    const texts = await until(async () => {
      const t = await textsTo(ch.channelId, user.userId);
      return t.length ? t : null;
    });
    expect(texts[0]).toMatch(/Link your store account/);
  });

  it("answers in the shop's language (a shop in Japan, Taiwan, Thailand)", async () => {
    for (const [country, expected] of [
      ["JP", /^先にストアのアカウントを連携してください/],
      ["TW", /^請先連結您的商店帳號/],
      ["TH", /^กรุณาเชื่อมต่อบัญชีร้านค้าก่อน/],
    ] as const) {
      const { ch } = await connectedShop(env, { country });
      const user = env.emu.state.createUser({ displayName: "Stranger", friendOf: [ch.channelId] });
      await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "postback", userId: user.userId, data: "menu=go&to=orderStatus" }]);
      await idle();
      const texts = await until(async () => {
        const t = await textsTo(ch.channelId, user.userId);
        return t.length ? t : null;
      });
      expect(texts[0]).toMatch(expected);
    }
  });
});
