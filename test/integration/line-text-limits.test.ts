// Issue 9 item 16: LINE counts message text in UTF-16 code units and chatBarText, names and labels in
// characters as users see them (grapheme clusters); the app counted code points. Against real
// PostgreSQL + Redis + the worker + the LINE emulator through the real @line/bot-sdk.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createBroadcast, sendBroadcast } from "~/services/broadcasts/broadcasts.server";
import { sendTestMessages, setTestFriend } from "~/services/broadcasts/test-send.server";
import { createMenuFromTemplate, generateImageFor, updateMenu } from "~/services/rich-menus/menus.server";
import { publishMenu } from "~/services/rich-menus/publish.server";
import { menuAreas } from "~/db/rich-menus.server";
import { setupLineEmulator, shopWithLineChannel } from "../support/line";

const APPLE = "🍎"; // 2 UTF-16 units (LINE's own example)
const FAMILY = "👨‍👩‍👧‍👦"; // 1 grapheme, 7 code points, 11 UTF-16 units
const THAI_14 = "แตะเพื่อดูเมนูพิเศษ"; // 14 graphemes, 19 code points
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const lineEmu = setupLineEmulator({ worker: { concurrency: 2 } });

/** A shop with one friend whose LINE name is `displayName`. */
async function setupShop(displayName: string) {
  const { shop, ch } = await shopWithLineChannel(lineEmu);
  const { userIds } = await lineEmu.ctl.createUsers([{ displayName, friendOf: [ch.channelId] }]);
  const friend = await db().friend.create({ data: { shopId: shop.id, lineUserId: userIds[0]!, displayName } });
  return { shop, ch, friend };
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

describe("message text is counted in UTF-16 units, before anything is sent", () => {
  it("a 5,001-unit text (4,999 code points) is refused at create with invalid_message", async () => {
    const { shop } = await setupShop("Friend");
    await expect(
      createBroadcast({
        shopId: shop.id,
        name: "Long",
        messages: [{ type: "text", text: `${"x".repeat(4997)}${APPLE}${APPLE}` }],
        audience: { allFriends: true },
      }),
    ).rejects.toMatchObject({
      code: "invalid_message",
      details: [{ message: 0, path: "text", code: "too_long", limit: 5000, unit: "utf16" }],
    });
    expect(await db().broadcast.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("a text that a friend's name would push over 5,000 units is refused at create, not failed by LINE later", async () => {
    const { shop } = await setupShop("Friend");
    // A LINE name of 20 characters can be 40 units; 4,961 + 40 = 5,001.
    await expect(
      createBroadcast({
        shopId: shop.id,
        name: "Named",
        messages: [{ type: "text", text: `${"x".repeat(4961)}{{displayName}}` }],
        audience: { allFriends: true },
      }),
    ).rejects.toMatchObject({ code: "invalid_message", details: [{ path: "text", code: "too_long", limit: 5000 }] });
  });

  it("a name longer than validation assumed is shortened between characters, and LINE accepts the send", async () => {
    const { shop, ch } = await setupShop(FAMILY.repeat(20)); // 220 UTF-16 units
    const b = await createBroadcast({
      shopId: shop.id,
      name: "Named",
      messages: [{ type: "text", text: `${"x".repeat(4960)}{{displayName}}` }],
      audience: { allFriends: true },
    });
    await sendBroadcast(shop, b.id);
    expect((await waitForStatus(b.id, ["sent", "failed"])).status).toBe("sent");
    const { messages } = await lineEmu.ctl.getMessages(ch.channelId);
    expect(messages).toHaveLength(1);
    const sent = String(messages[0]!.message.text);
    expect(sent).toBe(`${"x".repeat(4960)}${FAMILY.repeat(3)}`);
    expect(sent.length).toBeLessThanOrEqual(5000);
  });

  it("a test send of a 5,000-unit text is labelled [TEST] and still within LINE's limit", async () => {
    const { shop, ch, friend } = await setupShop("Staff");
    await setTestFriend(shop.id, friend.id, true);
    expect(await sendTestMessages(shop, [{ type: "text", text: APPLE.repeat(2500) }])).toEqual({ sent: 1, failed: [] });
    const sent = String((await lineEmu.ctl.getMessages(ch.channelId)).messages[0]!.message.text);
    expect(sent.startsWith("[TEST] 🍎")).toBe(true);
    expect(sent.length).toBe(5000);
    expect(loneSurrogate.test(sent)).toBe(false);
  });
});

describe("rich menus count chatBarText and labels in characters as users see them", () => {
  it("a 14-character Thai chat bar text and emoji labels are accepted and published to LINE", async () => {
    const { shop, ch } = await setupShop("Friend");
    const m = await createMenuFromTemplate({
      shopId: shop.id,
      name: `เมนู ${FAMILY}`,
      template: "compact-2",
      labels: ["ร้านค้า", "Talk to us"],
    });
    const areas = menuAreas(await db().richMenu.findUniqueOrThrow({ where: { id: m.id } }));
    const v = await updateMenu(shop.id, m.id, {
      chatBarText: THAI_14,
      areas: [{ ...areas[0]!, label: FAMILY.repeat(20) }, areas[1]!],
    });
    expect(v.errors).toEqual([]);
    await generateImageFor(shop.id, m.id);
    const published = await publishMenu(shop.id, m.id);
    const [menu] = (await lineEmu.ctl.getRichMenus(ch.channelId)).richmenus;
    expect(menu).toMatchObject({ richMenuId: published.lineRichMenuId, chatBarText: THAI_14, name: `เมนู ${FAMILY}` });
    expect(menu!.areas[0]!.action.label).toBe(FAMILY.repeat(20));
  });

  it("a 15-character chat bar text is refused by our validation before LINE is called", async () => {
    const { shop, ch } = await setupShop("Friend");
    const m = await createMenuFromTemplate({ shopId: shop.id, name: "Menu", template: "compact-1" });
    const v = await updateMenu(shop.id, m.id, { chatBarText: `${THAI_14}ก` });
    expect(v.errors.map((e) => e.field)).toEqual(["chatBarText"]);
    expect((await lineEmu.ctl.getRequests(ch.channelId, { operationId: "createRichMenu" })).requests).toHaveLength(0);
  });
});
