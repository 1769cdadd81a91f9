// Menu drafts: create from a LINE template, edit areas/style, generate or upload the image.
import { db } from "~/db.server";
import { requireTemplate } from "~/domain/rich-menus/templates";
import type { MenuAction, MenuArea, MenuStyle } from "~/domain/rich-menus/types";
import { validateMenu, type MenuValidation } from "~/domain/rich-menus/validate-menu";
import { checkMenuImage, fixMenuImage, generateMenuImage, type ImageCheck } from "~/adapters/images/menu-image.server";
import { menuAreas, menuSize, menuStyle, requireMenu } from "~/db/rich-menus.server";
import { MenuError, shopById } from "./channel.server";
import { customerT } from "~/i18n/i18n.server";

export interface CreateMenuInput {
  shopId: number;
  name: string;
  template: string;
  labels?: string[];
  actions?: MenuAction[];
  chatBarText?: string;
  style?: MenuStyle;
}

const DEFAULT_STYLE: MenuStyle = { background: "#06c755", foreground: "#ffffff", accent: "#ffffff", palette: ["#06c755", "#05a847"] };

/** A draft menu from a template; default labels and chat bar text in the shop's language (customer texts). */
export async function createMenuFromTemplate(input: CreateMenuInput) {
  const t = requireTemplate(input.template);
  const text = customerT(await shopById(input.shopId));
  const areas: MenuArea[] = t.bounds.map((bounds, i) => {
    const last = i === t.bounds.length - 1;
    const label = input.labels?.[i]?.trim() || (last ? text("menu.talkToUs") : text("menu.area", { n: i + 1 }));
    return {
      bounds,
      label,
      action: input.actions?.[i] ?? (last ? { type: "handoff" } : { type: "message", text: label }),
      icon: last && !input.actions?.[i] ? "chat" : undefined,
    };
  });
  return db().richMenu.create({
    data: {
      shopId: input.shopId,
      name: input.name,
      size: t.size,
      template: t.id,
      chatBarText: input.chatBarText ?? text("menu.chatBarText"),
      areas: areas as object[],
      style: (input.style ?? DEFAULT_STYLE) as object,
    },
    omit: { image: true },
  });
}

export interface MenuUpdate {
  name?: string;
  chatBarText?: string;
  areas?: MenuArea[];
  style?: MenuStyle;
  template?: string | null;
}

/** Saves draft fields. A published menu keeps serving its published version until re-published. */
export async function updateMenu(shopId: number, menuId: number, patch: MenuUpdate): Promise<MenuValidation> {
  const menu = await requireMenu(shopId, menuId);
  const next = {
    name: patch.name ?? menu.name,
    size: patch.template ? requireTemplate(patch.template).size : menuSize(menu),
    chatBarText: patch.chatBarText ?? menu.chatBarText,
    areas: patch.areas ?? menuAreas(menu),
    style: patch.style,
  };
  // A "switch" area names one of this shop's menus.
  const knownMenuIds = new Set((await db().richMenu.findMany({ where: { shopId }, select: { id: true } })).map((m) => m.id));
  const v = validateMenu(next, { knownMenuIds });
  if (!v.ok) return v;
  await db().richMenu.update({
    where: { id: menu.id },
    data: {
      name: next.name,
      size: next.size,
      chatBarText: next.chatBarText,
      areas: next.areas as object[],
      ...(patch.template !== undefined ? { template: patch.template } : {}),
      ...(patch.style ? { style: patch.style as object } : {}),
      editedSincePublish: menu.status === "published",
    },
  });
  return v;
}

export async function generateImageFor(shopId: number, menuId: number) {
  const menu = await requireMenu(shopId, menuId);
  const { image, contentType } = await generateMenuImage(menuSize(menu), menuAreas(menu), menuStyle(menu));
  await db().richMenu.update({
    where: { id: menu.id },
    data: {
      image: new Uint8Array(image),
      imageContentType: contentType,
      imageKind: "generated",
      editedSincePublish: menu.status === "published",
    },
  });
  return { bytes: image.length, contentType };
}

/** Stores an uploaded image after checking it against LINE's rules; with `fix`, resizes/compresses it first. */
export async function uploadImageFor(shopId: number, menuId: number, file: Buffer, opts: { fix?: boolean } = {}): Promise<ImageCheck> {
  const menu = await requireMenu(shopId, menuId);
  let buf = file;
  if (opts.fix) buf = (await fixMenuImage(file, menuSize(menu))).image;
  const check = checkMenuImage(buf, menuSize(menu));
  if (!check.ok) return check;
  await db().richMenu.update({
    where: { id: menu.id },
    data: {
      image: new Uint8Array(buf),
      imageContentType: check.contentType,
      imageKind: "uploaded",
      editedSincePublish: menu.status === "published",
    },
  });
  return check;
}

export async function menuImage(shopId: number, menuId: number) {
  const m = await db().richMenu.findFirst({ where: { shopId, id: menuId }, select: { image: true, imageContentType: true } });
  if (!m?.image) throw new MenuError("No image yet", "not-found");
  return { image: Buffer.from(m.image), contentType: m.imageContentType ?? "image/png" };
}
