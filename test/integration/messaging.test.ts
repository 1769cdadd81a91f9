// The shared send service against the LINE emulator through the real @line/bot-sdk: one MessageSend
// row per send with its retry key, policy re-checked at the moment of sending, 409 = already sent,
// permanent 4xx recorded and never retried, multicast batches with a stored key, message history.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { RetryableSendError, friendMessageHistory, sendPush } from "~/services/messaging/send.server";
import { loadMessagingPolicy, saveMessagingPolicy } from "~/db/settings/messaging-policy.server";
import { setupLineEmulator, shopWithLineChannel } from "../support/line";

const lineEmu = setupLineEmulator({ validateResponses: true });

async function setup(n = 1) {
  const { shop, ch } = await shopWithLineChannel(lineEmu);
  const friends = [];
  for (let i = 0; i < n; i++) {
    const u = lineEmu.emu.state.createUser({ displayName: `F${i}`, friendOf: [ch.channelId] });
    friends.push(await db().friend.create({ data: { shopId: shop.id, lineUserId: u.userId, displayName: `F${i}` } }));
  }
  return { shop, ch, friends };
}

const text = (t: string) => [{ type: "text", text: t }];
const delivered = async (channelId: string, userId?: string) =>
  (await lineEmu.ctl.getMessages(channelId, userId ? { userId } : {})).messages;

describe("sendPush", () => {
  it("records the send, pushes once, and a second call with the same source finds the same row", async () => {
    const { shop, ch, friends } = await setup();
    const f = friends[0]!;
    const a = await sendPush({
      shopId: shop.id,
      friendId: f.id,
      kind: "automation",
      sourceType: "automation",
      sourceId: 9,
      messages: text("hello"),
    });
    expect(a).toMatchObject({ status: "sent", already: false });
    const b = await sendPush({
      shopId: shop.id,
      friendId: f.id,
      kind: "automation",
      sourceType: "automation",
      sourceId: 9,
      messages: text("hello"),
    });
    expect(b).toMatchObject({ status: "sent", sendId: a.sendId, already: true });
    const msgs = await delivered(ch.channelId, f.lineUserId);
    expect(msgs).toHaveLength(1);
    const row = await db().messageSend.findUniqueOrThrow({ where: { id: a.sendId } });
    expect(row).toMatchObject({ status: "sent", kind: "automation", retryKey: msgs[0]!.retryKey });
    expect(row.requestId).toBeTruthy();
  });

  it("retryable errors throw with the key kept; LINE's 409 on the retry after acceptance counts as sent", async () => {
    const { shop, ch, friends } = await setup();
    const f = friends[0]!;
    const key = crypto.randomUUID();
    await lineEmu.ctl.addFault({ operationId: "pushMessage", status: 500, count: 1 });
    const input = {
      shopId: shop.id,
      friendId: f.id,
      kind: "reminder" as const,
      sourceType: "reminder",
      sourceId: 1,
      messages: text("x"),
      retryKey: key,
    };
    await expect(sendPush(input)).rejects.toBeInstanceOf(RetryableSendError);
    expect(await db().messageSend.findUniqueOrThrow({ where: { retryKey: key } })).toMatchObject({ status: "pending", attempts: 1 });
    expect(await sendPush(input)).toMatchObject({ status: "sent", already: false });
    // Crash after LINE accepted but before we recorded it: the retry answers 409 → sent, nothing new delivered.
    await db().messageSend.update({ where: { retryKey: key }, data: { status: "pending" } });
    expect(await sendPush(input)).toMatchObject({ status: "sent", already: true });
    expect(await delivered(ch.channelId, f.lineUserId)).toHaveLength(1);
  });

  it("a permanent 4xx is recorded as failed and not retried", async () => {
    const { shop, ch, friends } = await setup();
    const f = friends[0]!;
    const res = await sendPush({
      shopId: shop.id,
      friendId: f.id,
      kind: "automation",
      sourceType: "automation",
      sourceId: 2,
      messages: [{ type: "text", text: "" }],
    });
    expect(res.status).toBe("failed");
    expect(
      await sendPush({
        shopId: shop.id,
        friendId: f.id,
        kind: "automation",
        sourceType: "automation",
        sourceId: 2,
        messages: text("x"),
        retryKey: (await db().messageSend.findUniqueOrThrow({ where: { id: res.sendId } })).retryKey,
      }),
    ).toMatchObject({ status: "failed" });
    const reqs = (await lineEmu.ctl.getRequests(ch.channelId, { operationId: "pushMessage" })).requests.filter(
      (r) => r.operationId === "pushMessage",
    );
    expect(reqs).toHaveLength(1);
    expect(reqs[0]!.status).toBe(400);
  });

  it("the monthly limit (429 quota-exceeded) fails the send instead of retrying it like a rate limit", async () => {
    const { shop, ch, friends } = await setup();
    await lineEmu.ctl.updateChannel(ch.channelId, { quota: { type: "limited", value: 0 } });
    const res = await sendPush({
      shopId: shop.id,
      friendId: friends[0]!.id,
      kind: "transactional",
      sourceType: "automation",
      sourceId: 3,
      messages: text("x"),
    });
    expect(res).toMatchObject({ status: "failed", reason: "429 You have reached your monthly limit." });
    expect(await db().messageSend.findUniqueOrThrow({ where: { id: res.sendId } })).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("marketing honours opt-out, the cap and quiet hours at the moment of sending; transactional does not", async () => {
    const { shop, ch, friends } = await setup(3);
    const [optedOut, capped, night] = friends as [(typeof friends)[0], (typeof friends)[0], (typeof friends)[0]];
    await db().friend.update({ where: { id: optedOut.id }, data: { marketingOptOut: true } });
    await saveMessagingPolicy(shop.id, { quietHours: { start: "21:00", end: "09:00" }, frequencyCap: { max: 1, windowDays: 7 } });
    expect(await loadMessagingPolicy(shop)).toEqual({
      quietHours: { start: "21:00", end: "09:00" },
      frequencyCap: { max: 1, windowDays: 7 },
    });
    const noon = new Date("2025-03-10T03:00:00Z"); // 12:00 Tokyo
    const night23 = new Date("2025-03-10T14:00:00Z"); // 23:00 Tokyo
    expect(
      await sendPush({
        shopId: shop.id,
        friendId: optedOut.id,
        kind: "broadcast",
        sourceType: "broadcast",
        sourceId: 1,
        messages: text("sale"),
        now: noon,
      }),
    ).toMatchObject({ status: "skipped", reason: "opted_out" });
    expect(
      await sendPush({
        shopId: shop.id,
        friendId: optedOut.id,
        kind: "transactional",
        sourceType: "order",
        sourceId: 1,
        messages: text("shipped"),
        now: noon,
      }),
    ).toMatchObject({ status: "sent" });
    await db().messageSend.create({
      data: {
        shopId: shop.id,
        friendId: capped.id,
        kind: "broadcast",
        sourceType: "broadcast",
        sourceId: 7,
        retryKey: crypto.randomUUID(),
        status: "sent",
        sentAt: new Date(noon.getTime() - 86_400_000),
      },
    });
    expect(
      await sendPush({
        shopId: shop.id,
        friendId: capped.id,
        kind: "automation",
        sourceType: "automation",
        sourceId: 1,
        messages: text("x"),
        now: noon,
      }),
    ).toMatchObject({ status: "skipped", reason: "frequency_cap" });
    const deferred = await sendPush({
      shopId: shop.id,
      friendId: night.id,
      kind: "automation",
      sourceType: "automation",
      sourceId: 1,
      messages: text("x"),
      now: night23,
    });
    expect(deferred).toMatchObject({ status: "deferred", until: new Date("2025-03-11T00:00:00Z") });
    expect(await db().messageSend.findUniqueOrThrow({ where: { id: deferred.sendId } })).toMatchObject({ status: "pending" });
    expect(await delivered(ch.channelId)).toHaveLength(1); // only the transactional one

    const history = await friendMessageHistory(shop.id, optedOut.id);
    expect(history.map((h) => [h.kind, h.status, h.error])).toEqual([
      ["transactional", "sent", null],
      ["broadcast", "skipped", "opted_out"],
    ]);
  });
});

describe("sendPush with the caller's rows", () => {
  it("takes the policy on the shop and friend rows the caller read in its job, and refuses rows of another friend", async () => {
    const { shop, ch, friends } = await setup(2);
    const [a, b] = friends as [(typeof friends)[0], (typeof friends)[0]];
    const shopRow = await db().shop.findUniqueOrThrow({ where: { id: shop.id } });
    const input = (friend: typeof a, sourceId: number) => ({
      shopId: shop.id,
      friendId: a.id,
      kind: "automation" as const,
      sourceType: "automation",
      sourceId,
      messages: text("x"),
      loaded: { shop: shopRow, friend },
    });
    // The caller's row says the friend opted out (it read them after the opt-out): not sent, not read again.
    expect(await sendPush(input({ ...a, marketingOptOut: true }, 1))).toMatchObject({ status: "skipped", reason: "opted_out" });
    expect(await sendPush(input(a, 2))).toMatchObject({ status: "sent", already: false });
    expect((await delivered(ch.channelId, a.lineUserId)).length).toBe(1);
    // Rows that are not this shop's friend `friendId` are a caller's bug: refused before anything is sent.
    await expect(sendPush(input(b, 3))).rejects.toThrow(/not shop \d+'s friend/);
    await expect(sendPush({ ...input(a, 4), loaded: { shop: { ...shopRow, id: shop.id + 1000 }, friend: a } })).rejects.toThrow(/not shop/);
    expect(await delivered(ch.channelId)).toHaveLength(1);
    expect(await db().messageSend.count({ where: { shopId: shop.id, sourceId: { in: [3, 4] } } })).toBe(0);
  });
});

describe("CLI: automation:set, automation:show, reminders:list", () => {
  it("sets ISO-8601 delays, quiet hours and the cap, and prints them as JSON", async () => {
    const { commands } = await import("../../scripts/cli/commands/automations");
    const cmd = (name: string) => commands.find((c) => c.name === name)!;
    const { shop } = await setup(0);
    const set = (await cmd("automation:set").run({
      shop: shop.domain,
      kind: "abandoned_cart",
      enabled: "true",
      delay: "PT30S",
      "switch-menu": "false",
      "quiet-hours": "21:00-09:00",
      cap: "2/7",
    })) as Record<string, unknown>;
    expect(set).toMatchObject({
      enabled: true,
      config: { delay: "PT30S", switchMenu: false },
      policy: { quietHours: { start: "21:00", end: "09:00" }, frequencyCap: { max: 2, windowDays: 7 } },
    });
    const shown = (await cmd("automation:show").run({ shop: shop.domain, kind: "abandoned_cart" })) as Record<string, unknown>;
    expect(shown).toMatchObject({ enabled: true, config: { delay: "PT30S" }, results: { sent: 0, recoveredOrders: 0 } });
    // One home: the policy's row, no copy in Shop.settings.
    expect((await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).settings).not.toHaveProperty("marketing");
    expect(await cmd("reminders:list").run({ shop: shop.domain, status: "sent" })).toEqual([]);
    await expect(cmd("automation:set").run({ shop: shop.domain, kind: "abandoned_cart", delay: "1 hour" })).rejects.toThrow(/ISO-8601/);
    await expect(cmd("automation:set").run({ shop: shop.domain, kind: "abandoned_cart", "quiet-hours": "late" })).rejects.toThrow(
      /quiet-hours/,
    );
  });
});
