import { describe, expect, it } from "vitest";
import { validateMenu } from "./validate-menu";
import type { MenuArea, MenuDraft } from "./types";
import { requireTemplate } from "./templates";

const areas = (n: number, extra: Partial<MenuArea> = {}): MenuArea[] =>
  requireTemplate("large-6")
    .bounds.slice(0, n)
    .map((bounds, i) => ({ label: `Area ${i + 1}`, bounds, action: { type: "message", text: "hi" }, ...extra }));
const ok: MenuDraft = {
  name: "Main",
  size: "large",
  chatBarText: "メニュー",
  areas: [...areas(5), { label: "Talk to us", bounds: requireTemplate("large-6").bounds[5], action: { type: "handoff" } }],
};

describe("validateMenu", () => {
  it("accepts a complete menu without warnings", () => {
    expect(validateMenu(ok)).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it.each<[string, MenuDraft, string]>([
    ["chat bar text over 14", { ...ok, chatBarText: "x".repeat(15) }, "chatBarText"],
    ["empty chat bar text", { ...ok, chatBarText: "" }, "chatBarText"],
    ["no areas", { ...ok, areas: [] }, "areas"],
    ["21 areas", { ...ok, areas: Array.from({ length: 21 }, () => ok.areas[0]) }, "areas"],
    ["bounds outside", { ...ok, size: "compact" }, "areas.3.bounds"],
    ["negative x", { ...ok, areas: [{ ...ok.areas[0], bounds: { x: -1, y: 0, width: 10, height: 10 } }] }, "areas.0.bounds"],
    [
      "bad url",
      { ...ok, areas: [{ ...ok.areas[0], action: { type: "link", target: { kind: "url", url: "javascript:x" } } }] },
      "areas.0.action.url",
    ],
    ["empty message", { ...ok, areas: [{ ...ok.areas[0], action: { type: "message", text: " " } }] }, "areas.0.action.text"],
    [
      "postback over 300",
      { ...ok, areas: [{ ...ok.areas[0], action: { type: "postback", data: "x".repeat(301) } }] },
      "areas.0.action.data",
    ],
    ["switch without menu", { ...ok, areas: [{ ...ok.areas[0], action: { type: "switch", menuId: 0 } }] }, "areas.0.action.menuId"],
    ["empty label", { ...ok, areas: [{ ...ok.areas[0], label: "" }] }, "areas.0.label"],
  ])("rejects %s", (_n, menu, field) => {
    const v = validateMenu(menu);
    expect(v.ok).toBe(false);
    expect(v.errors.map((e) => e.field)).toContain(field);
  });

  it("counts chat bar text, name and labels as LINE does: characters as users see them (grapheme clusters)", () => {
    const thai14 = "แตะเพื่อดูเมนูพิเศษ"; // 14 characters on screen, 19 code points / UTF-16 units
    const family = "👨‍👩‍👧‍👦"; // one character on screen, 7 code points, 11 UTF-16 units
    expect(validateMenu({ ...ok, chatBarText: thai14 }).ok).toBe(true);
    expect(validateMenu({ ...ok, chatBarText: `${thai14}ก` }).errors.map((e) => e.field)).toEqual(["chatBarText"]);
    expect(validateMenu({ ...ok, chatBarText: `Sale ${family}` }).ok).toBe(true);
    expect(validateMenu({ ...ok, chatBarText: family.repeat(14) }).ok).toBe(true);
    expect(validateMenu({ ...ok, chatBarText: "タップしてメニューを開いてください" }).ok).toBe(false);
    const labelled = (label: string) => validateMenu({ ...ok, areas: [{ ...ok.areas[0], label }, ...ok.areas.slice(1)] });
    expect(labelled("ดูสินค้าทั้งหมดที่ร้านเลยค่ะ!").errors).toEqual([]); // 20 characters, 29 code points
    expect(labelled(family.repeat(20)).errors).toEqual([]);
    expect(labelled(family.repeat(21)).errors.map((e) => e.field)).toEqual(["areas.0.label"]);
  });

  it("warns (does not refuse) when no area reaches a person", () => {
    const v = validateMenu({ ...ok, areas: areas(6) });
    expect(v.ok).toBe(true);
    expect(v.warnings[0].message).toMatch(/reach a person/);
  });
});

describe("validateMenu: colours and emoji", () => {
  const base = {
    name: "Main",
    size: "compact" as const,
    chatBarText: "Menu",
    areas: [{ label: "Talk to us", bounds: { x: 0, y: 0, width: 2500, height: 843 }, action: { type: "handoff" as const } }],
  };

  it("refuses colour names the image cannot draw, instead of silently using green", () => {
    const v = validateMenu({ ...base, style: { background: "gold", foreground: "#fff", accent: "#FFD700" } });
    expect(v.ok).toBe(false);
    expect(v.errors).toEqual([
      {
        field: "style.background",
        code: "colourInvalid",
        params: { value: "gold" },
        message: "Use a hex colour such as #06c755 (names like “gold” are not supported)",
      },
    ]);
  });

  it("gives every issue a code the admin translates (never only English)", () => {
    const v = validateMenu({
      name: "",
      size: "large",
      chatBarText: "",
      areas: [{ label: "", bounds: { x: -1, y: 0, width: 10, height: 10 }, action: { type: "message", text: "" } }],
      style: { accent: "red" },
    });
    expect(v.errors.map((e) => e.code).sort()).toEqual([
      "boundsOutside",
      "chatBarLength",
      "colourInvalid",
      "labelRequired",
      "nameRequired",
      "textRequired",
    ]);
    expect(v.warnings.map((w) => w.code)).toEqual(["noHandoff"]);
  });

  it("warns that an emoji in a label would be drawn as an empty box", () => {
    const v = validateMenu({ ...base, areas: [{ ...base.areas[0], label: "Sale 🎉" }] });
    expect(v.ok).toBe(true);
    expect(v.warnings.map((w) => w.field)).toEqual(["areas.0.label"]);
    expect(validateMenu({ ...base, areas: [{ ...base.areas[0], label: "ショップ" }] }).warnings).toEqual([]);
  });
});
