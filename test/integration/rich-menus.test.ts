// Rich menus end to end against the LINE emulator through the real @line/bot-sdk: publish, edit
// (move users + alias, delete old), budget refusal, per-friend sync, resumable bulk apply,
// reconciliation. Assertions are on our rows and on what LINE (the emulator) holds and received.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, LineEmulatorClient, type LineEmulator } from "../../emulator/index";
import { resetEnv } from "~/config/env.server";
import { db } from "~/db.server";
import { installDevShop, connectLineChannel } from "~/services/shops.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { createMenuFromTemplate, generateImageFor, updateMenu } from "~/services/rich-menus/menus.server";
import { publishMenu, setDefaultMenu } from "~/services/rich-menus/publish.server";
import { findMenuFriends, saveRules, whichMenuFor } from "~/services/rich-menus/rules.server";
import { syncFriendMenu, syncFriendMenus, requestMenuSync } from "~/services/rich-menus/sync.server";
import { startApplyRun, applyRunStatus } from "~/services/rich-menus/apply.server";
import { reconcileShop } from "~/services/rich-menus/reconcile.server";
import { menuAreas } from "~/db/rich-menus.server";
import { emit } from "~/reactions.server";
import { uniqueShop } from "../support/shopify";
import { commands as menuCommands } from "../../scripts/cli/commands/menus";

let emu: LineEmulator;
let ctl: LineEmulatorClient;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0, validateResponses: true });
  process.env.LINE_API_BASE_URL = emu.apiBaseUrl;
  process.env.LINE_API_DATA_BASE_URL = emu.dataBaseUrl;
  process.env.LINE_LOGIN_BASE_URL = emu.url;
  resetEnv();
  ctl = new LineEmulatorClient(emu.url);
  worker = await startWorker({ concurrency: 2, sweeps: false });
});
afterAll(async () => {
  await worker?.stop();
  await emu?.close();
});

async function setupShop(friendCount: number) {
  const domain = uniqueShop();
  await installDevShop({ domain });
  const ch = emu.state.createChannel({});
  await connectLineChannel({ domain, channelId: ch.channelId, channelSecret: ch.channelSecret, channelAccessToken: ch.channelAccessToken });
  const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
  const userIds: string[] = [];
  for (let i = 0; i < friendCount; i++) userIds.push(emu.state.createUser({ displayName: `Friend ${i}`, friendOf: [ch.channelId] }).userId);
  await db().friend.createMany({ data: userIds.map((lineUserId, i) => ({ shopId: shop.id, lineUserId, displayName: `Friend ${i}` })) });
  const friends = await db().friend.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
  return { shop, ch, friends };
}

async function publishedMenu(shopId: number, name: string, template = "large-6", labels?: string[]) {
  const m = await createMenuFromTemplate({
    shopId,
    name,
    template,
    labels: labels ?? ["ショップ", "購物車", "สั่งซื้อ", "Order", "Points", "Talk to us"],
  });
  await generateImageFor(shopId, m.id);
  const r = await publishMenu(shopId, m.id);
  return { id: m.id, ...r };
}

const ops = async (channelId: string, operationId: string) =>
  (await ctl.getRequests(channelId, { operationId })).requests.filter((r) => r.operationId === operationId);

describe("publishing", () => {
  it("creates the menu on LINE with the generated image and an alias, and can make it the default", async () => {
    const { shop, ch, friends } = await setupShop(1);
    const m = await publishedMenu(shop.id, "Main");
    const menus = await ctl.getRichMenus(ch.channelId);
    expect(menus.richmenus).toHaveLength(1);
    expect(menus.richmenus[0]).toMatchObject({
      richMenuId: m.lineRichMenuId,
      hasImage: true,
      chatBarText: "メニュー", // the default, in the language of the shop (in Japan)
      size: { width: 2500, height: 1686 },
    });
    expect(menus.richmenus[0].image).toMatchObject({ contentType: "image/png", width: 2500, height: 1686 });
    expect(menus.richmenus[0].areas).toHaveLength(6);
    expect(menus.richmenus[0].areas[5].action).toMatchObject({ type: "postback", data: "menu=handoff" });
    expect(menus.aliases[m.aliasId]).toBe(m.lineRichMenuId);
    expect(m.warnings).toEqual([]);

    await setDefaultMenu(shop.id, m.id);
    expect((await ctl.getRichMenus(ch.channelId)).defaultRichMenuId).toBe(m.lineRichMenuId);
    const state = await ctl.getUserState(ch.channelId, friends[0].lineUserId);
    expect(state).toMatchObject({ richMenuId: m.lineRichMenuId, richMenuSource: "default" });
    const row = await db().richMenu.findUniqueOrThrow({ where: { id: m.id } });
    expect(row).toMatchObject({ status: "published", lineRichMenuId: m.lineRichMenuId, isDefault: true });
    expect(await db().menuCreationLog.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("re-publishing an edited menu moves its friends and alias to a new LINE menu and deletes the old", async () => {
    const { shop, ch, friends } = await setupShop(3);
    const def = await publishedMenu(shop.id, "Default", "compact-2", ["Shop", "Talk to us"]);
    await setDefaultMenu(shop.id, def.id);
    const vip = await publishedMenu(shop.id, "VIP");
    await saveRules(shop.id, [{ kind: "everyone", richMenuId: vip.id }]);
    for (const f of friends) await syncFriendMenu(shop.id, f.id);
    for (const f of friends) expect((await ctl.getUserState(ch.channelId, f.lineUserId)).richMenuId).toBe(vip.lineRichMenuId);

    const areas = menuAreas(await db().richMenu.findUniqueOrThrow({ where: { id: vip.id } }));
    areas[0].label = "New arrivals";
    expect((await updateMenu(shop.id, vip.id, { areas })).ok).toBe(true);
    await generateImageFor(shop.id, vip.id);
    const again = await publishMenu(shop.id, vip.id);
    expect(again.replaced).toBe(vip.lineRichMenuId);
    expect(again.lineRichMenuId).not.toBe(vip.lineRichMenuId);
    expect(again.movedFriends).toBe(3);

    const menus = await ctl.getRichMenus(ch.channelId);
    expect(menus.richmenus.map((r) => r.richMenuId).sort()).toEqual([def.lineRichMenuId, again.lineRichMenuId].sort());
    expect(menus.aliases[vip.aliasId]).toBe(again.lineRichMenuId);
    for (const f of friends) expect((await ctl.getUserState(ch.channelId, f.lineUserId)).richMenuId).toBe(again.lineRichMenuId);
    const bulk = await ops(ch.channelId, "linkRichMenuIdToUsers");
    expect(bulk).toHaveLength(1);
    expect(await db().richMenu.findUniqueOrThrow({ where: { id: vip.id } })).toMatchObject({
      lineRichMenuId: again.lineRichMenuId,
      retiredLineRichMenuId: null,
      pendingLineRichMenuId: null,
    });
  });

  it("refuses before hitting LINE's limits: 100 creations per hour, 1,000 menus", async () => {
    const { shop, ch } = await setupShop(0);
    const m = await createMenuFromTemplate({ shopId: shop.id, name: "Over budget", template: "compact-1" });
    await generateImageFor(shop.id, m.id);
    await db().menuCreationLog.createMany({
      data: Array.from({ length: 100 }, () => ({ shopId: shop.id, createdAt: new Date(Date.now() - 30 * 60_000) })),
    });
    await expect(publishMenu(shop.id, m.id)).rejects.toThrow(/100 rich-menu creations per hour and 100 were used/);
    await db().menuCreationLog.deleteMany({ where: { shopId: shop.id } });

    const cs = emu.state.mustChannel(ch.channelId);
    for (let i = 0; i < 1000; i++)
      cs.richMenus.set(`richmenu-fill${String(i).padStart(27, "0")}`, {
        richMenuId: `richmenu-fill${i}`,
        size: { width: 2500, height: 843 },
        selected: false,
        name: "x",
        chatBarText: "x",
        areas: [],
        createdAt: Date.now(),
      } as never);
    await expect(publishMenu(shop.id, m.id)).rejects.toThrow(/already has 1000 of 1000 rich menus/);
    expect(await ops(ch.channelId, "createRichMenu")).toHaveLength(0);
    cs.richMenus.clear();
  });
});

describe("CLI", () => {
  const cli = (name: string, args: Record<string, string | boolean>) => menuCommands.find((c) => c.name === name)!.run(args);

  it("menu:create --publish, menu:rules, menu:which, menu:apply, menu:reconcile", async () => {
    const { shop, ch, friends } = await setupShop(2);
    const created = (await cli("menu:create", {
      shop: shop.domain,
      name: "CLI menu",
      template: "compact-3",
      labels: "Shop,Cart,Talk to us",
      publish: true,
    })) as {
      id: number;
      published: { lineRichMenuId: string };
    };
    expect((await ctl.getRichMenus(ch.channelId)).richmenus.map((m) => m.richMenuId)).toEqual([created.published.lineRichMenuId]);
    await saveRules(shop.id, [{ kind: "everyone", richMenuId: created.id }]);
    expect(await cli("menu:rules", { shop: shop.domain })).toMatchObject({
      rules: [{ condition: "everyone else", menu: "CLI menu", published: true }],
    });
    expect(await cli("menu:which", { shop: shop.domain, "line-user": friends[0].lineUserId })).toMatchObject({
      menuName: "CLI menu",
      changed: true,
    });
    const run = (await cli("menu:apply", { shop: shop.domain })) as { runId: number };
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect(await applyRunStatus(shop.id, run.runId)).toMatchObject({ status: "completed", moved: 2 });
    expect(await cli("menu:reconcile", { shop: shop.domain })).toMatchObject({ sampled: 2, drifted: 0 });
  });
});

describe("keeping LINE in step", () => {
  it("per-friend sync links only when the chosen menu changes", async () => {
    const { shop, ch, friends } = await setupShop(1);
    const f = friends[0];
    const def = await publishedMenu(shop.id, "Default", "compact-1", ["Talk to us"]);
    await setDefaultMenu(shop.id, def.id);
    const gold = await publishedMenu(shop.id, "Gold");
    const customer = await db().customer.create({ data: { shopId: shop.id, shopifyCustomerId: 1n, tags: [] } });
    await db().friend.update({ where: { id: f.id }, data: { customerId: customer.id } });
    await saveRules(shop.id, [{ kind: "intent", intent: { type: "tier", tag: "gold" }, richMenuId: gold.id, dwellHours: 0 }]);

    expect((await syncFriendMenu(shop.id, f.id)).outcome).toBe("unchanged");
    await requestMenuSync(shop.id, f.id);
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect(await ops(ch.channelId, "linkRichMenuIdToUser")).toHaveLength(0);
    expect(await ops(ch.channelId, "unlinkRichMenuIdFromUser")).toHaveLength(0);

    await db().customer.update({ where: { id: customer.id }, data: { tags: ["Gold"] } });
    await requestMenuSync(shop.id, f.id);
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect(await ops(ch.channelId, "linkRichMenuIdToUser")).toHaveLength(1);
    expect((await ctl.getUserState(ch.channelId, f.lineUserId)).richMenuId).toBe(gold.lineRichMenuId);
    expect(await db().friend.findUniqueOrThrow({ where: { id: f.id } })).toMatchObject({ richMenuId: gold.id });

    expect((await findMenuFriends(shop.id, "friend 0")).map((m) => m.id)).toEqual([f.id]);
    const which = await whichMenuFor(shop.id, f.id);
    expect(which).toMatchObject({ menuId: gold.id, menuName: "Gold", changed: false });
    expect(which?.reason).toMatch(/rule 1 \(tier “gold”\) is the first rule that matches/);

    expect((await syncFriendMenu(shop.id, f.id)).outcome).toBe("unchanged");
    expect(await ops(ch.channelId, "linkRichMenuIdToUser")).toHaveLength(1);
  });

  it("a sync of many friends links each whose menu changes, records them, and on a LINE 5xx retries only the one that failed", async () => {
    const { shop, ch, friends } = await setupShop(4);
    const def = await publishedMenu(shop.id, "Default", "compact-1", ["Talk to us"]);
    await setDefaultMenu(shop.id, def.id);
    const members = await publishedMenu(shop.id, "Members");
    await saveRules(shop.id, [{ kind: "linked", richMenuId: members.id }]);
    for (const [i, f] of friends.slice(0, 3).entries()) {
      const c = await db().customer.create({ data: { shopId: shop.id, shopifyCustomerId: BigInt(900 + i), tags: [] } });
      await db().friend.update({ where: { id: f.id }, data: { customerId: c.id } });
    }
    await ctl.addFault({ operationId: "linkRichMenuIdToUser", status: 500, count: 1 });
    const ids = friends.map((f) => f.id);
    await expect(syncFriendMenus(shop.id, ids)).rejects.toThrow();
    // The two accepted links are recorded before the throw; the retry links only the third.
    const moved = await db().friend.count({ where: { shopId: shop.id, richMenuId: members.id } });
    expect(moved).toBe(2);
    const again = await syncFriendMenus(shop.id, ids);
    expect([...again.values()].map((r) => r.outcome).sort()).toEqual(["linked", "unchanged", "unchanged", "unchanged"]);
    const links = await ops(ch.channelId, "linkRichMenuIdToUser");
    expect(links.filter((r) => r.status === 200)).toHaveLength(3);
    for (const f of friends.slice(0, 3))
      expect((await ctl.getUserState(ch.channelId, f.lineUserId)).richMenuId).toBe(members.lineRichMenuId);
    expect(await db().friend.findUniqueOrThrow({ where: { id: friends[3]!.id } })).toMatchObject({ richMenuId: null });
    // Another shop's friend id is not this shop's to sync.
    const other = await setupShop(1);
    expect((await syncFriendMenus(shop.id, [other.friends[0]!.id])).get(other.friends[0]!.id)).toMatchObject({ outcome: "skipped" });
  });

  it("'Which menu would this friend see?' lists every same-named friend to choose from, never one silently; other shops' friends are not found", async () => {
    const { shop, friends } = await setupShop(3);
    const other = await setupShop(1);
    await db().friend.update({ where: { id: other.friends[0].id }, data: { displayName: "Yui Tanaka" } });
    const customer = await db().customer.create({ data: { shopId: shop.id, shopifyCustomerId: 7301n } });
    await db().friend.update({ where: { id: friends[0].id }, data: { displayName: "Yui Tanaka", customerId: customer.id } });
    await db().friend.update({ where: { id: friends[2].id }, data: { displayName: "yui tanaka" } });
    const matches = await findMenuFriends(shop.id, "Yui Tanaka");
    expect(matches.map((m) => [m.id, m.shopifyCustomerId])).toEqual([
      [friends[0].id, "7301"],
      [friends[2].id, null],
    ]);
    expect(await whichMenuFor(shop.id, other.friends[0].id)).toBeNull();
    expect((await whichMenuFor(shop.id, friends[2].id))?.friend.id).toBe(friends[2].id);
  });

  it("segment rules follow the segment membership: a facts change re-evaluates the linked friend (urgent bypasses dwell)", async () => {
    const { shop, ch, friends } = await setupShop(1);
    const f = friends[0];
    const def = await publishedMenu(shop.id, "Default", "compact-1", ["Talk to us"]);
    await setDefaultMenu(shop.id, def.id);
    const buyers = await publishedMenu(shop.id, "Buyers");
    const cart = await publishedMenu(shop.id, "Cart", "compact-2", ["Checkout", "Talk to us"]);
    const seg = await db().segment.create({
      data: {
        shopId: shop.id,
        name: "Buyers",
        definition: { groups: [{ conditions: [{ field: "purchaseCount", op: "gte", value: 1 }] }] },
      },
    });
    const customer = await db().customer.create({ data: { shopId: shop.id, shopifyCustomerId: 77n, tags: [] } });
    await db().friend.update({ where: { id: f.id }, data: { customerId: customer.id } });
    await saveRules(shop.id, [
      { kind: "intent", intent: { type: "abandonedCart", minHours: 1 }, richMenuId: cart.id },
      { kind: "segment", segmentId: seg.id, richMenuId: buyers.id },
    ]);
    const fire = () =>
      emit(
        "customer.facts-changed",
        { shopId: shop.id, shopifyCustomerId: "77", cause: "test", exists: true, friendIds: [f.id] },
        crypto.randomUUID(),
      );

    await db().customer.update({ where: { id: customer.id }, data: { purchaseCount: 1 } });
    await fire();
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect((await ctl.getUserState(ch.channelId, f.lineUserId)).richMenuId).toBe(buyers.lineRichMenuId);
    expect(await db().segmentMembership.count({ where: { segmentId: seg.id, friendId: f.id } })).toBe(1);
    expect((await db().menuRule.findFirstOrThrow({ where: { shopId: shop.id, kind: "intent" } })).urgent).toBe(true);

    // Within the 24 h dwell of the segment rule, the urgent abandoned-cart rule still switches at once.
    await db().customer.update({ where: { id: customer.id }, data: { abandonedCheckoutAt: new Date(Date.now() - 2 * 3_600_000) } });
    await fire();
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect((await ctl.getUserState(ch.channelId, f.lineUserId)).richMenuId).toBe(cart.lineRichMenuId);
    expect((await findMenuFriends(shop.id, f.lineUserId)).map((m) => m.id)).toEqual([f.id]);
    const which = await whichMenuFor(shop.id, f.id);
    expect(which?.reason).toMatch(/rule 1 \(cart abandoned ≥ 1 h\) is the first rule that matches → “Cart” \(already shown\)/);
  });

  it("applies a rule change to 3,000 friends with bulk calls of ≤500 and resumes after a LINE failure", async () => {
    const { shop, ch, friends } = await setupShop(3000);
    const def = await publishedMenu(shop.id, "Default", "compact-1", ["Talk to us"]);
    await setDefaultMenu(shop.id, def.id);
    const a = await publishedMenu(shop.id, "Linked");
    const b = await publishedMenu(shop.id, "Everyone");
    const customers = await db().customer.createManyAndReturn({
      data: friends.slice(0, 1200).map((_f, i) => ({ shopId: shop.id, shopifyCustomerId: BigInt(i + 1), tags: [] })),
    });
    for (let i = 0; i < customers.length; i++)
      await db().friend.update({ where: { id: friends[i].id }, data: { customerId: customers[i].id } });
    await saveRules(shop.id, [
      { kind: "linked", richMenuId: a.id },
      { kind: "everyone", richMenuId: b.id },
    ]);
    await ctl.addFault({ operationId: "linkRichMenuIdToUsers", status: 500, count: 1 });
    const run = await startApplyRun(shop.id);
    // The first bulk call fails; the job is retried and continues from its stored cursor.
    const deadline = Date.now() + 30_000;
    let status = await applyRunStatus(shop.id, run.id);
    while (status?.status !== "completed" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      status = await applyRunStatus(shop.id, run.id);
    }
    expect(status).toMatchObject({ status: "completed", total: 3000, done: 3000, moved: 3000 });
    const calls = await ops(ch.channelId, "linkRichMenuIdToUsers");
    expect(calls.filter((c) => c.status === 500)).toHaveLength(1);
    expect(calls.filter((c) => c.status === 202)).toHaveLength(Math.ceil(1200 / 500) + Math.ceil(1800 / 500));
    const view = emu.state.mustChannel(ch.channelId).userRichMenus;
    friends.forEach((f, i) => expect(view.get(f.lineUserId)).toBe(i < 1200 ? a.lineRichMenuId : b.lineRichMenuId));
    expect(await db().friend.count({ where: { shopId: shop.id, richMenuId: a.id } })).toBe(1200);
    expect(await db().friend.count({ where: { shopId: shop.id, richMenuId: b.id } })).toBe(1800);

    // Removing the "everyone" rule sends those friends back to the default with bulk unlink.
    await saveRules(shop.id, [{ kind: "linked", richMenuId: a.id }]);
    const run2 = await startApplyRun(shop.id);
    await waitForIdleQueues({ timeoutMs: 60_000 });
    expect(await applyRunStatus(shop.id, run2.id)).toMatchObject({ status: "completed", moved: 1800 });
    expect(await ops(ch.channelId, "unlinkRichMenuIdFromUsers")).toHaveLength(4);
    expect(friends.slice(1200).every((f) => !view.has(f.lineUserId))).toBe(true);
  });

  it("reconciliation finds and repairs drift made directly on LINE", async () => {
    const { shop, ch, friends } = await setupShop(10);
    const def = await publishedMenu(shop.id, "Default", "compact-1", ["Talk to us"]);
    await setDefaultMenu(shop.id, def.id);
    const a = await publishedMenu(shop.id, "All");
    await saveRules(shop.id, [{ kind: "everyone", richMenuId: a.id }]);
    for (const f of friends) await syncFriendMenu(shop.id, f.id);
    // Someone changes menus behind our back (e.g. in LINE Official Account Manager).
    const cs = emu.state.mustChannel(ch.channelId);
    cs.userRichMenus.delete(friends[0].lineUserId);
    cs.userRichMenus.set(friends[1].lineUserId, def.lineRichMenuId);
    const report = await reconcileShop(shop.id, { sample: 50 });
    expect(report).toMatchObject({ sampled: 10, drifted: 2, repaired: 2 });
    for (const f of friends) expect(cs.userRichMenus.get(f.lineUserId)).toBe(a.lineRichMenuId);
    expect((await reconcileShop(shop.id, { sample: 50 }))?.drifted).toBe(0);
  });
});
