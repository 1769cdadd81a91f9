// Broadcasts end to end: real PostgreSQL + Redis + in-process worker + the LINE emulator through the
// real @line/bot-sdk. Assertions are on what LINE received per user and on our rows.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import {
  BroadcastError,
  broadcastReport,
  cancelBroadcast,
  createBroadcast,
  estimateBroadcast,
  sendBroadcast,
} from "~/services/broadcasts/broadcasts.server";
import { resumeStalledBroadcasts } from "~/services/broadcasts/delivery.server";
import { setMarketingConsent } from "~/services/consent/consent.server";
import { channelFriends, setupLineEmulator, shopWithLineChannel } from "../support/line";

// Concurrency 1: one batch in flight at a time, so stopping mid-send leaves batches pending.
const lineEmu = setupLineEmulator({ worker: { concurrency: 1 } });

async function setupShop(friendCount: number, quota?: { type: "limited" | "none"; value?: number }) {
  const { shop, ch } = await shopWithLineChannel(lineEmu, quota ? { channel: { quota } } : {});
  const friends = await channelFriends(lineEmu, shop.id, ch.channelId, friendCount);
  return { shop, ch, friends };
}

async function segmentOf(shopId: number, name: string, friendIds: number[]) {
  const seg = await db().segment.create({ data: { shopId, name, definition: {} } });
  await db().segmentMembership.createMany({ data: friendIds.map((friendId) => ({ segmentId: seg.id, friendId, shopId })) });
  return seg;
}

async function waitForStatus(id: number, statuses: string[], timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const b = await db().broadcast.findUniqueOrThrow({ where: { id } });
    if (statuses.includes(b.status)) return b;
    if (Date.now() > until) throw new Error(`broadcast ${id} still ${b.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function messagesPerUser(channelId: string): Promise<Map<string, number>> {
  const { messages } = await lineEmu.ctl.getMessages(channelId, { limit: 100_000 });
  const m = new Map<string, number>();
  for (const x of messages) m.set(x.userId, (m.get(x.userId) ?? 0) + 1);
  return m;
}

describe("broadcast to a segment", () => {
  it("scheduled: reaches members minus exclusions; opted-out and blocked friends never receive it", async () => {
    const { shop, ch, friends } = await setupShop(10);
    const [optedOut, blocked, excluded] = [friends[1]!, friends[2]!, friends[3]!];
    await setMarketingConsent({ shopId: shop.id, friendId: optedOut.id, optedOut: true, source: "keyword" });
    await db().friend.update({ where: { id: blocked.id }, data: { following: false, blockedAt: new Date() } });
    await lineEmu.ctl.setFriendship(ch.channelId, blocked.lineUserId, "blocked");
    const vip = await segmentOf(
      shop.id,
      "VIP",
      friends.slice(0, 8).map((f) => f.id),
    );
    const excl = await segmentOf(shop.id, "Recent buyers", [excluded.id]);

    const b = await createBroadcast({
      shopId: shop.id,
      name: "Spring sale",
      messages: [{ type: "text", text: "Spring sale! https://shop.example/sale?x=1" }],
      audience: { segmentIds: [vip.id], excludeSegmentIds: [excl.id] },
    });
    const est = await estimateBroadcast(shop, b.audience);
    expect(est.recipients).toBe(5); // 8 members − opted out − blocked − excluded
    expect(est.messages).toBe(5);

    const { broadcast } = await sendBroadcast(shop, b.id, { scheduledAt: new Date(Date.now() + 1500) });
    expect(broadcast.status).toBe("scheduled");
    expect(await lineEmu.ctl.getMessages(ch.channelId)).toMatchObject({ total: 0 });

    const done = await waitForStatus(b.id, ["sent", "failed"]);
    expect(done.status).toBe("sent");
    expect(done.preparedAt!.getTime()).toBeGreaterThanOrEqual(broadcast.scheduledAt!.getTime());
    const per = await messagesPerUser(ch.channelId);
    const expected = [friends[0]!, ...friends.slice(4, 8)].map((f) => f.lineUserId);
    expect([...per.keys()].sort()).toEqual([...expected].sort());
    expect([...per.values()].every((n) => n === 1)).toBe(true);
    const { messages } = await lineEmu.ctl.getMessages(ch.channelId);
    expect(messages[0]!.kind).toBe("multicast");
    expect(String(messages[0]!.message.text)).toMatch(/^Spring sale! https:\/\/my-test-app\.myshopify\.io\/r\/[A-Za-z0-9]+$/);

    const report = await broadcastReport(shop.id, b.id);
    expect(report).toMatchObject({ status: "sent", targeted: 5, sent: 5, failed: 0, progress: 1 });
    const sends = await db().messageSend.findMany({ where: { shopId: shop.id, sourceType: "broadcast", sourceId: b.id, status: "sent" } });
    expect(sends).toHaveLength(5);
    expect(Math.abs(sends[0]!.sentAt!.getTime() - done.finishedAt!.getTime())).toBeLessThan(5000); // stored in UTC like Prisma writes
  });

  it("re-checks consent at send time: a friend who opts out after scheduling is skipped", async () => {
    const { shop, ch, friends } = await setupShop(3);
    const seg = await segmentOf(
      shop.id,
      "All",
      friends.map((f) => f.id),
    );
    const b = await createBroadcast({
      shopId: shop.id,
      name: "x",
      messages: [{ type: "text", text: "hi" }],
      audience: { segmentIds: [seg.id] },
    });
    await sendBroadcast(shop, b.id, { scheduledAt: new Date(Date.now() + 60_000) });
    // prepare snapshots now (as if the scheduled time came), then the friend opts out before the batch runs
    const { prepareBroadcast, sendBatch } = await import("~/services/broadcasts/delivery.server");
    await cancelJobsFor(b.id);
    await db().broadcast.update({ where: { id: b.id }, data: { status: "preparing" } });
    const q = (await import("~/adapters/queue/queues.server")).queue("line-outbound");
    await q.pause(true);
    await prepareBroadcast(b.id);
    await setMarketingConsent({ shopId: shop.id, friendId: friends[0]!.id, optedOut: true, source: "postback" });
    const batch = await db().broadcastBatch.findFirstOrThrow({ where: { broadcastId: b.id } });
    expect(await sendBatch(batch.id)).toBe("sent");
    await q.resume(true);
    const per = await messagesPerUser(ch.channelId);
    expect(per.has(friends[0]!.lineUserId)).toBe(false);
    expect(per.size).toBe(2);
    expect((await broadcastReport(shop.id, b.id)).skippedAtSend).toBe(1);
    await waitForIdleQueues({ timeoutMs: 60_000 });
  });

  it("personalised: one push per friend with the friend's name and a signed link; fallback when unknown", async () => {
    const { shop, ch, friends } = await setupShop(3);
    await db().friend.update({ where: { id: friends[2]!.id }, data: { displayName: null } });
    const seg = await segmentOf(
      shop.id,
      "All",
      friends.map((f) => f.id),
    );
    const b = await createBroadcast({
      shopId: shop.id,
      name: "P",
      messages: [{ type: "text", text: "Hi {{displayName|there}} https://shop.example/x" }],
      audience: { segmentIds: [seg.id] },
    });
    expect(b.personalized).toBe(true);
    await sendBroadcast(shop, b.id);
    await waitForStatus(b.id, ["sent"]);
    const { messages } = await lineEmu.ctl.getMessages(ch.channelId, { kind: "push" });
    const texts = new Map(messages.map((m) => [m.userId, String(m.message.text)]));
    expect(texts.size).toBe(3);
    expect(texts.get(friends[0]!.lineUserId)).toMatch(
      new RegExp(`^Hi Friend 0 https://my-test-app\\.myshopify\\.io/r/[A-Za-z0-9]+\\?f=${friends[0]!.id}\\.[0-9a-f]{16}$`),
    );
    expect(texts.get(friends[2]!.lineUserId)).toMatch(/^Hi there /);
    expect(await db().messageSend.count({ where: { sourceType: "broadcast", sourceId: b.id, status: "sent" } })).toBe(3);
  });

  it("cancel removes a scheduled broadcast", async () => {
    const { shop, ch, friends } = await setupShop(2);
    const seg = await segmentOf(
      shop.id,
      "All",
      friends.map((f) => f.id),
    );
    const b = await createBroadcast({
      shopId: shop.id,
      name: "x",
      messages: [{ type: "text", text: "hi" }],
      audience: { segmentIds: [seg.id] },
    });
    await sendBroadcast(shop, b.id, { scheduledAt: new Date(Date.now() + 1000) });
    await cancelBroadcast(shop.id, b.id);
    await new Promise((r) => setTimeout(r, 1800));
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect((await db().broadcast.findUniqueOrThrow({ where: { id: b.id } })).status).toBe("cancelled");
    expect((await lineEmu.ctl.getMessages(ch.channelId)).total).toBe(0);
  });
});

async function cancelJobsFor(id: number) {
  const { queue } = await import("~/adapters/queue/queues.server");
  const job = await queue("scheduled").getJob(`broadcasts.prepare:${id}`);
  await job?.remove();
}

describe("quota", () => {
  it("refuses a send over the remaining quota without confirmation; trim-to-fit sends only what fits", async () => {
    const { shop, ch, friends } = await setupShop(10, { type: "limited", value: 6 });
    await db().friend.updateMany({ where: { shopId: shop.id }, data: { lastActivityAt: new Date(Date.now() - 86_400_000) } });
    await db().friend.update({ where: { id: friends[9]!.id }, data: { lastActivityAt: new Date() } });
    const seg = await segmentOf(
      shop.id,
      "All",
      friends.map((f) => f.id),
    );
    const b = await createBroadcast({
      shopId: shop.id,
      name: "Big",
      messages: [{ type: "text", text: "hi" }],
      audience: { segmentIds: [seg.id] },
    });

    const est = await estimateBroadcast(shop, b.audience);
    expect(est).toMatchObject({
      recipients: 10,
      messages: 10,
      remainingQuota: 6,
      exceedsQuota: true,
      recipientsThatFit: 6,
      // No JP plan is limited to 6 messages: the plan, and so the price, is unknown.
      planId: null,
      extraCost: null,
    });
    await expect(sendBroadcast(shop, b.id)).rejects.toMatchObject({ code: "over_quota" });
    await expect(sendBroadcast(shop, b.id)).rejects.toBeInstanceOf(BroadcastError);
    expect((await db().broadcast.findUniqueOrThrow({ where: { id: b.id } })).status).toBe("draft");

    const { estimate } = await sendBroadcast(shop, b.id, { trimToFit: true });
    expect(estimate).toMatchObject({ recipients: 6, exceedsQuota: false });
    await waitForStatus(b.id, ["sent"]);
    const per = await messagesPerUser(ch.channelId);
    expect(per.size).toBe(6);
    expect(per.has(friends[9]!.lineUserId)).toBe(true); // most recently active first
    expect((await lineEmu.ctl.getChannel(ch.channelId)).totalUsage).toBe(6);
  });
});

describe("crash and resume", () => {
  it("2,000 recipients: worker stopped mid-send and a lost acknowledgement; the resumed send messages nobody twice", async () => {
    const { shop, ch, friends } = await setupShop(2000);
    const seg = await segmentOf(
      shop.id,
      "All",
      friends.map((f) => f.id),
    );
    const b = await createBroadcast({
      shopId: shop.id,
      name: "Crash",
      messages: [{ type: "text", text: "hello" }],
      audience: { segmentIds: [seg.id] },
    });
    await lineEmu.ctl.addFault({ operationId: "multicast", delayMs: 400 });
    await sendBroadcast(shop, b.id);
    const until = Date.now() + 20_000;
    while ((await db().broadcastBatch.count({ where: { broadcastId: b.id, status: "sent" } })) < 1) {
      if (Date.now() > until) throw new Error("no batch sent");
      await new Promise((r) => setTimeout(r, 50));
    }
    await lineEmu.stopWorker(); // graceful: in-flight batches finish, the rest stay pending
    const afterStop = await db().broadcastBatch.groupBy({ by: ["status"], where: { broadcastId: b.id }, _count: { _all: true } });
    const pendingAfterStop = afterStop.find((x) => x.status === "pending")?._count._all ?? 0;
    expect(pendingAfterStop).toBeGreaterThan(0);

    // A crash between LINE's 202 and our commit: LINE has the batch, our row still says pending.
    const lost = await db().broadcastBatch.findFirstOrThrow({ where: { broadcastId: b.id, status: "sent" }, orderBy: { seq: "asc" } });
    await db().$transaction([
      db().broadcastBatch.update({ where: { id: lost.id }, data: { status: "pending", sentCount: 0 } }),
      db().messageSend.deleteMany({ where: { retryKey: { startsWith: `${lost.retryKey}:` } } }),
      db().broadcast.update({ where: { id: b.id }, data: { sent: { decrement: lost.sentCount } } }),
    ]);
    await lineEmu.ctl.clearFaults();

    await lineEmu.startWorker();
    // The periodic sweep finds the broadcast without progress and resumes it (as if 10 minutes passed).
    expect(await resumeStalledBroadcasts(new Date(Date.now() + 10 * 60_000))).toEqual([b.id]);
    const done = await waitForStatus(b.id, ["sent", "failed"], 60_000);
    expect(done.status).toBe("sent");

    const per = await messagesPerUser(ch.channelId);
    expect(per.size).toBe(2000);
    expect(Math.max(...per.values())).toBe(1);
    const retried = (await lineEmu.ctl.getRequests(ch.channelId, { operationId: "multicast" })).requests.filter(
      (r) => r.retryKey === lost.retryKey,
    );
    expect(retried.map((r) => r.status).sort()).toEqual([200, 409]); // accepted once, then "already accepted"
    expect(await db().messageSend.count({ where: { sourceType: "broadcast", sourceId: b.id, status: "sent" } })).toBe(2000);
    expect(done.sent).toBe(2000);
  }, 120_000);
});
