// Our area actions → LINE action objects. A rich menu is shared by every friend linked to it and no
// LINE action carries the user id (line/line-bot-sdk-python#671), so links that depend on who taps
// (cart recovery, reorder, order status) are postbacks; the LINE-events handler replies with the
// friend's own URL. Labels go into the action's `label` (accessibility text on LINE, ≤20 characters
// as users see them); validateMenu refuses longer ones, and the cut here is only a safety net that
// never splits a character.
import { truncateFor } from "~/domain/line/text-limits";
import {
  HANDOFF_POSTBACK_DATA,
  PERSONAL_LINK_POSTBACK_PREFIX,
  type MenuAction,
  type MenuArea,
  type MenuDraft,
  MENU_DIMENSIONS,
} from "./types";

export interface LineAction {
  type: "uri" | "message" | "postback" | "richmenuswitch";
  label?: string;
  uri?: string;
  text?: string;
  data?: string;
  displayText?: string;
  richMenuAliasId?: string;
}

export interface CompileContext {
  shopDomain: string;
  /** Alias of one of our menus (published), for tabbed menus. */
  aliasOf(menuId: number): string | undefined;
}

export const menuAliasId = (shopId: number, menuId: number) => `s${shopId}-menu-${menuId}`;

export function compileAction(action: MenuAction, label: string, ctx: CompileContext): LineAction {
  const l = truncateFor("richMenuActionLabel", label);
  switch (action.type) {
    case "link": {
      const t = action.target;
      if (t.kind === "url") return { type: "uri", label: l, uri: t.url };
      if (t.kind === "product") return { type: "uri", label: l, uri: `https://${ctx.shopDomain}/products/${t.handle}` };
      if (t.kind === "collection") return { type: "uri", label: l, uri: `https://${ctx.shopDomain}/collections/${t.handle}` };
      return { type: "postback", label: l, data: `${PERSONAL_LINK_POSTBACK_PREFIX}${t.kind}`, displayText: label };
    }
    case "message":
      return { type: "message", label: l, text: action.text };
    case "postback":
      return { type: "postback", label: l, data: action.data, ...(action.displayText ? { displayText: action.displayText } : {}) };
    case "switch": {
      const alias = ctx.aliasOf(action.menuId);
      if (!alias) throw new Error(`Menu ${action.menuId} must be published before another menu can switch to it`);
      return { type: "richmenuswitch", label: l, richMenuAliasId: alias, data: `menu=switch&to=${action.menuId}` };
    }
    case "handoff":
      return { type: "postback", label: l, data: HANDOFF_POSTBACK_DATA, displayText: action.text || label };
  }
}

export interface LineRichMenuRequest {
  size: { width: number; height: number };
  selected: boolean;
  name: string;
  chatBarText: string;
  areas: Array<{ bounds: MenuArea["bounds"]; action: LineAction }>;
}

export function compileMenu(menu: MenuDraft, ctx: CompileContext): LineRichMenuRequest {
  return {
    size: MENU_DIMENSIONS[menu.size],
    selected: false,
    name: truncateFor("richMenuName", menu.name),
    chatBarText: menu.chatBarText,
    areas: menu.areas.map((a) => ({ bounds: a.bounds, action: compileAction(a.action, a.label, ctx) })),
  };
}
