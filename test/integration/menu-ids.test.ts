// Ids a menu form names must belong to the shop (issue 13): a menu rule's segment and menu, a tap
// area's "switch to" menu. The page only offers the shop's own; a crafted request is refused.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { createMenuFromTemplate, updateMenu } from "~/services/rich-menus/menus.server";
import { saveRules } from "~/services/rich-menus/rules.server";
import { createSegment } from "~/services/segments/segments.server";
import { menuAreas } from "~/db/rich-menus.server";
import { uniqueShop } from "../support/shopify";

async function shop() {
  const domain = uniqueShop();
  await installDevShop({ domain });
  const s = await db().shop.findUniqueOrThrow({ where: { domain } });
  const menu = await createMenuFromTemplate({ shopId: s.id, name: "Main", template: "large-6" });
  const segment = await createSegment(
    s.id,
    { name: "Buyers", definition: { groups: [{ conditions: [{ field: "purchaseCount", op: "gte", value: 1 }] }] } },
    new Date(),
    { refresh: "inline" },
  );
  return { shop: s, menu, segment };
}

describe("menu forms name only the shop's own rows", () => {
  it("a rule on another shop's segment or menu is refused and nothing is stored", async () => {
    const a = await shop();
    const b = await shop();
    await expect(saveRules(a.shop.id, [{ kind: "segment", segmentId: b.segment.id, richMenuId: a.menu.id }])).rejects.toMatchObject({
      code: "unknown-segment",
      params: { rule: 1 },
    });
    await expect(saveRules(a.shop.id, [{ kind: "everyone", richMenuId: b.menu.id }])).rejects.toMatchObject({ code: "unknown-menu" });
    expect(await db().menuRule.count({ where: { shopId: a.shop.id } })).toBe(0);
    expect(await saveRules(a.shop.id, [{ kind: "segment", segmentId: a.segment.id, richMenuId: a.menu.id }])).toHaveLength(1);
  });

  it("a tap area switching to another shop's menu is refused at that area", async () => {
    const a = await shop();
    const b = await shop();
    const areas = menuAreas(a.menu);
    const foreign = areas.map((x, i) => (i === 0 ? { ...x, action: { type: "switch" as const, menuId: b.menu.id } } : x));
    const v = await updateMenu(a.shop.id, a.menu.id, { areas: foreign });
    expect(v.ok).toBe(false);
    expect(v.errors).toEqual([expect.objectContaining({ field: "areas.0.action.menuId", code: "menuGone" })]);
    const own = areas.map((x, i) => (i === 0 ? { ...x, action: { type: "switch" as const, menuId: a.menu.id } } : x));
    expect((await updateMenu(a.shop.id, a.menu.id, { areas: own })).ok).toBe(true);
  });
});
