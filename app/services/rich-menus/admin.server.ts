// What the admin screens load: the menu list with LINE's budget, a menu for the designer.
import { requireShop } from "~/db/shops.server";
import { listMenus, menuAreas, menuSize, menuStyle, requireMenu } from "~/db/rich-menus.server";
import { validateMenu } from "~/domain/rich-menus/validate-menu";
import { menuBudget } from "./budget.server";
import { menuApiFor } from "./channel.server";

export async function menusPage(domain: string) {
  const shop = await requireShop(domain);
  const api = menuApiFor(shop);
  const [menus, budget] = await Promise.all([listMenus(shop.id), menuBudget(shop, api).catch(() => null)]);
  return {
    connected: Boolean(api),
    budget,
    menus: menus.map((m) => ({
      id: m.id,
      name: m.name,
      size: m.size,
      status: m.status,
      isDefault: m.isDefault,
      editedSincePublish: m.editedSincePublish,
      publishedAt: m.publishedAt?.toISOString() ?? null,
      handoff: validateMenu({ name: m.name, size: menuSize(m), chatBarText: m.chatBarText, areas: menuAreas(m) }).warnings.every(
        (w) => w.field !== "areas",
      ),
    })),
  };
}

export async function designerPage(domain: string, menuId: number) {
  const shop = await requireShop(domain);
  const menu = await requireMenu(shop.id, menuId);
  const others = (await listMenus(shop.id))
    .filter((m) => m.id !== menu.id)
    .map((m) => ({ id: m.id, name: m.name, published: m.status === "published" }));
  return {
    shopId: shop.id,
    menu: {
      id: menu.id,
      name: menu.name,
      size: menuSize(menu),
      template: menu.template,
      chatBarText: menu.chatBarText,
      areas: menuAreas(menu),
      style: menuStyle(menu),
      status: menu.status,
      isDefault: menu.isDefault,
      lineRichMenuId: menu.lineRichMenuId,
      editedSincePublish: menu.editedSincePublish,
      imageKind: menu.imageKind,
      hasImage: Boolean(menu.image),
      version: menu.updatedAt.getTime(),
    },
    others,
  };
}
