// Issue 10's broadcast misfires, each as it happened, against real PostgreSQL + Redis + the worker +
// the LINE emulator through the real @line/bot-sdk: a past schedule time, a `javascript:` coupon
// link, failures nobody could read, test sends to customers, and a self-contradicting estimate.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { setLinePlan } from "~/services/shops.server";
import {
  broadcastReport,
  createBroadcast,
  estimateBroadcast,
  listBroadcasts,
  sendBroadcast,
} from "~/services/broadcasts/broadcasts.server";
import { listTestFriends, sendTestMessages, setTestFriend } from "~/services/broadcasts/test-send.server";
import { blockToMessage } from "~/domain/broadcasts/compose";
import { setupLineEmulator, shopWithLineChannel, channelFriends } from "../support/line";

const lineEmu = setupLineEmulator({ worker: { concurrency: 2 } });

async function setupShop(friendCount: number, channel: { quota?: { type: "limited" | "none"; value?: number }; totalUsage?: number } = {}) {
  const { shop, ch } = await shopWithLineChannel(lineEmu, { channel: channel });
  const friends = await channelFriends(lineEmu, shop.id, ch.channelId, friendCount);
  return { shop, ch, friends };
}

const text = (t: string) => [{ type: "text", text: t }];

describe("scheduling", () => {
  it("refuses a time that has passed instead of sending at once", async () => {
    const { shop, ch } = await setupShop(3);
    const b = await createBroadcast({ shopId: shop.id, name: "Late", messages: text("hello"), audience: { allFriends: true } });
    const now = new Date();
    await expect(sendBroadcast(shop, b.id, { scheduledAt: new Date(now.getTime() - 60_000), now })).rejects.toMatchObject({
      code: "schedule_in_past",
    });
    await new Promise((r) => setTimeout(r, 500));
    expect((await lineEmu.ctl.getMessages(ch.channelId)).total).toBe(0);
    expect(await db().broadcast.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ status: "draft", scheduledAt: null });
  });
});

describe("what LINE will refuse is caught before sending", () => {
  it("a javascript: coupon link is refused with the message it is in", async () => {
    const { shop } = await setupShop(1);
    const coupon = blockToMessage({ kind: "coupon", title: "10% off", code: "SAVE10", url: "javascript:alert(1)" });
    await expect(
      createBroadcast({ shopId: shop.id, name: "Coupon", messages: [...text("Hi"), coupon], audience: { allFriends: true } }),
    ).rejects.toMatchObject({
      code: "invalid_message",
      details: [{ message: 1, code: "link_not_http", path: "contents.footer.contents[0].action.uri" }],
    });
    expect(await db().broadcast.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("a rule only LINE knows stops the send before anyone gets it (LINE's validate endpoint)", async () => {
    const { shop, ch } = await setupShop(3);
    // A sticker without its ids: not one of our composer's messages, so only LINE's check catches it.
    const b = await createBroadcast({ shopId: shop.id, name: "Sticker", messages: [{ type: "sticker" }], audience: { allFriends: true } });
    await expect(sendBroadcast(shop, b.id)).rejects.toMatchObject({ code: "line_refused_message" });
    const { requests } = await lineEmu.ctl.getRequests(ch.channelId);
    expect(requests.map((r) => r.operationId)).toContain("validateMulticast");
    expect((await lineEmu.ctl.getMessages(ch.channelId)).total).toBe(0);
    expect((await db().broadcast.findUniqueOrThrow({ where: { id: b.id } })).status).toBe("draft");
  });

  it("failures at send time are counted on the list and the report, with a plain reason", async () => {
    const { shop, ch } = await setupShop(6);
    // LINE refuses the first multicast as it did in issue 10 (400 for the whole request).
    await lineEmu.ctl.addFault({ operationId: "multicast", status: 400, body: { message: "The request body has 1 error(s)" }, count: 1 });
    const b = await createBroadcast({
      shopId: shop.id,
      name: "A/B",
      messages: text("A"),
      audience: { allFriends: true },
      ab: { variants: [text("A"), text("B")], testShare: 1, decideAfterHours: 0 },
    });
    await sendBroadcast(shop, b.id);
    // Finished = both variant children exist and are sent or failed, judged on ONE read of the rows.
    // (Two reads raced the A/B split: the first saw no children yet — `[].some(…)` is false — and the
    // second saw them just created, still "preparing", so the wait ended before anything was sent.)
    const unfinished = async () => {
      const children = await db().broadcast.findMany({ where: { parentId: b.id, variant: { in: ["A", "B"] } } });
      return children.length === 2 ? children.filter((c) => !["sent", "failed"].includes(c.status)).length : 2;
    };
    await expect.poll(unfinished, { timeout: 30_000, interval: 100 }).toBe(0);
    const delivered = (await lineEmu.ctl.getMessages(ch.channelId)).total;
    const failed = 6 - delivered;
    expect(failed).toBeGreaterThan(0);
    const listed = (await listBroadcasts(shop.id)).find((x) => x.id === b.id)!;
    expect({ sent: listed.sent, failed: listed.failed }).toEqual({ sent: delivered, failed });
    const report = await broadcastReport(shop.id, b.id);
    expect(report.failureReasons).toEqual([{ reason: "message_rejected", count: failed }]);
  });
});

describe("test sends", () => {
  it("go only to the staff-chosen test friends, marked [TEST], and leave no broadcast behind", async () => {
    const { shop, ch, friends } = await setupShop(10);
    const coupon = blockToMessage({ kind: "coupon", title: "10% off", code: "SAVE10", url: "https://shop.example/discount/SAVE10" });
    await expect(sendTestMessages(shop, [...text("Hi {{displayName|there}}"), coupon])).rejects.toMatchObject({ code: "no_test_friends" });

    const [staff] = friends;
    expect(await setTestFriend(shop.id, staff!.id, true)).toBe(true);
    expect(await listTestFriends(shop.id)).toEqual([{ id: staff!.id, name: "Friend 0", reachable: true }]);
    const result = await sendTestMessages(shop, [...text("Hi {{displayName|there}}"), coupon]);
    expect(result).toEqual({ sent: 1, failed: [] });

    const { messages } = await lineEmu.ctl.getMessages(ch.channelId);
    expect(new Set(messages.map((m) => m.userId))).toEqual(new Set([staff!.lineUserId]));
    expect(messages.map((m) => m.message.text ?? m.message.altText)).toEqual(["[TEST] Hi Friend 0", "[TEST] Coupon: 10% off"]);
    expect(await db().broadcast.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await db().messageSend.findMany({ where: { shopId: shop.id }, select: { kind: true, friendId: true } })).toEqual([
      { kind: "test", friendId: staff!.id },
    ]);
  });

  it("a friend of another shop cannot be made a test friend", async () => {
    const a = await setupShop(1);
    const b = await setupShop(1);
    expect(await setTestFriend(a.shop.id, b.friends[0]!.id, true)).toBe(false);
    expect((await db().friend.findUniqueOrThrow({ where: { id: b.friends[0]!.id } })).testFriend).toBe(false);
  });
});

describe("estimate", () => {
  it("uses LINE's real quota and consumption: on the free plan, says what will not be delivered and costs nothing", async () => {
    // Issue 10: "Remaining quota: unlimited · Extra messages: 64 · Extra cost: 0 JPY" on the free 200-message plan.
    const { shop } = await setupShop(80, { quota: { type: "limited", value: 200 }, totalUsage: 184 });
    const e = await estimateBroadcast(shop, { allFriends: true });
    expect(e).toMatchObject({
      recipients: 80,
      messages: 80,
      quotaKnown: true,
      remainingQuota: 16,
      planId: "communication",
      // One multicast of 80 does not fit in 16: LINE refuses the whole request.
      deliverable: 0,
      notDelivered: 80,
      extraMessages: 0,
      extraCost: 0,
      exceedsQuota: true,
      recipientsThatFit: 16,
    });
  });

  it("a paid plan without a limit prices the extra messages; an unreadable quota is unknown, not unlimited", async () => {
    const { shop } = await setupShop(40, { quota: { type: "none" }, totalUsage: 29_980 });
    expect(await estimateBroadcast(shop, { allFriends: true })).toMatchObject({
      planId: "standard",
      remainingQuota: null,
      deliverable: 40,
      extraMessages: 20,
      extraCost: 60,
      currency: "JPY",
    });
    // The LINE plan region is the channel's (the merchant's choice in Settings), not the shop's country.
    await setLinePlan(shop.domain, { region: "TW", planId: "high" });
    const tw = await db().shop.findUniqueOrThrow({ where: { id: shop.id } });
    expect(await estimateBroadcast(tw, { allFriends: true })).toMatchObject({
      region: "TW",
      planId: "high",
      currency: "TWD",
      priced: true,
    });
    await setLinePlan(shop.domain, { region: "TH", planId: "pro" });
    const th = await db().shop.findUniqueOrThrow({ where: { id: shop.id } });
    expect(await estimateBroadcast(th, { allFriends: true })).toMatchObject({
      region: "TH",
      priced: false,
      extraCost: null,
      deliverable: 40,
    });
    await lineEmu.ctl.addFault({ operationId: "getMessageQuota", status: 500, count: 10 });
    expect(await estimateBroadcast(shop, { allFriends: true })).toMatchObject({ quotaKnown: false, planId: null, extraCost: null });
    await lineEmu.ctl.clearFaults();
  });
});
