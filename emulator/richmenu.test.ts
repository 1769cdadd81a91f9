import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toBlob, responseProblems, errorOf, makeHugePng, makeImage, richMenuBody, setup, type Harness } from "./test-helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await setup();
}, 30_000);
afterAll(async () => {
  expect(responseProblems(h.emu)).toEqual([]);
  await h?.emu.close();
});

async function menuWithImage(over: Record<string, unknown> = {}) {
  const { richMenuId } = await h.client.createRichMenu(richMenuBody(over));
  await h.blob.setRichMenuImage(richMenuId, toBlob(await makeImage(2500, 1686), "image/png"));
  return richMenuId;
}

describe("rich menus via @line/bot-sdk", () => {
  it("create → upload PNG → link to user → getRichMenuIdOfUser", async () => {
    const { richMenuId } = await h.client.createRichMenu(richMenuBody());
    expect(richMenuId).toMatch(/^richmenu-[0-9a-f]{32}$/);
    const png = await makeImage(2500, 1686);
    await h.blob.setRichMenuImage(richMenuId, toBlob(png, "image/png"));
    const user = h.friends[0];
    await h.client.linkRichMenuIdToUser(user, richMenuId);
    expect((await h.client.getRichMenuIdOfUser(user)).richMenuId).toBe(richMenuId);
    const menu = await h.client.getRichMenu(richMenuId);
    expect(menu.chatBarText).toBe("Menu");
    expect(menu.areas).toHaveLength(2);
    // download via the blob client
    const stream = await h.blob.getRichMenuImage(richMenuId);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
    expect(Buffer.concat(chunks).equals(png)).toBe(true);
    // state
    expect(h.emu.state.userView(h.emu.state.mustChannel(h.channel.channelId), user).richMenuId).toBe(richMenuId);
    // list + unlink
    expect((await h.client.getRichMenuList()).richmenus.map((m) => m.richMenuId)).toContain(richMenuId);
    await h.client.unlinkRichMenuIdFromUser(user);
    expect((await errorOf(h.client.getRichMenuIdOfUser(user))).status).toBe(404);
  });

  it("JPEG 1200x405 (legacy size) works; uploading twice is rejected", async () => {
    const { richMenuId } = await h.client.createRichMenu(
      richMenuBody({
        size: { width: 1200, height: 405 },
        areas: [
          {
            bounds: { x: 0, y: 0, width: 1200, height: 405 },
            action: { type: "message", text: "hi" },
          },
        ],
      }),
    );
    const jpg = await makeImage(1200, 405, "jpeg");
    await h.blob.setRichMenuImage(richMenuId, toBlob(jpg, "image/jpeg"));
    const e = await errorOf(h.blob.setRichMenuImage(richMenuId, toBlob(jpg, "image/jpeg")));
    expect(e.status).toBe(400);
    expect(e.body.message).toMatch(/already been uploaded/);
  });

  it("rejects bad images: too small, wrong ratio, >1MB, gif, mismatched content type", async () => {
    const { richMenuId } = await h.client.createRichMenu(richMenuBody());
    const cases: Array<[Buffer, string, RegExp]> = [
      [await makeImage(700, 300), "image/png", /width/],
      [await makeImage(1000, 200), "image/png", /height/],
      [await makeImage(1000, 800), "image/png", /aspect ratio/],
      [await makeHugePng(), "image/png", /1MB/],
      [await makeImage(2500, 1686, "gif"), "image/gif", /Content-Type/],
      [await makeImage(2500, 1686, "jpeg"), "image/png", /not a PNG/],
    ];
    for (const [buf, type, re] of cases) {
      const e = await errorOf(h.blob.setRichMenuImage(richMenuId, toBlob(buf, type)));
      expect(e.status, `${type} ${buf.length}`).toBe(400);
      expect(e.body.message).toMatch(re);
    }
    // still no image → linking fails
    const e = await errorOf(h.client.linkRichMenuIdToUser(h.friends[0], richMenuId));
    expect(e.status).toBe(400);
    expect(e.body.message).toMatch(/upload richmenu image/);
  });

  it("counts chatBarText, name and labels in grapheme clusters as LINE does (Thai, emoji ZWJ sequences)", async () => {
    const thai14 = "แตะเพื่อดูเมนูพิเศษ"; // 14 graphemes, 19 code points
    const family = "👨‍👩‍👧‍👦"; // 1 grapheme, 7 code points, 11 UTF-16 units
    const label = (l: string) => [{ bounds: { x: 0, y: 0, width: 2500, height: 1686 }, action: { type: "message", label: l, text: l } }];
    const { richMenuId } = await h.client.createRichMenu(
      richMenuBody({ chatBarText: thai14, name: family.repeat(300), areas: label(family.repeat(20)) }),
    );
    expect((await h.client.getRichMenu(richMenuId)).chatBarText).toBe(thai14);
    await h.client.validateRichMenuObject(richMenuBody({ chatBarText: family.repeat(14) }));

    let e = await errorOf(h.client.createRichMenu(richMenuBody({ chatBarText: `${thai14}ก` })));
    expect(e.status).toBe(400);
    expect(e.body.details).toEqual([{ message: "must NOT have more than 14 characters", property: "chatBarText" }]);
    e = await errorOf(h.client.createRichMenu(richMenuBody({ name: family.repeat(301) })));
    expect(e.body.details).toEqual([{ message: "must NOT have more than 300 characters", property: "name" }]);
    e = await errorOf(h.client.createRichMenu(richMenuBody({ areas: label(family.repeat(21)) })));
    expect(e.body.details).toEqual([{ message: "must be a string of at most 20 characters", property: "areas[0].action.label" }]);
  });

  it("rejects 21 areas, 15-char chatBarText, out-of-bounds areas, bad size, bad actions", async () => {
    const area = {
      bounds: { x: 0, y: 0, width: 100, height: 100 },
      action: { type: "message", text: "x" },
    };
    let e = await errorOf(h.client.createRichMenu(richMenuBody({ areas: Array(21).fill(area) })));
    expect(e.status).toBe(400);
    expect(e.body.details).toContainEqual(expect.objectContaining({ property: "areas" }));

    e = await errorOf(h.client.createRichMenu(richMenuBody({ chatBarText: "123456789012345" })));
    expect(e.status).toBe(400);
    expect(e.body.message).toMatch(/The request body has \d+ error/);
    expect(e.body.details).toContainEqual({
      message: "must NOT have more than 14 characters",
      property: "chatBarText",
    });

    e = await errorOf(
      h.client.createRichMenu(
        richMenuBody({
          areas: [
            {
              bounds: { x: 2000, y: 0, width: 1000, height: 100 },
              action: { type: "message", text: "x" },
            },
          ],
        }),
      ),
    );
    expect(e.body.details).toContainEqual(expect.objectContaining({ property: "areas[0].bounds" }));

    e = await errorOf(h.client.createRichMenu(richMenuBody({ size: { width: 2500, height: 1000 } })));
    expect(e.body.details).toContainEqual(expect.objectContaining({ property: "size" }));

    e = await errorOf(
      h.client.createRichMenu(
        richMenuBody({
          areas: [
            {
              bounds: { x: 0, y: 0, width: 10, height: 10 },
              action: {
                type: "uri",
                uri: "https://x.example/" + "a".repeat(1001),
              },
            },
            {
              bounds: { x: 0, y: 0, width: 10, height: 10 },
              action: { type: "postback", data: "d".repeat(301) },
            },
            {
              bounds: { x: 0, y: 0, width: 10, height: 10 },
              action: { type: "richmenuswitch", data: "x" },
            },
            {
              bounds: { x: 0, y: 0, width: 10, height: 10 },
              action: { type: "teleport" },
            },
          ],
        }),
      ),
    );
    const props = e.body.details.map((d: { property: string }) => d.property);
    expect(props).toEqual(
      expect.arrayContaining(["areas[0].action.uri", "areas[1].action.data", "areas[2].action.richMenuAliasId", "areas[3].action.type"]),
    );

    // validate endpoint shares the rules
    e = await errorOf(h.client.validateRichMenuObject(richMenuBody({ chatBarText: "" })));
    expect(e.status).toBe(400);
    await h.client.validateRichMenuObject(richMenuBody());
  });

  it("per-user link needs a friend; bulk link skips non-friends; default menu", async () => {
    const richMenuId = await menuWithImage();
    const stranger = h.emu.state.createUser({ displayName: "Stranger" }).userId;
    const e = await errorOf(h.client.linkRichMenuIdToUser(stranger, richMenuId));
    expect(e.status).toBe(400);

    const res = await h.client.linkRichMenuIdToUsersWithHttpInfo({
      richMenuId,
      userIds: [h.friends[1], h.friends[2], stranger],
    });
    expect(res.httpResponse.status).toBe(202);
    expect(res.httpResponse.headers.get("x-line-request-id")).toBeTruthy();
    const cs = h.emu.state.mustChannel(h.channel.channelId);
    expect(cs.userRichMenus.get(h.friends[1])).toBe(richMenuId);
    expect(cs.userRichMenus.has(stranger)).toBe(false);

    const tooMany = await errorOf(
      h.client.linkRichMenuIdToUsers({
        richMenuId,
        userIds: Array.from({ length: 501 }, (_, i) => `U${String(i).padStart(32, "0")}`),
      }),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.details[0].property).toBe("userIds");

    await h.client.unlinkRichMenuIdFromUsers({ userIds: [h.friends[1]] });
    expect(cs.userRichMenus.has(h.friends[1])).toBe(false);

    const def = await menuWithImage({ name: "default" });
    await h.client.setDefaultRichMenu(def);
    expect((await h.client.getDefaultRichMenuId()).richMenuId).toBe(def);
    expect(h.emu.state.userView(cs, h.friends[1]).richMenuId).toBe(def);
    expect(h.emu.state.userView(cs, h.friends[2]).richMenuId).toBe(richMenuId);
    await h.client.cancelDefaultRichMenu();
    expect((await errorOf(h.client.getDefaultRichMenuId())).status).toBe(404);
  });

  it("aliases: create/get/update/list/delete; alias id pattern from the spec", async () => {
    const a = await menuWithImage();
    const b = await menuWithImage();
    await h.client.createRichMenuAlias({
      richMenuAliasId: "tab-a",
      richMenuId: a,
    });
    expect((await h.client.getRichMenuAlias("tab-a")).richMenuId).toBe(a);
    expect(
      (
        await errorOf(
          h.client.createRichMenuAlias({
            richMenuAliasId: "tab-a",
            richMenuId: b,
          }),
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await errorOf(
          h.client.createRichMenuAlias({
            richMenuAliasId: "Bad Alias!",
            richMenuId: b,
          }),
        )
      ).status,
    ).toBe(400);
    await h.client.updateRichMenuAlias("tab-a", { richMenuId: b });
    expect((await h.client.getRichMenuAliasList()).aliases).toContainEqual({
      richMenuAliasId: "tab-a",
      richMenuId: b,
    });
    await h.client.deleteRichMenuAlias("tab-a");
    expect((await errorOf(h.client.getRichMenuAlias("tab-a"))).status).toBe(404);
  });

  it("delete unlinks users; unknown menu is 404", async () => {
    const id = await menuWithImage();
    await h.client.linkRichMenuIdToUser(h.friends[0], id);
    await h.client.deleteRichMenu(id);
    expect(h.emu.state.mustChannel(h.channel.channelId).userRichMenus.get(h.friends[0])).toBeUndefined();
    expect((await errorOf(h.client.getRichMenu(id))).status).toBe(404);
  });

  it("caps rich menus at 1,000 per channel", async () => {
    const cs = h.emu.state.mustChannel(h.channel.channelId);
    const template = [...cs.richMenus.values()][0];
    for (let i = cs.richMenus.size; i < 1000; i++)
      cs.richMenus.set(`richmenu-fake${i}`, {
        ...template,
        richMenuId: `richmenu-fake${i}`,
      });
    const e = await errorOf(h.client.createRichMenu(richMenuBody()));
    expect(e.status).toBe(400);
    expect(e.body.message).toMatch(/1000/);
    for (const k of [...cs.richMenus.keys()]) if (k.startsWith("richmenu-fake")) cs.richMenus.delete(k);
  });
});
