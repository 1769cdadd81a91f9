// A/B broadcasts end to end: real PostgreSQL + Redis + in-process worker + the LINE emulator.
// Split → variants sent → clicks mostly on B → pick-winner → holdout gets B once, and only once.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { queue } from "~/adapters/queue/queues.server";
import { broadcastReport, createBroadcast, pickAbWinner, sendBroadcast } from "~/services/broadcasts/broadcasts.server";
import { assignVariant } from "~/domain/broadcasts/ab";
import { recordClick, signFriendToken } from "~/services/tracking/links.server";
import { channelFriends, setupLineEmulator, shopWithLineChannel } from "../support/line";

const lineEmu = setupLineEmulator({ worker: { concurrency: 2 } });

async function waitForStatus(id: number, statuses: string[], timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const b = await db().broadcast.findUniqueOrThrow({ where: { id } });
    if (statuses.includes(b.status)) return b;
    if (Date.now() > until) throw new Error(`broadcast ${id} still ${b.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function textsPerUser(channelId: string): Promise<Map<string, string[]>> {
  const { messages } = await lineEmu.ctl.getMessages(channelId, { limit: 100_000 });
  const m = new Map<string, string[]>();
  for (const x of messages) m.set(x.userId, [...(m.get(x.userId) ?? []), String(x.message.text)]);
  return m;
}

describe("A/B broadcast", () => {
  it("splits 60 friends, sends each test friend its variant, picks B by clicks, sends B to the holdout exactly once", async () => {
    const { shop, ch } = await shopWithLineChannel(lineEmu);
    const friends = await channelFriends(lineEmu, shop.id, ch.channelId, 60);
    const seg = await db().segment.create({ data: { shopId: shop.id, name: "All", definition: {} } });
    await db().segmentMembership.createMany({ data: friends.map((f) => ({ segmentId: seg.id, friendId: f.id, shopId: shop.id })) });

    const b = await createBroadcast({
      shopId: shop.id,
      name: "AB",
      messages: undefined,
      audience: { segmentIds: [seg.id] },
      ab: {
        variants: [[{ type: "text", text: "A https://shop.example/a" }], [{ type: "text", text: "B https://shop.example/b" }]],
        testShare: 0.5,
        metric: "click",
        decideAfterHours: 4,
        sendWinnerToRest: true,
      },
    });
    await sendBroadcast(shop, b.id);
    await waitForStatus(b.id, ["testing"]);
    const variants = await db().broadcast.findMany({ where: { parentId: b.id }, orderBy: { id: "asc" } });
    expect(variants.map((v) => v.variant)).toEqual(["A", "B", "holdout"]);
    for (const v of variants.slice(0, 2)) await waitForStatus(v.id, ["sent"]);
    expect(variants[2]!.status).toBe("held");

    // The split is assignVariant's, and everyone is in exactly one group.
    const expected = new Map(friends.map((f) => [f.lineUserId, assignVariant(f.id, b.id, 2, 50)]));
    const groups = { A: [] as typeof friends, B: [] as typeof friends, holdout: [] as typeof friends };
    for (const f of friends) groups[(["holdout", "A", "B"] as const)[expected.get(f.lineUserId)! + 1]].push(f);
    expect(groups.A.length).toBeGreaterThan(0);
    expect(groups.B.length).toBeGreaterThan(0);
    expect(groups.holdout.length).toBeGreaterThan(0);

    let per = await textsPerUser(ch.channelId);
    for (const f of groups.A)
      expect(per.get(f.lineUserId)).toEqual([expect.stringMatching(/^A https:\/\/my-test-app\.myshopify\.io\/r\/[A-Za-z0-9]+$/)]);
    for (const f of groups.B)
      expect(per.get(f.lineUserId)).toEqual([expect.stringMatching(/^B https:\/\/my-test-app\.myshopify\.io\/r\/[A-Za-z0-9]+$/)]);
    for (const f of groups.holdout) expect(per.has(f.lineUserId)).toBe(false);

    // The pick-winner job waits for send time + 4 h.
    const pickJob = await queue("scheduled").getJob(`broadcasts.pick-winner:${b.id}`);
    expect(pickJob).toBeTruthy();
    expect(await pickJob!.getState()).toBe("delayed");

    // Clicks: 3 B friends (one twice), 1 A friend.
    const linkOf = async (id: number) =>
      (await db().trackedLink.findFirstOrThrow({ where: { shopId: shop.id, sourceType: "broadcast", sourceId: id } })).code;
    const [codeA, codeB] = [await linkOf(variants[0]!.id), await linkOf(variants[1]!.id)];
    for (const f of [...groups.B.slice(0, 3), groups.B[0]!])
      expect(await recordClick(codeB, { friendToken: signFriendToken(f.id) })).toMatch(/^https:\/\/shop\.example\/b/);
    await recordClick(codeA, { friendToken: signFriendToken(groups.A[0]!.id) });

    const first = await pickAbWinner(b.id);
    expect(first).toMatchObject({ winner: "B", decidedNow: true, holdoutQueued: true });
    await waitForStatus(variants[2]!.id, ["sent"]);
    await waitForIdleQueues({ timeoutMs: 60_000 });
    per = await textsPerUser(ch.channelId);
    for (const f of groups.holdout)
      expect(per.get(f.lineUserId)).toEqual([expect.stringMatching(/^B https:\/\/my-test-app\.myshopify\.io\/r\/[A-Za-z0-9]+$/)]);
    const holdoutCode = await linkOf(variants[2]!.id);
    expect(holdoutCode).not.toBe(codeB); // the holdout's clicks are counted apart from the test's

    const second = await pickAbWinner(b.id);
    expect(second).toMatchObject({ winner: "B", decidedNow: false, holdoutQueued: false });
    await waitForIdleQueues({ timeoutMs: 60_000 });
    const total = (await lineEmu.ctl.getMessages(ch.channelId, { limit: 100_000 })).messages.length;
    expect(total).toBe(60); // one delivery per friend, nothing more
    const perAfter = await textsPerUser(ch.channelId);
    expect([...perAfter.values()].every((t) => t.length === 1)).toBe(true);
    expect(perAfter.size).toBe(60);

    const report = await broadcastReport(shop.id, b.id);
    expect(report).toMatchObject({ status: "sent", targeted: 60, sent: 60, failed: 0 });
    expect(report.ab).toMatchObject({
      metric: "click",
      winner: "B",
      variants: [
        { variant: "A", recipients: groups.A.length, sent: groups.A.length, clicks: 1, orders: 0 },
        { variant: "B", recipients: groups.B.length, sent: groups.B.length, clicks: 3, orders: 0 },
      ],
      holdout: { recipients: groups.holdout.length, sent: groups.holdout.length, sentWinner: true },
    });
    expect(report.ab!.variants[1]!.rate).toBeCloseTo(3 / groups.B.length);
    await pickJob!.remove();
  }, 60_000);
});
