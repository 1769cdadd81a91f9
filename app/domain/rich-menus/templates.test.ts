import { describe, expect, it } from "vitest";
import { MENU_TEMPLATES, requireTemplate, tilesExactly } from "./templates";

describe("menu templates", () => {
  it.each(MENU_TEMPLATES.map((t) => [t.id, t] as const))("%s tiles its image exactly", (_id, t) => {
    expect(tilesExactly(t.size, t.bounds)).toBe(true);
  });

  it.each([
    ["large-6", 6],
    ["large-4", 4],
    ["large-3", 3],
    ["large-2", 2],
    ["large-1", 1],
    ["compact-3", 3],
    ["compact-2", 2],
    ["compact-1", 1],
  ] as const)("%s has %i areas", (id, n) => {
    expect(requireTemplate(id).bounds).toHaveLength(n);
  });

  it("offers only LINE's two sizes", () => {
    expect(new Set(MENU_TEMPLATES.map((t) => t.size))).toEqual(new Set(["large", "compact"]));
    expect(() => requireTemplate("large-7")).toThrow(/Unknown menu template/);
  });

  it("detects gaps and overlaps", () => {
    expect(tilesExactly("compact", [{ x: 0, y: 0, width: 2500, height: 800 }])).toBe(false);
    expect(
      tilesExactly("compact", [
        { x: 0, y: 0, width: 1500, height: 843 },
        { x: 1000, y: 0, width: 1000, height: 843 },
      ]),
    ).toBe(false);
  });
});
