// Lifecycle automations against the emulator: a replenishment reminder fires at the right time for a
// purchase history delivered as signed order webhooks (own re-buy interval), with a tracked,
// personalised one-tap reorder link; welcome on follow with the link prompt.
import { describe, expect, it } from "vitest";
import { setupLineEmulator, shopWithLineChannel } from "../support/line";
import { db } from "~/db.server";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { saveLifecycleSettings } from "~/db/settings/lifecycle.server";
import { lifecycleReport, onFriendFollowed, onSegmentEntered, runLifecycleScan } from "~/services/automations/lifecycle.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { loader as redirectLoader } from "~/routes/r.$code";
import { signedWebhook } from "../support/shopify";
import { lineItem, orderBody } from "./ingestion-fixtures";

const lineEmu = setupLineEmulator({ worker: { concurrency: 2 } });
const DAY = 86_400_000;

async function setup() {
  const { shop, ch } = await shopWithLineChannel(lineEmu, { country: "US" });
  const user = lineEmu.emu.state.createUser({ displayName: "Yui", friendOf: [ch.channelId] });
  return { shop, ch, user };
}

async function order(shop: string, id: number, customerId: number, at: Date) {
  const body = orderBody({
    id,
    customerId,
    processedAt: at.toISOString(),
    updatedAt: at.toISOString(),
    total: "1200.00",
    lines: [lineItem(100, 2, "600.00")],
  });
  const res = await ordersCreate({
    request: await signedWebhook({ topic: "orders/create", shop, body, webhookId: `o-${id}` }),
    params: {},
    context: {},
  });
  expect(res.status).toBe(200);
}

describe("replenishment", () => {
  it("reminds X days before the customer's own re-buy interval runs out, not before, with a tracked reorder link", async () => {
    const { shop, ch, user } = await setup();
    const now = Date.now();
    // Two purchases 20 days apart; the last one 17 days ago minus 4 s → due (20 − 3 days) in ~4 s.
    const last = new Date(now - 17 * DAY + 4000);
    await order(shop.domain, 91001, 5501, new Date(last.getTime() - 20 * DAY));
    await order(shop.domain, 91002, 5501, last);
    await waitForIdleQueues({ timeoutMs: 60_000 });
    const customer = await db().customer.findUniqueOrThrow({
      where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: 5501n } },
    });
    await db().friend.create({
      data: { shopId: shop.id, lineUserId: user.userId, displayName: "Yui", customerId: customer.id, linkedAt: new Date() },
    });
    const cp = await db().customerProduct.findFirstOrThrow({ where: { shopId: shop.id, shopifyCustomerId: 5501n } });
    expect(cp).toMatchObject({ orderCount: 2, rebuyIntervalDays: 20 });

    await saveLifecycleSettings(shop.id, { replenishment: { enabled: true, daysBefore: 3 } });
    expect(await runLifecycleScan({ shopId: shop.id })).toEqual({ [shop.id]: { replenishment: 1 } });
    expect(await runLifecycleScan({ shopId: shop.id })).toEqual({ [shop.id]: { replenishment: 1 } }); // idempotent
    const reminder = await db().reminder.findFirstOrThrow({ where: { shopId: shop.id, kind: "replenishment" } });
    expect(Math.abs(reminder.dueAt.getTime() - (last.getTime() + 17 * DAY))).toBeLessThan(1000);
    expect(await db().reminder.count({ where: { shopId: shop.id } })).toBe(1);

    await new Promise((r) => setTimeout(r, 1000));
    expect((await lineEmu.ctl.getMessages(ch.channelId, { userId: user.userId })).total).toBe(0); // not yet due

    const until = Date.now() + 15_000;
    while ((await lineEmu.ctl.getMessages(ch.channelId, { userId: user.userId })).total === 0) {
      if (Date.now() > until) throw new Error("reminder never sent");
      await new Promise((r) => setTimeout(r, 200));
    }
    const { messages } = await lineEmu.ctl.getMessages(ch.channelId, { userId: user.userId });
    expect(messages).toHaveLength(1);
    const sentAt = messages[0]!.time;
    expect(sentAt).toBeGreaterThanOrEqual(reminder.dueAt.getTime() - 50);
    const text = String(messages[0]!.message.text);
    expect(text).toMatch(
      /^Yui, running low on Product 100\? Reorder in one tap: https:\/\/my-test-app\.myshopify\.io\/r\/[A-Za-z0-9]+\?f=/,
    );
    const url = text.split(" ").pop()!;
    const res = await redirectLoader({ request: new Request(url), params: { code: new URL(url).pathname.split("/").pop()! }, context: {} });
    expect(res.headers.get("location")).toBe(
      `https://${shop.domain}/cart/10001:2?utm_source=line&utm_medium=automation&utm_campaign=${new URL(url).pathname.split("/").pop()}`,
    );
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect(await db().reminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({ status: "sent" });
    const report = await lifecycleReport(shop.id);
    expect(report.replenishment).toMatchObject({ sent: 1, clicks: 1 });
    const friend = await db().friend.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(await db().linkClick.findFirst({ where: { shopId: shop.id } })).toMatchObject({ friendId: friend.id, sourceType: "automation" });
    expect(await db().messageSend.findFirst({ where: { shopId: shop.id, kind: "automation" } })).toMatchObject({
      status: "sent",
      retryKey: reminder.retryKey,
    });
  }, 60_000);
});

describe("welcome", () => {
  it("greets a new friend with the link prompt when not linked; once only", async () => {
    const { shop, ch, user } = await setup();
    await saveLifecycleSettings(shop.id, { welcome: { enabled: true, linkUrl: "https://shop.example/link" } });
    const friend = await db().friend.create({ data: { shopId: shop.id, lineUserId: user.userId, displayName: "Yui" } });
    expect(await onFriendFollowed(shop.id, friend.id)).toBe("scheduled");
    expect(await onFriendFollowed(shop.id, friend.id)).toBe("exists");
    await waitForIdleQueues({ timeoutMs: 60_000 });
    const { messages } = await lineEmu.ctl.getMessages(ch.channelId, { userId: user.userId });
    expect(messages).toHaveLength(1);
    expect(String(messages[0]!.message.text)).toMatch(
      /^Welcome, Yui!\nLink your store account to get order updates: https:\/\/my-test-app\.myshopify\.io\/r\//,
    );
  });
});

describe("win-back", () => {
  it("fires when a friend enters the dormant segment; not for other segments or after leaving", async () => {
    const { shop, ch, user } = await setup();
    const friend = await db().friend.create({ data: { shopId: shop.id, lineUserId: user.userId, displayName: "Yui" } });
    const dormant = await db().segment.create({ data: { shopId: shop.id, name: "Dormant 90d", definition: {} } });
    await saveLifecycleSettings(shop.id, { winback: { enabled: true, dormantSegmentId: dormant.id, shopUrl: "https://shop.example/new" } });
    expect(
      await onSegmentEntered({ shopId: shop.id, friendId: friend.id, segmentId: dormant.id + 1, kind: "entered", at: new Date() }),
    ).toBe("ignored");
    await db().segmentMembership.create({ data: { segmentId: dormant.id, friendId: friend.id, shopId: shop.id } });
    expect(await onSegmentEntered({ shopId: shop.id, friendId: friend.id, segmentId: dormant.id, kind: "entered", at: new Date() })).toBe(
      "scheduled",
    );
    await waitForIdleQueues({ timeoutMs: 60_000 });
    const { messages } = await lineEmu.ctl.getMessages(ch.channelId, { userId: user.userId });
    expect(messages).toHaveLength(1);
    expect(String(messages[0]!.message.text)).toMatch(/^We miss you, Yui! See what's new: https:\/\/my-test-app\.myshopify\.io\/r\//);
    expect((await lifecycleReport(shop.id)).winback.sent).toBe(1);
  });
});
