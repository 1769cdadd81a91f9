// Group and room chats: LINE delivers their events with the speaking member's userId, but only a
// user's 1:1 chat says anything about their friendship. Signed by the emulator, through the real route.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { connectedShop, startLineTestEnv, type LineTestEnv } from "./line-support";

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

describe("group and room events", () => {
  it("a member speaking in a group or room does not become a friend, get a profile fetch or a reply", async () => {
    const { shop, ch } = await connectedShop(env);
    const member = env.emu.state.createUser({ displayName: "Group member" });
    const r = await env.ctl.sendWebhookEvents(ch.channelId, [
      { type: "message", userId: member.userId, text: "hello", groupId: "Cgroup0001" },
      { type: "message", userId: member.userId, text: "link", groupId: "Cgroup0001" },
      { type: "postback", userId: member.userId, data: "action=link", roomId: "Rroom0001" },
    ]);
    expect(r.status).toBe(200);
    await idle();

    expect(await friendOf(shop.id, member.userId)).toBeNull();
    const events = await db().lineEvent.findMany({ where: { shopId: shop.id } });
    expect(events.map((e) => e.status)).toEqual(["ignored", "ignored", "ignored"]);
    expect((await env.ctl.getRequests(ch.channelId, { operationId: "getProfile" })).requests).toHaveLength(0);
    expect((await env.ctl.getRequests(ch.channelId, { operationId: "replyMessage" })).requests).toHaveLength(0);
    expect((await env.ctl.getRequests(ch.channelId, { operationId: "issueLinkToken" })).requests).toHaveLength(0);
    expect(await db().richMenuTap.count({ where: { shopId: shop.id } })).toBe(0);

    // The same person adding the account in their 1:1 chat is what makes them a friend.
    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "follow", userId: member.userId }]);
    await idle();
    expect(await friendOf(shop.id, member.userId)).toMatchObject({ following: true });
  });

  it("a friend who blocked the account stays blocked when they speak in a group", async () => {
    const { shop, ch } = await connectedShop(env);
    const user = env.emu.state.createUser({ displayName: "Blocked" });
    const t = Date.now() - 60_000;
    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "follow", userId: user.userId, timestamp: t }]);
    await idle();
    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "unfollow", userId: user.userId, timestamp: t + 1000 }]);
    await idle();
    const before = await friendOf(shop.id, user.userId);
    expect(before).toMatchObject({ following: false });

    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "message", userId: user.userId, text: "hi all", groupId: "Cgroup0002" }]);
    await idle();
    const after = await friendOf(shop.id, user.userId);
    expect(after).toMatchObject({ following: false, blockedAt: before!.blockedAt, lastActivityAt: before!.lastActivityAt });
  });

  it("the emulator refuses a follow from a group (LINE sends those only from the 1:1 chat)", async () => {
    const { ch } = await connectedShop(env);
    const user = env.emu.state.createUser({});
    await expect(env.ctl.sendWebhookEvents(ch.channelId, [{ type: "follow", userId: user.userId, groupId: "Cgroup0003" }])).rejects.toThrow(
      /1:1 chat/,
    );
  });
});
