// LINE's rich-menu object rules (Messaging API reference, "Rich menu object"; shared/reference/
// line-platform-facts.md §5): size 2500×1686 or 2500×843, 1–20 areas with bounds inside the image,
// chatBarText ≤14 characters, name ≤300, action field limits — every text length in LINE's own unit
// (chatBarText, name, labels and action texts in characters as users see them, grapheme clusters):
// app/domain/line/text-limits.ts. Plus our own rule: every menu should offer a way to reach a
// person — a warning, not an error.
import { checkText, LINE_TEXT_LIMITS, type LineTextField } from "~/domain/line/text-limits";
import { MENU_DIMENSIONS, type MenuAction, type MenuDraft } from "./types";

export interface MenuIssue {
  field: string;
  /** What is wrong, for the admin to say in the merchant's language (`richMenus.issues.<code>` with `params`). */
  code: MenuIssueCode;
  params?: Record<string, string | number>;
  /** English, for logs and the API. */
  message: string;
}

export type MenuIssueCode =
  | "urlInvalid"
  | "urlTooLong"
  | "productRequired"
  | "collectionRequired"
  | "textRequired"
  | "textTooLong"
  | "dataRequired"
  | "dataTooLong"
  | "displayTextTooLong"
  | "menuRequired"
  | "menuGone"
  | "sizeInvalid"
  | "nameRequired"
  | "nameTooLong"
  | "chatBarLength"
  | "areasMin"
  | "areasMax"
  | "labelRequired"
  | "labelTooLong"
  | "boundsOutside"
  | "colourInvalid"
  | "emojiLabel"
  | "noHandoff";

export interface MenuValidation {
  ok: boolean;
  errors: MenuIssue[];
  warnings: MenuIssue[];
}

const URL_RE = /^(https?:\/\/|line:\/\/|tel:)/i;
const HANDLE_RE = /^[a-z0-9][a-z0-9-]*$/i;

/** True when `value` is longer than LINE allows for `field` (in LINE's unit for that field). */
const tooLong = (field: LineTextField, value: string) => checkText(field, value)?.code === "too_long";
const max = (field: LineTextField) => LINE_TEXT_LIMITS[field].max.toLocaleString("en-US");

/** The issue for a value longer than LINE allows, with the limit in its params and message. */
const tooLongIssue = (field: string, code: MenuIssue["code"], limit: LineTextField, what: string): MenuIssue => ({
  field,
  code,
  params: { max: max(limit) },
  message: `${what} is longer than ${max(limit)} characters`,
});

function hasHumanHandoff(areas: Array<{ action: MenuAction }>): boolean {
  return areas.some((a) => a.action.type === "handoff");
}

function validateAction(a: MenuAction, f: string, errors: MenuIssue[], knownMenuIds?: Set<number>) {
  switch (a.type) {
    case "link": {
      const t = a.target;
      if (t.kind === "url") {
        if (!URL_RE.test(t.url))
          errors.push({ field: `${f}.url`, code: "urlInvalid", message: "Enter a URL starting with https://, http://, line:// or tel:" });
        else if (tooLong("actionUri", t.url)) errors.push(tooLongIssue(`${f}.url`, "urlTooLong", "actionUri", "URL"));
      } else if ((t.kind === "product" || t.kind === "collection") && !HANDLE_RE.test(t.handle)) {
        errors.push({
          field: `${f}.handle`,
          code: t.kind === "product" ? "productRequired" : "collectionRequired",
          message: `Pick a ${t.kind}`,
        });
      }
      return;
    }
    case "message":
      if (!a.text.trim()) errors.push({ field: `${f}.text`, code: "textRequired", message: "Message text is required" });
      else if (tooLong("messageActionText", a.text))
        errors.push(tooLongIssue(`${f}.text`, "textTooLong", "messageActionText", "Message text"));
      return;
    case "postback":
      if (!a.data) errors.push({ field: `${f}.data`, code: "dataRequired", message: "Postback data is required" });
      else if (tooLong("postbackData", a.data)) errors.push(tooLongIssue(`${f}.data`, "dataTooLong", "postbackData", "Postback data"));
      if (a.displayText && tooLong("postbackDisplayText", a.displayText))
        errors.push(tooLongIssue(`${f}.displayText`, "displayTextTooLong", "postbackDisplayText", "Display text"));
      return;
    case "switch":
      if (!Number.isInteger(a.menuId) || a.menuId <= 0)
        errors.push({ field: `${f}.menuId`, code: "menuRequired", message: "Pick the menu to switch to" });
      else if (knownMenuIds && !knownMenuIds.has(a.menuId))
        errors.push({ field: `${f}.menuId`, code: "menuGone", message: "The menu to switch to no longer exists" });
      return;
    case "handoff":
      // Sent as the postback's displayText (compile-action.ts).
      if (a.text && tooLong("postbackDisplayText", a.text))
        errors.push(tooLongIssue(`${f}.text`, "textTooLong", "postbackDisplayText", "Text"));
      return;
  }
}

/** #rgb or #rrggbb: what the image renderer (app/adapters/images/menu-image.server.ts) draws. */
export const HEX_COLOUR = /^#[0-9a-f]{3}([0-9a-f]{3})?$/i;
const EMOJI = /\p{Extended_Pictographic}/u;

export function validateMenu(menu: MenuDraft, opts: { knownMenuIds?: Set<number> } = {}): MenuValidation {
  const errors: MenuIssue[] = [];
  const warnings: MenuIssue[] = [];
  const dim = MENU_DIMENSIONS[menu.size];
  if (!dim) errors.push({ field: "size", code: "sizeInvalid", message: "Size must be large (2500×1686) or compact (2500×843)" });
  if (!menu.name.trim()) errors.push({ field: "name", code: "nameRequired", message: "Name is required" });
  else if (tooLong("richMenuName", menu.name)) errors.push(tooLongIssue("name", "nameTooLong", "richMenuName", "Name"));
  if (checkText("chatBarText", menu.chatBarText))
    errors.push({
      field: "chatBarText",
      code: "chatBarLength",
      params: { max: max("chatBarText") },
      message: `Chat bar text must be 1–${max("chatBarText")} characters`,
    });
  if (menu.areas.length < 1) errors.push({ field: "areas", code: "areasMin", message: "Add at least one tap area" });
  if (menu.areas.length > 20)
    errors.push({ field: "areas", code: "areasMax", params: { max: 20 }, message: "LINE allows at most 20 tap areas" });
  menu.areas.forEach((area, i) => {
    const f = `areas.${i}`;
    const b = area.bounds;
    if (!area.label.trim()) errors.push({ field: `${f}.label`, code: "labelRequired", message: "Label is required" });
    else if (tooLong("richMenuActionLabel", area.label))
      errors.push(tooLongIssue(`${f}.label`, "labelTooLong", "richMenuActionLabel", "Label"));
    const ints = [b.x, b.y, b.width, b.height].every((n) => Number.isInteger(n));
    if (!ints || b.x < 0 || b.y < 0 || b.width < 1 || b.height < 1 || (dim && (b.x + b.width > dim.width || b.y + b.height > dim.height)))
      errors.push({
        field: `${f}.bounds`,
        code: "boundsOutside",
        params: { width: dim?.width ?? "?", height: dim?.height ?? "?" },
        message: `Tap area must lie inside the ${dim?.width ?? "?"}×${dim?.height ?? "?"} image`,
      });
    validateAction(area.action, `${f}.action`, errors, opts.knownMenuIds);
  });
  for (const k of ["background", "foreground", "accent"] as const) {
    const c = menu.style?.[k]?.trim();
    // The image renderer only understands hex colours; anything else was silently replaced.
    if (c && !HEX_COLOUR.test(c))
      errors.push({
        field: `style.${k}`,
        code: "colourInvalid",
        params: { value: c },
        message: `Use a hex colour such as #06c755 (names like “${c}” are not supported)`,
      });
  }
  menu.areas.forEach((area, i) => {
    // The generated image's fonts (Noto CJK/Thai) have no emoji glyphs: they would be drawn as empty boxes.
    if (EMOJI.test(area.label))
      warnings.push({
        field: `areas.${i}.label`,
        code: "emojiLabel",
        params: { label: area.label },
        message: `“${area.label}” contains an emoji, which the generated image cannot draw (it shows as an empty box). Remove it, or upload your own image.`,
      });
  });
  if (!hasHumanHandoff(menu.areas))
    warnings.push({
      field: "areas",
      code: "noHandoff",
      message: "No area lets the friend reach a person. Add a “Talk to us” area so shoppers can always get help.",
    });
  return { ok: errors.length === 0, errors, warnings };
}
