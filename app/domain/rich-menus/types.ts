// Shapes shared by the designer, the publisher and the chooser. Pure data: the admin UI imports it.

export type MenuSize = "large" | "compact";

export const MENU_DIMENSIONS: Record<MenuSize, { width: number; height: number }> = {
  large: { width: 2500, height: 1686 },
  compact: { width: 2500, height: 843 },
};

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a "shop link" goes. Personal targets need to know who tapped, so they are postbacks (see compileAction). */
export type ShopTarget =
  | { kind: "url"; url: string }
  | { kind: "product"; handle: string }
  | { kind: "collection"; handle: string }
  | { kind: "cart" }
  | { kind: "reorder" }
  | { kind: "orderStatus" };

export type MenuAction =
  | { type: "link"; target: ShopTarget }
  | { type: "message"; text: string }
  | { type: "postback"; data: string; displayText?: string }
  /** Tabbed menus: switch to another of our menus (by its alias). */
  | { type: "switch"; menuId: number }
  /** "Talk to us": hands the chat to a person (the LINE-events handler reacts to HANDOFF_POSTBACK_DATA). */
  | { type: "handoff"; text?: string };

export type MenuActionType = MenuAction["type"];

export type IconName = "cart" | "bag" | "star" | "chat" | "truck" | "gift" | "home" | "user" | "repeat" | "tag" | "none";

export interface MenuArea {
  label: string;
  bounds: Bounds;
  action: MenuAction;
  icon?: IconName;
}

export interface MenuStyle {
  background?: string;
  foreground?: string;
  accent?: string;
  /** Per-area background colours, cycled. */
  palette?: string[];
}

export interface MenuDraft {
  name: string;
  size: MenuSize;
  chatBarText: string;
  areas: MenuArea[];
  /** Colours of the generated image; checked when given. */
  style?: MenuStyle;
}

/** Postback data the LINE-events handler must treat as "hand this chat to a person". */
export const HANDOFF_POSTBACK_DATA = "menu=handoff";
/** Postback data for personal links; the LINE-events handler replies with the friend's own URL. */
export const PERSONAL_LINK_POSTBACK_PREFIX = "menu=go&to=";

/** The kinds of tap action, in the order the designer offers them (labels: `richMenus.action.<type>`). */
export const ACTION_TYPES: readonly MenuActionType[] = ["link", "message", "postback", "switch", "handoff"];

/** Where a link action can go (labels: `richMenus.target.<kind>`). */
export const TARGET_KINDS: ReadonlyArray<ShopTarget["kind"]> = ["url", "product", "collection", "cart", "reorder", "orderStatus"];
