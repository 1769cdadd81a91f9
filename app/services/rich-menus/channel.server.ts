import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { lineSecrets } from "~/db/shops.server";
import { LineRichMenuApi } from "~/adapters/line/rich-menus.server";

/**
 * Why a menu action was refused. The admin says it in the merchant's language
 * (`richMenus.errors.<code>` with `params`); the English message is for logs.
 */
export type MenuErrorCode =
  | "no-channel"
  | "budget-menus"
  | "budget-hour"
  | "invalid"
  | "no-image"
  | "image-invalid"
  | "not-published"
  | "unknown-menu"
  | "unknown-segment"
  | "not-found"
  | "line";

export class MenuError extends Error {
  constructor(
    message: string,
    readonly code: MenuErrorCode = "invalid",
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

export async function shopById(shopId: number): Promise<Shop> {
  const shop = await db().shop.findUnique({ where: { id: shopId } });
  if (!shop) throw new MenuError(`Shop ${shopId} not found`, "not-found");
  return shop;
}

/** LINE rich-menu API for the shop's channel, or undefined when no channel is connected / uninstalled. */
export function menuApiFor(shop: Shop): LineRichMenuApi | undefined {
  if (shop.uninstalledAt) return undefined;
  const s = lineSecrets(shop);
  return s ? new LineRichMenuApi(s.channelId, s.channelAccessToken) : undefined;
}

export function requireMenuApi(shop: Shop): LineRichMenuApi {
  const api = menuApiFor(shop);
  if (!api) throw new MenuError("Connect a LINE channel in Settings before publishing menus", "no-channel");
  return api;
}
