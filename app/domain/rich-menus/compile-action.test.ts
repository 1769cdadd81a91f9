import { describe, expect, it } from "vitest";
import { compileAction, compileMenu, menuAliasId } from "./compile-action";
import { HANDOFF_POSTBACK_DATA, type MenuAction } from "./types";
import { requireTemplate } from "./templates";

const ctx = { shopDomain: "demo.myshopify.com", aliasOf: (id: number) => (id === 7 ? menuAliasId(1, 7) : undefined) };

describe("compileAction", () => {
  it.each<[string, MenuAction, Record<string, unknown>]>([
    ["any URL", { type: "link", target: { kind: "url", url: "https://x.test/a" } }, { type: "uri", uri: "https://x.test/a" }],
    [
      "product",
      { type: "link", target: { kind: "product", handle: "tea" } },
      { type: "uri", uri: "https://demo.myshopify.com/products/tea" },
    ],
    [
      "collection",
      { type: "link", target: { kind: "collection", handle: "new" } },
      { type: "uri", uri: "https://demo.myshopify.com/collections/new" },
    ],
    ["cart (personal → postback)", { type: "link", target: { kind: "cart" } }, { type: "postback", data: "menu=go&to=cart" }],
    ["reorder (personal → postback)", { type: "link", target: { kind: "reorder" } }, { type: "postback", data: "menu=go&to=reorder" }],
    ["message", { type: "message", text: "hi" }, { type: "message", text: "hi" }],
    ["postback", { type: "postback", data: "a=1" }, { type: "postback", data: "a=1" }],
    ["switch", { type: "switch", menuId: 7 }, { type: "richmenuswitch", richMenuAliasId: "s1-menu-7" }],
    ["handoff", { type: "handoff" }, { type: "postback", data: HANDOFF_POSTBACK_DATA, displayText: "Label" }],
  ])("%s", (_n, action, expected) => {
    expect(compileAction(action, "Label", ctx)).toMatchObject({ label: "Label", ...expected });
  });

  it("refuses to switch to an unpublished menu", () => {
    expect(() => compileAction({ type: "switch", menuId: 8 }, "x", ctx)).toThrow(/must be published/);
  });

  it("truncates labels to LINE's 20 characters", () => {
    expect(compileAction({ type: "message", text: "x" }, "あ".repeat(25), ctx).label).toBe("あ".repeat(20));
  });

  it("compiles a whole menu with LINE's size", () => {
    const body = compileMenu(
      {
        name: "M",
        size: "compact",
        chatBarText: "Menu",
        areas: requireTemplate("compact-2").bounds.map((bounds) => ({ bounds, label: "a", action: { type: "handoff" } })),
      },
      ctx,
    );
    expect(body).toMatchObject({ size: { width: 2500, height: 843 }, selected: false, chatBarText: "Menu" });
    expect(body.areas).toHaveLength(2);
  });
});
