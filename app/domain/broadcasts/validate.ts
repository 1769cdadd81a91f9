// What LINE will refuse, found before anything is sent (pure). LINE answers a bad message with a
// 400 "The request body has N error(s)" for the whole request, so one bad link fails every recipient
// of a batch; these checks let the composer and the service say which message and which field.
//
// Rules (LINE Messaging API reference, "Message objects" and "Action objects";
// /work/shared/reference/line-platform-facts.md §1–§2; the LINE emulator's emulator/checks.ts
// enforces the same):
// - 1–5 message objects per request.
// - text message: 1–5,000 characters; flex/template altText: 1–1,500 / 1–400 characters.
// - image message: originalContentUrl / previewImageUrl https, ≤ 2,000 characters.
// - flex image component url: https. Flex carousel: 1–12 bubbles.
// - URI action: uri ≤ 1,000 characters; LINE accepts http, https, line and tel schemes. We accept
//   only http(s): a broadcast link is opened by a shopper, and line:/tel: links are not what a
//   coupon or product button means (issue 10: a `javascript:` coupon link was accepted).
// - Action label ≤ 40 characters (messages; rich menus allow 100 but are not sent here).
// Character counts are UTF-16 code units, as LINE counts them (and as String#length does).
import { renderMessages } from "./personalize";

export const MAX_MESSAGES_PER_REQUEST = 5;
export const MAX_TEXT_LENGTH = 5000;
export const MAX_FLEX_ALT_TEXT_LENGTH = 1500;
export const MAX_TEMPLATE_ALT_TEXT_LENGTH = 400;
export const MAX_URI_LENGTH = 1000;
export const MAX_IMAGE_URL_LENGTH = 2000;
export const MAX_ACTION_LABEL_LENGTH = 40;
export const MAX_CAROUSEL_BUBBLES = 12;
/** LINE display names are at most 20 characters; Shopify product titles at most 255. */
const LONGEST_FACTS = { displayName: "W".repeat(20), lastProduct: "W".repeat(255) };

export type MessageProblemCode =
  "no_messages" | "too_many_messages" | "empty" | "too_long" | "link_not_http" | "image_not_https" | "too_many_cards";

/** One thing LINE would refuse: which message (0-based), which part, why, and the limit broken. */
export type MessageProblem = {
  message: number | null;
  /** Dotted path inside the message object, e.g. "contents.footer.contents[0].action.uri". */
  path: string;
  code: MessageProblemCode;
  limit?: number;
};

/** True for an absolute http:// or https:// URL with a host (what a shopper's browser can open). */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value.trim());
    return (u.protocol === "https:" || u.protocol === "http:") && u.hostname.length > 0;
  } catch {
    return false;
  }
}

function isHttpsUrl(value: unknown): boolean {
  return typeof value === "string" && isHttpUrl(value) && new URL(value.trim()).protocol === "https:";
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function checkAction(a: unknown, at: { message: number; path: string }, out: MessageProblem[]) {
  if (!isObj(a)) return;
  if (typeof a.label === "string" && a.label.length > MAX_ACTION_LABEL_LENGTH)
    out.push({ ...at, path: `${at.path}.label`, code: "too_long", limit: MAX_ACTION_LABEL_LENGTH });
  if (a.type !== "uri") return;
  const uri = typeof a.uri === "string" ? a.uri : "";
  if (!isHttpUrl(uri)) out.push({ ...at, path: `${at.path}.uri`, code: "link_not_http" });
  else if (uri.length > MAX_URI_LENGTH) out.push({ ...at, path: `${at.path}.uri`, code: "too_long", limit: MAX_URI_LENGTH });
}

function checkFlex(c: unknown, at: { message: number; path: string }, out: MessageProblem[], depth = 0) {
  if (!isObj(c) || depth > 30) return;
  if (c.action !== undefined) checkAction(c.action, { ...at, path: `${at.path}.action` }, out);
  if (c.type === "image" && !isHttpsUrl(c.url)) out.push({ ...at, path: `${at.path}.url`, code: "image_not_https" });
  if (c.type === "text" && typeof c.text === "string" && c.text.length === 0) out.push({ ...at, path: `${at.path}.text`, code: "empty" });
  for (const k of ["header", "hero", "body", "footer"])
    if (c[k] !== undefined) checkFlex(c[k], { ...at, path: `${at.path}.${k}` }, out, depth + 1);
  if (Array.isArray(c.contents)) {
    if (c.type === "carousel" && (c.contents.length === 0 || c.contents.length > MAX_CAROUSEL_BUBBLES))
      out.push({ ...at, path: `${at.path}.contents`, code: "too_many_cards", limit: MAX_CAROUSEL_BUBBLES });
    c.contents.forEach((x, i) => checkFlex(x, { ...at, path: `${at.path}.contents[${i}]` }, out, depth + 1));
  }
}

function checkLength(value: unknown, max: number, at: { message: number; path: string }, out: MessageProblem[]) {
  if (typeof value !== "string" || value.trim().length === 0) out.push({ ...at, code: "empty" });
  else if (value.length > max) out.push({ ...at, code: "too_long", limit: max });
}

/**
 * Every problem LINE would refuse in `messages` (LINE message objects, as sent). Placeholders are
 * rendered with the longest values they can take, so a text that only overflows for a long display
 * name or product title is caught too. An empty result means LINE's documented rules are met.
 */
export function checkMessages(messages: unknown): MessageProblem[] {
  const out: MessageProblem[] = [];
  if (!Array.isArray(messages) || messages.length === 0) return [{ message: null, path: "", code: "no_messages" }];
  if (messages.length > MAX_MESSAGES_PER_REQUEST)
    out.push({ message: null, path: "", code: "too_many_messages", limit: MAX_MESSAGES_PER_REQUEST });
  renderMessages(messages, LONGEST_FACTS).forEach((m: unknown, i) => {
    if (!isObj(m)) return;
    const at = (path: string) => ({ message: i, path });
    switch (m.type) {
      case "text":
        checkLength(m.text, MAX_TEXT_LENGTH, at("text"), out);
        break;
      case "image":
        for (const k of ["originalContentUrl", "previewImageUrl"]) {
          if (!isHttpsUrl(m[k])) out.push({ ...at(k), code: "image_not_https" });
          else if (String(m[k]).length > MAX_IMAGE_URL_LENGTH) out.push({ ...at(k), code: "too_long", limit: MAX_IMAGE_URL_LENGTH });
        }
        break;
      case "flex":
        checkLength(m.altText, MAX_FLEX_ALT_TEXT_LENGTH, at("altText"), out);
        checkFlex(m.contents, at("contents"), out);
        break;
      case "template":
        checkLength(m.altText, MAX_TEMPLATE_ALT_TEXT_LENGTH, at("altText"), out);
        if (isObj(m.template) && Array.isArray(m.template.actions))
          m.template.actions.forEach((a, j) => checkAction(a, at(`template.actions[${j}]`), out));
        break;
    }
    if (isObj(m.quickReply) && Array.isArray(m.quickReply.items))
      m.quickReply.items.forEach((it, j) => isObj(it) && checkAction(it.action, at(`quickReply.items[${j}].action`), out));
  });
  return out;
}
