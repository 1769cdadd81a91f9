// What LINE will refuse, found before anything is sent (pure). LINE answers a bad message with a
// 400 "The request body has N error(s)" for the whole request, so one bad link fails every recipient
// of a batch; these checks let the composer and the service say which message and which field.
//
// Rules (LINE Messaging API reference, "Message objects" and "Action objects";
// /work/shared/reference/line-platform-facts.md §1–§2; the LINE emulator's emulator/checks.ts
// enforces the same independently):
// - 1–5 message objects per request. Flex carousel: 1–12 bubbles.
// - Text lengths — text, altText, action labels and texts, URLs — are LINE's, in LINE's unit (UTF-16
//   units or grapheme clusters): app/domain/line/text-limits.ts.
// - image message: originalContentUrl / previewImageUrl https. Flex image component url: https.
// - URI action: LINE accepts http, https, line and tel schemes. We accept only http(s): a broadcast
//   link is opened by a shopper, and line:/tel: links are not what a coupon or product button means
//   (issue 10: a `javascript:` coupon link was accepted).
import { checkText, type LineTextField, type TextUnit } from "~/domain/line/text-limits";
import { PLACEHOLDER_MAX_UTF16, renderMessages } from "./personalize";

export const MAX_MESSAGES_PER_REQUEST = 5;
const MAX_CAROUSEL_BUBBLES = 12;
/** Every placeholder at the longest value it can render to (PLACEHOLDER_MAX_UTF16). */
const LONGEST_FACTS = {
  displayName: "W".repeat(PLACEHOLDER_MAX_UTF16.displayName),
  lastProduct: "W".repeat(PLACEHOLDER_MAX_UTF16.lastProduct),
};

export type MessageProblemCode =
  "no_messages" | "too_many_messages" | "empty" | "too_long" | "link_not_http" | "image_not_https" | "too_many_cards";

/** One thing LINE would refuse: which message (0-based), which part, why, and the limit broken. */
export type MessageProblem = {
  message: number | null;
  /** Dotted path inside the message object, e.g. "contents.footer.contents[0].action.uri". */
  path: string;
  code: MessageProblemCode;
  limit?: number;
  /** The unit `limit` counts in (LINE counts some fields in UTF-16 units, others in characters as seen). */
  unit?: TextUnit;
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

type At = { message: number; path: string };
/** Where an action sits decides LINE's limit on its label. */
type ActionPlace = "flex" | "template" | "quickReply";
const LABEL_FIELD: Record<ActionPlace, LineTextField> = {
  flex: "flexActionLabel",
  template: "templateActionLabel",
  quickReply: "quickReplyActionLabel",
};

/** Pushes LINE's verdict on one text field (nothing when LINE accepts it). */
function checkField(field: LineTextField, value: unknown, at: At, out: MessageProblem[], optional = false) {
  const p = checkText(field, value, { optional });
  if (!p) return;
  out.push(p.code === "empty" ? { ...at, code: "empty" } : { ...at, code: "too_long", limit: p.limit, unit: p.unit });
}

function checkAction(a: unknown, place: ActionPlace, at: At, out: MessageProblem[]) {
  if (!isObj(a)) return;
  // A quick reply button and a template action must have a label; elsewhere it is optional.
  checkField(LABEL_FIELD[place], a.label, { ...at, path: `${at.path}.label` }, out, place === "flex");
  if (a.type === "message") checkField("messageActionText", a.text, { ...at, path: `${at.path}.text` }, out);
  if (a.type === "postback") {
    checkField("postbackData", a.data, { ...at, path: `${at.path}.data` }, out);
    checkField("postbackDisplayText", a.displayText, { ...at, path: `${at.path}.displayText` }, out, true);
  }
  if (a.type !== "uri") return;
  const uri = typeof a.uri === "string" ? a.uri : "";
  if (!isHttpUrl(uri)) out.push({ ...at, path: `${at.path}.uri`, code: "link_not_http" });
  else checkField("actionUri", uri, { ...at, path: `${at.path}.uri` }, out);
}

function checkFlex(c: unknown, at: At, out: MessageProblem[], depth = 0) {
  if (!isObj(c) || depth > 30) return;
  if (c.action !== undefined) checkAction(c.action, "flex", { ...at, path: `${at.path}.action` }, out);
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
        checkField("messageText", m.text, at("text"), out);
        break;
      case "image":
        for (const k of ["originalContentUrl", "previewImageUrl"]) {
          if (!isHttpsUrl(m[k])) out.push({ ...at(k), code: "image_not_https" });
          else checkField("imageUrl", m[k], at(k), out);
        }
        break;
      case "flex":
        checkField("flexAltText", m.altText, at("altText"), out);
        checkFlex(m.contents, at("contents"), out);
        break;
      case "template": {
        checkField("templateAltText", m.altText, at("altText"), out);
        const t = isObj(m.template) ? m.template : {};
        if (t.type === "buttons")
          checkField(
            t.title || t.thumbnailImageUrl ? "buttonsTemplateTextWithHeader" : "buttonsTemplateText",
            t.text,
            at("template.text"),
            out,
          );
        if (Array.isArray(t.actions)) t.actions.forEach((a, j) => checkAction(a, "template", at(`template.actions[${j}]`), out));
        break;
      }
    }
    if (isObj(m.quickReply) && Array.isArray(m.quickReply.items))
      m.quickReply.items.forEach((it, j) => isObj(it) && checkAction(it.action, "quickReply", at(`quickReply.items[${j}].action`), out));
  });
  return out;
}
