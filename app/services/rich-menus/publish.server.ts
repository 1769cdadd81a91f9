// Publishing: create the menu on LINE → upload its image → point its alias → store. LINE images
// cannot be replaced (line/line-platform-feedback#57), so re-publishing an edited menu creates a
// new LINE menu, moves the menu's friends and alias (and the channel default) to it, then deletes
// the old one. Our RichMenu id never changes, so rules and Friend.richMenuId stay valid.
//
// Consistency when a step fails (each step is idempotent and the row records progress):
//   1. create + upload → row.pendingLineRichMenuId. If the upload fails the half-made LINE menu is
//      deleted; the old menu is untouched and still live.
//   2. move friends (bulk link, 500 per call), alias, default → all point at either the old or the
//      new LINE menu, both complete menus with the same content identity; a retry (publish again)
//      reuses pendingLineRichMenuId instead of creating another menu and repeats the moves.
//   3. swap: lineRichMenuId = new, retiredLineRichMenuId = old (one row update).
//   4. delete old on LINE; on failure retiredLineRichMenuId stays and the next publish retries it.
import type { RichMenu, Shop } from "@prisma/client";
import { db } from "~/db.server";
import { chunks, type LineRichMenuApi } from "~/adapters/line/rich-menus.server";
import { classifyLineError } from "~/adapters/line/client.server";
import { childLogger } from "~/adapters/logger.server";
import { compileMenu, menuAliasId } from "~/domain/rich-menus/compile-action";
import { validateMenu } from "~/domain/rich-menus/validate-menu";
import { checkMenuImage } from "~/adapters/images/menu-image.server";
import { menuAreas, menuSize, requireMenu } from "~/db/rich-menus.server";
import { assertBudget, menuBudget } from "./budget.server";
import { MenuError, requireMenuApi, shopById } from "./channel.server";

export interface PublishResult {
  menuId: number;
  lineRichMenuId: string;
  aliasId: string;
  replaced: string | null;
  movedFriends: number;
  warnings: string[];
}

async function aliasResolver(shopId: number) {
  const menus = await db().richMenu.findMany({ where: { shopId, status: "published" }, select: { id: true, aliasId: true } });
  const m = new Map(menus.map((x) => [x.id, x.aliasId ?? undefined]));
  return (id: number) => m.get(id);
}

export async function publishMenu(shopId: number, menuId: number, now = new Date()): Promise<PublishResult> {
  const shop = await shopById(shopId);
  const api = requireMenuApi(shop);
  const menu = await requireMenu(shopId, menuId);
  const log = childLogger({ shop: shop.domain, menuId });
  const draft = { name: menu.name, size: menuSize(menu), chatBarText: menu.chatBarText, areas: menuAreas(menu) };
  const v = validateMenu(draft);
  if (!v.ok) throw new MenuError(`The menu is not valid: ${v.errors.map((e) => `${e.field}: ${e.message}`).join("; ")}`, "invalid");
  if (!menu.image || !menu.imageContentType) throw new MenuError("Generate or upload an image before publishing", "no-image");
  const img = checkMenuImage(Buffer.from(menu.image), draft.size);
  if (!img.ok) throw new MenuError(`The image breaks LINE's rules: ${img.problems.map((p) => p.message).join("; ")}`, "image-invalid");

  const aliasOf = await aliasResolver(shopId);
  const body = compileMenu(draft, { shopDomain: shop.domain, aliasOf });
  const newId = menu.pendingLineRichMenuId ?? (await createWithImage(shop, api, menu, body, now));
  const aliasId = menu.aliasId ?? menuAliasId(shopId, menu.id);
  const old = menu.lineRichMenuId;
  let moved = 0;
  try {
    if (old && old !== newId) moved = await moveFriends(api, shopId, menu.id, newId);
    await api.setAlias(aliasId, newId);
    if (menu.isDefault) await api.setDefault(newId);
  } catch (err) {
    throw lineFailure(err, "moving friends to the new menu");
  }
  await db().richMenu.update({
    where: { id: menu.id },
    data: {
      lineRichMenuId: newId,
      pendingLineRichMenuId: null,
      retiredLineRichMenuId: old && old !== newId ? old : menu.retiredLineRichMenuId,
      aliasId,
      status: "published",
      publishedAt: now,
      editedSincePublish: false,
    },
  });
  const retired = old && old !== newId ? old : menu.retiredLineRichMenuId;
  if (retired) {
    try {
      await api.delete(retired);
      await db().richMenu.update({ where: { id: menu.id }, data: { retiredLineRichMenuId: null } });
    } catch (err) {
      log.warn({ error: classifyLineError(err).message }, "old LINE rich menu not deleted yet; retried on next publish");
    }
  }
  return {
    menuId: menu.id,
    lineRichMenuId: newId,
    aliasId,
    replaced: old && old !== newId ? old : null,
    movedFriends: moved,
    warnings: v.warnings.map((w) => w.message),
  };
}

async function createWithImage(
  shop: Shop,
  api: LineRichMenuApi,
  menu: RichMenu,
  body: ReturnType<typeof compileMenu>,
  now: Date,
): Promise<string> {
  assertBudget(await menuBudget(shop, api, now));
  let lineId: string;
  try {
    lineId = await api.create(body);
  } catch (err) {
    throw lineFailure(err, "creating the menu");
  }
  await db().menuCreationLog.create({ data: { shopId: shop.id, lineRichMenuId: lineId, createdAt: now } });
  try {
    await api.uploadImage(lineId, Buffer.from(menu.image!), menu.imageContentType!);
  } catch (err) {
    await api.delete(lineId).catch(() => undefined);
    throw lineFailure(err, "uploading the image");
  }
  await db().richMenu.update({ where: { id: menu.id }, data: { pendingLineRichMenuId: lineId } });
  return lineId;
}

/** Bulk-links every friend currently on this menu to its new LINE menu, 500 per call. */
async function moveFriends(api: LineRichMenuApi, shopId: number, menuId: number, lineRichMenuId: string): Promise<number> {
  let cursor = 0;
  let moved = 0;
  for (;;) {
    const page = await db().friend.findMany({
      where: { shopId, richMenuId: menuId, following: true, id: { gt: cursor } },
      select: { id: true, lineUserId: true },
      orderBy: { id: "asc" },
      take: 5000,
    });
    if (!page.length) return moved;
    for (const c of chunks(page.map((f) => f.lineUserId))) await api.linkMany(c, lineRichMenuId);
    moved += page.length;
    cursor = page[page.length - 1].id;
  }
}

function lineFailure(err: unknown, step: string): Error {
  if (err instanceof MenuError) return err;
  const c = classifyLineError(err);
  return new MenuError(`LINE refused ${step}: ${c.message}`, "line");
}

/** Makes a published menu the channel default (anyone no rule reaches, or reached while we are down). */
export async function setDefaultMenu(shopId: number, menuId: number): Promise<void> {
  const shop = await shopById(shopId);
  const menu = await requireMenu(shopId, menuId);
  if (menu.status !== "published" || !menu.lineRichMenuId)
    throw new MenuError("Publish the menu before making it the default", "not-published");
  await requireMenuApi(shop).setDefault(menu.lineRichMenuId);
  await db().$transaction([
    db().richMenu.updateMany({ where: { shopId, isDefault: true, id: { not: menuId } }, data: { isDefault: false } }),
    db().richMenu.update({ where: { id: menuId }, data: { isDefault: true } }),
  ]);
}
