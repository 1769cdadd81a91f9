// Consent: opt-out / opt-in by keyword and by rich-menu postback from LINE (events and reply tokens
// made by the emulator), confirmed by a free reply; history kept; Shopify marketing mirror; and a
// broadcast sent after an opt-out skips the friend.
import { describe, expect, it } from "vitest";
import { setupLineEmulator, shopWithLineChannel } from "../support/line";
import { db } from "~/db.server";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { consentHistory, handleConsentEvent } from "~/services/consent/consent.server";
import { createBroadcast, sendBroadcast } from "~/services/broadcasts/broadcasts.server";
import { action as customersUpdate } from "~/routes/webhooks.customers.update";
import { signedWebhook } from "../support/shopify";
import { customerBody } from "./ingestion-fixtures";
import { action as lineWebhook } from "~/routes/webhooks.line.$shop";

const lineEmu = setupLineEmulator({ worker: { concurrency: 1 } });

async function setup(settings: object = {}, country = "US") {
  const { domain, ch } = await shopWithLineChannel(lineEmu, { country });
  const shop = await db().shop.update({ where: { domain }, data: { settings } });
  const user = lineEmu.emu.state.createUser({ displayName: "Hanako", friendOf: [ch.channelId] });
  const friend = await db().friend.create({ data: { shopId: shop.id, lineUserId: user.userId, displayName: "Hanako" } });
  return { shop, ch, friend };
}

async function userSays(channelId: string, userId: string, event: { type: "message"; text: string } | { type: "postback"; data: string }) {
  const r = await lineEmu.ctl.sendWebhookEvent(channelId, { userId, ...event });
  const e = r.events![0] as { replyToken: string };
  return e.replyToken;
}

describe("opt-out from LINE", () => {
  it("keyword STOP (and 配信停止) opts out with a free confirmation reply; START opts back in; history kept", async () => {
    const { shop, ch, friend } = await setup();
    const token = await userSays(ch.channelId, friend.lineUserId, { type: "message", text: "stop" });
    const r = await handleConsentEvent({ shopId: shop.id, lineUserId: friend.lineUserId, kind: "text", value: "stop", replyToken: token });
    expect(r).toEqual({ action: "optout", result: "changed", replied: true });
    expect(await db().friend.findUniqueOrThrow({ where: { id: friend.id } })).toMatchObject({
      marketingOptOut: true,
      marketingOptOutAt: expect.any(Date),
    });
    const { messages } = await lineEmu.ctl.getMessages(ch.channelId, { userId: friend.lineUserId });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ kind: "reply" });
    expect(String(messages[0]!.message.text)).toMatch(/no longer receive marketing/);
    expect((await lineEmu.ctl.getChannel(ch.channelId)).totalUsage).toBe(0); // replies are free

    // Saying it again changes nothing (no duplicate event), but still confirms.
    const again = await handleConsentEvent({
      shopId: shop.id,
      lineUserId: friend.lineUserId,
      kind: "text",
      value: "配信停止",
      replyToken: await userSays(ch.channelId, friend.lineUserId, { type: "message", text: "配信停止" }),
    });
    expect(again).toMatchObject({ action: "optout", result: "unchanged" });

    const back = await handleConsentEvent({
      shopId: shop.id,
      lineUserId: friend.lineUserId,
      kind: "text",
      value: "START",
      replyToken: await userSays(ch.channelId, friend.lineUserId, { type: "message", text: "START" }),
    });
    expect(back).toMatchObject({ action: "optin", result: "changed", replied: true });
    expect((await db().friend.findUniqueOrThrow({ where: { id: friend.id } })).marketingOptOut).toBe(false);
    const history = await consentHistory(shop.id, friend.id);
    expect(history.map((h) => [h.optedOut, h.source, h.detail])).toEqual([
      [false, "keyword", "START"],
      [true, "keyword", "STOP"],
    ]);
    expect(await handleConsentEvent({ shopId: shop.id, lineUserId: friend.lineUserId, kind: "text", value: "hello" })).toBeNull();
  });

  it("rich-menu postback action=optout, with a configured keyword set; the next broadcast skips the friend", async () => {
    const { shop, ch, friend } = await setup({ consent: { optOutKeywords: ["UNSUB"], optOutReply: "Bye for now" } });
    const other = lineEmu.emu.state.createUser({ displayName: "Ken", friendOf: [ch.channelId] });
    await db().friend.create({ data: { shopId: shop.id, lineUserId: other.userId } });
    expect(await handleConsentEvent({ shopId: shop.id, lineUserId: friend.lineUserId, kind: "text", value: "STOP" })).toBeNull();
    const token = await userSays(ch.channelId, friend.lineUserId, { type: "postback", data: "action=optout" });
    expect(
      await handleConsentEvent({
        shopId: shop.id,
        lineUserId: friend.lineUserId,
        kind: "postback",
        value: "action=optout",
        replyToken: token,
      }),
    ).toMatchObject({ action: "optout", replied: true });
    expect((await consentHistory(shop.id, friend.id))[0]).toMatchObject({ source: "postback", optedOut: true });

    const b = await createBroadcast({
      shopId: shop.id,
      name: "News",
      messages: [{ type: "text", text: "news" }],
      audience: { allFriends: true },
    });
    await sendBroadcast(shop, b.id);
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect((await lineEmu.ctl.getMessages(ch.channelId, { userId: other.userId })).total).toBe(1);
    expect((await lineEmu.ctl.getMessages(ch.channelId, { userId: friend.lineUserId, kind: "multicast" })).total).toBe(0);
  });
});

describe("through the LINE webhook route", () => {
  it("a signed message event with 配信停止 → line-events.process-event job → consent handler → opted out + reply in the shop's language", async () => {
    const { shop, ch, friend } = await setup({}, "JP");
    const sent = await lineEmu.ctl.sendWebhookEvent(ch.channelId, { type: "message", userId: friend.lineUserId, text: "配信停止" }); // no webhook URL: we post it
    const res = await lineWebhook({
      request: new Request(`https://my-test-app.myshopify.io/webhooks/line/${shop.domain}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-line-signature": sent.signature },
        body: sent.payload,
      }),
      params: { shop: shop.domain },
      context: {},
    });
    expect(res.status).toBe(200);
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect((await db().friend.findUniqueOrThrow({ where: { id: friend.id } })).marketingOptOut).toBe(true);
    expect((await consentHistory(shop.id, friend.id))[0]).toMatchObject({ source: "keyword", detail: "配信停止" });
    const { messages } = await lineEmu.ctl.getMessages(ch.channelId, { userId: friend.lineUserId, kind: "reply" });
    expect(messages).toHaveLength(1);
    expect(String(messages[0]!.message.text)).toBe("配信を停止しました。再開するには「配信再開」と送信してください。");
  });
});

describe("Shopify consent mirror", () => {
  it("when enabled, an UNSUBSCRIBED customers/update opts the linked friend out (source shopify_mirror)", async () => {
    const { shop, friend } = await setup({ consent: { mirrorShopify: true } });
    const customer = await db().customer.create({ data: { shopId: shop.id, shopifyCustomerId: 6101n } });
    await db().friend.update({ where: { id: friend.id }, data: { customerId: customer.id } });
    const res = await customersUpdate({
      request: await signedWebhook({
        topic: "customers/update",
        shop: shop.domain,
        body: customerBody(6101, new Date().toISOString(), "", "unsubscribed"),
        webhookId: "cu-6101",
      }),
      params: {},
      context: {},
    });
    expect(res.status).toBe(200);
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect((await db().friend.findUniqueOrThrow({ where: { id: friend.id } })).marketingOptOut).toBe(true);
    expect((await consentHistory(shop.id, friend.id))[0]).toMatchObject({ source: "shopify_mirror", optedOut: true });
  });
});
