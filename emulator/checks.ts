/**
 * Hand-written checks for rules that live in LINE's docs but not in the OpenAPI schema
 * (see /work/shared/reference/line-platform-facts.md §1, §2, §5).
 */
import { imageSize } from "image-size";
import type { ErrorDetail } from "./spec-validator.js";
import { lineLength } from "./text-count.js";

type AnyObj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const MAX_RICH_MENUS = 1000;
export const MAX_IMAGE_BYTES = 1024 * 1024;

const RICH_MENU_SIZES: Array<[number, number]> = [
  [2500, 1686],
  [2500, 843],
  [1200, 810],
  [1200, 405],
  [800, 540],
  [800, 270],
];

function isHttpsUrl(v: unknown, max = 2000): boolean {
  if (typeof v !== "string" || v.length > max) return false;
  try {
    return new URL(v).protocol === "https:";
  } catch {
    return false;
  }
}

function isUri(v: unknown): boolean {
  if (typeof v !== "string") return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

const isObj = (v: unknown): v is AnyObj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Where an action sits: LINE's limit on its `label` depends on it (Messaging API reference, "Action
 * objects", "Specifications of the label"): template 20 (image carousel 12), rich menu 20, quick reply
 * 20, Flex Message 40 — all in grapheme clusters.
 */
export type ActionPlace = "richmenu" | "template" | "imageCarousel" | "quickReply" | "flex";
const LABEL_MAX: Record<ActionPlace, number> = { richmenu: 20, template: 20, imageCarousel: 12, quickReply: 20, flex: 40 };

/** A grapheme-counted text (labels, action texts, template texts) longer than `max`. */
function tooManyCharacters(v: unknown, max: number): boolean {
  return typeof v === "string" && lineLength(v, "grapheme") > max;
}

/** Action object checks (rich menu areas, template/flex/quick reply actions). */
export function checkAction(a: unknown, prop: string, out: ErrorDetail[], place: ActionPlace): void {
  if (!isObj(a)) {
    out.push({ message: "must be an object", property: prop });
    return;
  }
  const p = (k: string) => `${prop}.${k}`;
  const label = a.label;
  if (label !== undefined && (typeof label !== "string" || tooManyCharacters(label, LABEL_MAX[place])))
    out.push({ message: `must be a string of at most ${LABEL_MAX[place]} characters`, property: p("label") });
  switch (a.type) {
    case "uri":
      if (typeof a.uri !== "string" || !a.uri) out.push({ message: "must be specified", property: p("uri") });
      else if (a.uri.length > 1000)
        out.push({
          message: "must be at most 1000 characters",
          property: p("uri"),
        });
      else if (!isUri(a.uri) || !/^(https?|line|tel):/i.test(a.uri))
        out.push({
          message: "invalid uri scheme (http, https, line, tel)",
          property: p("uri"),
        });
      break;
    case "message":
      if (typeof a.text !== "string" || a.text.length === 0) out.push({ message: "must be specified", property: p("text") });
      else if (tooManyCharacters(a.text, 300))
        out.push({
          message: "must be at most 300 characters",
          property: p("text"),
        });
      break;
    case "postback":
      if (typeof a.data !== "string" || a.data.length === 0) out.push({ message: "must be specified", property: p("data") });
      else if (a.data.length > 300)
        out.push({
          message: "must be at most 300 characters",
          property: p("data"),
        });
      if (a.displayText !== undefined && a.text !== undefined)
        out.push({
          message: "displayText and text cannot both be set",
          property: p("displayText"),
        });
      if (tooManyCharacters(a.displayText, 300))
        out.push({
          message: "must be at most 300 characters",
          property: p("displayText"),
        });
      break;
    case "datetimepicker":
      if (typeof a.data !== "string" || !a.data) out.push({ message: "must be specified", property: p("data") });
      if (!["date", "time", "datetime"].includes(a.mode))
        out.push({
          message: "must be one of date, time, datetime",
          property: p("mode"),
        });
      break;
    case "richmenuswitch":
      if (place !== "richmenu")
        out.push({
          message: "richmenuswitch action can only be used in rich menus",
          property: p("type"),
        });
      if (typeof a.richMenuAliasId !== "string" || !a.richMenuAliasId)
        out.push({
          message: "must be specified",
          property: p("richMenuAliasId"),
        });
      if (typeof a.data !== "string" || !a.data) out.push({ message: "must be specified", property: p("data") });
      else if (a.data.length > 300)
        out.push({
          message: "must be at most 300 characters",
          property: p("data"),
        });
      break;
    case "clipboard":
      if (typeof a.clipboardText !== "string" || !a.clipboardText)
        out.push({
          message: "must be specified",
          property: p("clipboardText"),
        });
      break;
    case "camera":
    case "cameraRoll":
    case "location":
      break;
    default:
      out.push({
        message: `invalid action type: ${JSON.stringify(a.type)}`,
        property: p("type"),
      });
  }
}

/** Checks for a rich menu object (create / validate). `richMenuCount` is the number of menus already present. */
export function checkRichMenu(body: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (!isObj(body)) return [{ message: "must be an object", property: "" }];
  for (const k of ["size", "selected", "name", "chatBarText", "areas"]) {
    if (body[k] === undefined) out.push({ message: "must be specified", property: k });
  }
  const size = body.size;
  let w = 0;
  let h = 0;
  if (isObj(size)) {
    w = Number(size.width);
    h = Number(size.height);
    if (!RICH_MENU_SIZES.some(([sw, sh]) => sw === w && sh === h))
      out.push({
        message: "size must be 2500x1686 or 2500x843 (legacy: 1200x810, 1200x405, 800x540, 800x270)",
        property: "size",
      });
  }
  if (typeof body.name === "string" && body.name.length === 0) out.push({ message: "must not be empty", property: "name" });
  if (typeof body.chatBarText === "string" && body.chatBarText.length === 0)
    out.push({ message: "must not be empty", property: "chatBarText" });
  if (body.areas !== undefined) {
    if (!Array.isArray(body.areas)) out.push({ message: "must be an array", property: "areas" });
    else {
      if (body.areas.length > 20)
        out.push({
          message: "size must be between 0 and 20",
          property: "areas",
        });
      body.areas.forEach((area: unknown, i: number) => {
        const ap = `areas[${i}]`;
        if (!isObj(area)) {
          out.push({ message: "must be an object", property: ap });
          return;
        }
        const b = area.bounds;
        if (!isObj(b)) out.push({ message: "must be specified", property: `${ap}.bounds` });
        else {
          for (const k of ["x", "y", "width", "height"]) {
            if (typeof b[k] !== "number" || !Number.isInteger(b[k]))
              out.push({
                message: "must be specified",
                property: `${ap}.bounds.${k}`,
              });
          }
          if (w && h && [b.x, b.y, b.width, b.height].every((n) => typeof n === "number")) {
            if (b.x < 0 || b.y < 0 || b.width <= 0 || b.height <= 0 || b.x + b.width > w || b.y + b.height > h)
              out.push({
                message: `bounds must be inside the rich menu size ${w}x${h}`,
                property: `${ap}.bounds`,
              });
          }
        }
        if (area.action === undefined) out.push({ message: "must be specified", property: `${ap}.action` });
        else checkAction(area.action, `${ap}.action`, out, "richmenu");
      });
    }
  }
  return out;
}

function checkFlexComponent(c: unknown, prop: string, out: ErrorDetail[], depth = 0): void {
  if (!isObj(c) || depth > 30) return;
  if (c.action !== undefined) checkAction(c.action, `${prop}.action`, out, "flex");
  if (c.type === "text" && c.text === undefined && !Array.isArray(c.contents))
    out.push({ message: "must be specified", property: `${prop}.text` });
  if (c.type === "image" && !isHttpsUrl(c.url)) out.push({ message: "must be an https URL", property: `${prop}.url` });
  if (c.type === "button" && c.action === undefined) out.push({ message: "must be specified", property: `${prop}.action` });
  if (c.type === "box" && !Array.isArray(c.contents)) out.push({ message: "must be specified", property: `${prop}.contents` });
  if (Array.isArray(c.contents))
    c.contents.forEach((x: unknown, i: number) => checkFlexComponent(x, `${prop}.contents[${i}]`, out, depth + 1));
}

function checkBubble(b: AnyObj, prop: string, out: ErrorDetail[]): void {
  for (const k of ["header", "hero", "body", "footer"]) if (b[k] !== undefined) checkFlexComponent(b[k], `${prop}.${k}`, out);
  if (b.action !== undefined) checkAction(b.action, `${prop}.action`, out, "flex");
}

/** Checks for message objects (reply/push/multicast/narrowcast/broadcast). */
export function checkMessages(messages: unknown, out: ErrorDetail[] = []): ErrorDetail[] {
  if (!Array.isArray(messages)) return out;
  if (messages.length > 5) out.push({ message: "size must be between 1 and 5", property: "messages" });
  messages.forEach((m: unknown, i: number) => {
    const p = `messages[${i}]`;
    if (!isObj(m)) return;
    switch (m.type) {
      case "text":
        if (typeof m.text !== "string" || m.text.length === 0) out.push({ message: "must be specified", property: `${p}.text` });
        else if (m.text.length > 5000)
          out.push({
            message: "length must be between 0 and 5000",
            property: `${p}.text`,
          });
        break;
      case "textV2":
        if (typeof m.text !== "string" || m.text.length === 0) out.push({ message: "must be specified", property: `${p}.text` });
        break;
      case "image":
      case "video":
        if (!isHttpsUrl(m.originalContentUrl))
          out.push({
            message: "must be an https URL (max 2000 characters)",
            property: `${p}.originalContentUrl`,
          });
        if (!isHttpsUrl(m.previewImageUrl))
          out.push({
            message: "must be an https URL (max 2000 characters)",
            property: `${p}.previewImageUrl`,
          });
        break;
      case "audio":
        if (!isHttpsUrl(m.originalContentUrl))
          out.push({
            message: "must be an https URL",
            property: `${p}.originalContentUrl`,
          });
        if (typeof m.duration !== "number") out.push({ message: "must be specified", property: `${p}.duration` });
        break;
      case "sticker":
        if (typeof m.packageId !== "string" || !m.packageId)
          out.push({
            message: "must be specified",
            property: `${p}.packageId`,
          });
        if (typeof m.stickerId !== "string" || !m.stickerId)
          out.push({
            message: "must be specified",
            property: `${p}.stickerId`,
          });
        break;
      case "flex":
        if (typeof m.altText !== "string" || m.altText.length === 0) out.push({ message: "must be specified", property: `${p}.altText` });
        else if (m.altText.length > 1500)
          out.push({
            message: "length must be between 0 and 1500",
            property: `${p}.altText`,
          });
        if (!isObj(m.contents) || !["bubble", "carousel"].includes(m.contents.type))
          out.push({
            message: "must be a bubble or carousel container",
            property: `${p}.contents`,
          });
        else if (m.contents.type === "bubble") checkBubble(m.contents, `${p}.contents`, out);
        else if (Array.isArray(m.contents.contents)) {
          if (m.contents.contents.length === 0 || m.contents.contents.length > 12)
            out.push({
              message: "size must be between 1 and 12",
              property: `${p}.contents.contents`,
            });
          m.contents.contents.forEach((b: unknown, j: number) => isObj(b) && checkBubble(b, `${p}.contents.contents[${j}]`, out));
        } else
          out.push({
            message: "must be specified",
            property: `${p}.contents.contents`,
          });
        break;
      case "template": {
        if (typeof m.altText !== "string" || m.altText.length === 0) out.push({ message: "must be specified", property: `${p}.altText` });
        else if (m.altText.length > 400)
          out.push({
            message: "length must be between 0 and 400",
            property: `${p}.altText`,
          });
        const t = m.template;
        if (!isObj(t)) {
          out.push({ message: "must be specified", property: `${p}.template` });
          break;
        }
        if (t.type === "buttons" || t.type === "confirm") {
          // Buttons: text 160, or 60 with a title or image; title 40. Confirm: text 240 (grapheme clusters).
          const textMax = t.type === "confirm" ? 240 : t.title || t.thumbnailImageUrl ? 60 : 160;
          if (typeof t.text !== "string" || !t.text)
            out.push({
              message: "must be specified",
              property: `${p}.template.text`,
            });
          else if (tooManyCharacters(t.text, textMax))
            out.push({ message: `must be at most ${textMax} characters`, property: `${p}.template.text` });
          if (t.type === "buttons" && tooManyCharacters(t.title, 40))
            out.push({ message: "must be at most 40 characters", property: `${p}.template.title` });
          if (!Array.isArray(t.actions))
            out.push({
              message: "must be specified",
              property: `${p}.template.actions`,
            });
          else {
            const max = t.type === "confirm" ? 2 : 4;
            if (t.actions.length === 0 || t.actions.length > max)
              out.push({
                message: `size must be between 1 and ${max}`,
                property: `${p}.template.actions`,
              });
            t.actions.forEach((a: unknown, j: number) => checkAction(a, `${p}.template.actions[${j}]`, out, "template"));
          }
          if (t.thumbnailImageUrl !== undefined && !isHttpsUrl(t.thumbnailImageUrl))
            out.push({
              message: "must be an https URL",
              property: `${p}.template.thumbnailImageUrl`,
            });
        } else if (t.type === "carousel" || t.type === "image_carousel") {
          if (!Array.isArray(t.columns) || t.columns.length === 0 || t.columns.length > 10)
            out.push({
              message: "size must be between 1 and 10",
              property: `${p}.template.columns`,
            });
          else
            t.columns.forEach((c: unknown, j: number) => {
              if (!isObj(c)) return;
              const cp = `${p}.template.columns[${j}]`;
              if (t.type === "image_carousel") checkAction(c.action, `${cp}.action`, out, "imageCarousel");
              else if (Array.isArray(c.actions))
                c.actions.forEach((a: unknown, k: number) => checkAction(a, `${cp}.actions[${k}]`, out, "template"));
            });
        }
        break;
      }
      default:
        break; // unknown types are reported by the spec discriminator walk
    }
    if (isObj(m.quickReply) && Array.isArray(m.quickReply.items)) {
      if (m.quickReply.items.length > 13)
        out.push({
          message: "size must be between 0 and 13",
          property: `${p}.quickReply.items`,
        });
      m.quickReply.items.forEach(
        (it: unknown, j: number) => isObj(it) && checkAction(it.action, `${p}.quickReply.items[${j}].action`, out, "quickReply"),
      );
    }
  });
  return out;
}

export interface ImageCheckResult {
  ok: boolean;
  message?: string;
  width?: number;
  height?: number;
  contentType?: string;
}

/** Rich menu image requirements: JPEG/PNG (magic bytes must match Content-Type), ≤1 MB, width 800–2500, height ≥250, w/h ≥1.45. */
export function checkRichMenuImage(buf: Buffer, contentTypeHeader: string | undefined): ImageCheckResult {
  const ct = (contentTypeHeader ?? "").split(";")[0].trim().toLowerCase();
  if (ct !== "image/png" && ct !== "image/jpeg")
    return {
      ok: false,
      message: `Unsupported Content-Type: ${ct || "(none)"}; only image/png and image/jpeg are allowed`,
    };
  if (buf.length === 0) return { ok: false, message: "The request body is empty" };
  if (buf.length > MAX_IMAGE_BYTES)
    return {
      ok: false,
      message: `The image size ${buf.length} bytes exceeds the limit of 1MB`,
    };
  const isPng = buf.length > 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const isJpeg = buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff;
  if (ct === "image/png" && !isPng) return { ok: false, message: "The image data is not a PNG image" };
  if (ct === "image/jpeg" && !isJpeg) return { ok: false, message: "The image data is not a JPEG image" };
  let width = 0;
  let height = 0;
  try {
    const d = imageSize(buf);
    width = d.width ?? 0;
    height = d.height ?? 0;
  } catch {
    return { ok: false, message: "The image could not be decoded" };
  }
  if (width < 800 || width > 2500)
    return {
      ok: false,
      message: `Image width must be between 800 and 2500 pixels (got ${width})`,
    };
  if (height < 250)
    return {
      ok: false,
      message: `Image height must be at least 250 pixels (got ${height})`,
    };
  if (width / height < 1.45)
    return {
      ok: false,
      message: `Image aspect ratio (width/height) must be at least 1.45 (got ${(width / height).toFixed(3)})`,
    };
  return { ok: true, width, height, contentType: ct };
}
