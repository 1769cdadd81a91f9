// Every LINE length limit on text this app sends, with the unit LINE counts it in (pure, isomorphic:
// the admin UI uses it for its character counters).
//
// How LINE counts (developers.line.biz/en/docs/messaging-api/text-character-count/): "The Messaging
// API counts text characters in UTF-16 code units" (🍎 is 2, 👋🏻 is 4) — except the properties it
// lists as counted "in grapheme cluster units" (unicode.org/reports/tr29/): every action object's
// `label`; postback `displayText`, `fillInText`, `label`, `text`; message action `label`, `text`;
// buttons template `text`, `title`; confirm template `text`; carousel template `text`, `title`; rich
// menu `chatBarText` and `name`. A grapheme cluster is one character as a user sees it: Thai
// "แตะเพื่อดูเมนูพิเศษ" is 14 of them (19 code points) and the family emoji 👨‍👩‍👧‍👦 is 1 (11 UTF-16 units).
// JavaScript's String#length is UTF-16 units; code points ([...s].length) match neither unit.

export type TextUnit = "utf16" | "grapheme";

export type TextLimit = { max: number; unit: TextUnit; source: string };

const REF = "https://developers.line.biz/en/reference/messaging-api/";
const SPEC = "shared/line-openapi/messaging-api.yml";

/**
 * LINE's maximum lengths (and their units) for the text fields the app sends. `source` names the
 * LINE reference section or the OpenAPI spec field the number comes from.
 */
export const LINE_TEXT_LIMITS = {
  /** Text message `text`: 5,000 (reference "Text message"; not in the OpenAPI spec). */
  messageText: { max: 5000, unit: "utf16", source: `${REF}#text-message` },
  /** Flex message `altText`: 1,500. */
  flexAltText: { max: 1500, unit: "utf16", source: `${REF}#flex-message` },
  /** Template message `altText`: 400. */
  templateAltText: { max: 400, unit: "utf16", source: `${REF}#template-messages` },
  /** Buttons template `text` without a title or image: 160. */
  buttonsTemplateText: { max: 160, unit: "grapheme", source: `${REF}#buttons` },
  /** Buttons template `text` when it has a `title` or `thumbnailImageUrl`: 60. */
  buttonsTemplateTextWithHeader: { max: 60, unit: "grapheme", source: `${REF}#buttons` },
  /** Action `label` of a template message other than image carousel: 20 ("Specifications of the label"). */
  templateActionLabel: { max: 20, unit: "grapheme", source: `${REF}#action-objects` },
  /** Action `label` of a quick reply button: 20. */
  quickReplyActionLabel: { max: 20, unit: "grapheme", source: `${REF}#action-objects` },
  /** Action `label` in a Flex message (button or other component): 40. */
  flexActionLabel: { max: 40, unit: "grapheme", source: `${REF}#action-objects` },
  /** Action `label` of a rich menu area (spoken by accessibility readers): 20. */
  richMenuActionLabel: { max: 20, unit: "grapheme", source: `${REF}#action-objects` },
  /** Message action `text`: 300. */
  messageActionText: { max: 300, unit: "grapheme", source: `${REF}#message-action` },
  /** Postback action `displayText`: 300. */
  postbackDisplayText: { max: 300, unit: "grapheme", source: `${REF}#postback-action` },
  /** Postback action `data`: 300 (spec PostbackAction.data maxLength 300; not in LINE's grapheme list). */
  postbackData: { max: 300, unit: "utf16", source: `${SPEC} PostbackAction.data` },
  /** URI action `uri`: 1,000. */
  actionUri: { max: 1000, unit: "utf16", source: `${REF}#uri-action` },
  /** Image message `originalContentUrl` / `previewImageUrl`: 2,000. */
  imageUrl: { max: 2000, unit: "utf16", source: `${REF}#image-message` },
  /** Rich menu `chatBarText`: 14 (spec RichMenuRequest.chatBarText maxLength 14). */
  chatBarText: { max: 14, unit: "grapheme", source: `${SPEC} RichMenuRequest.chatBarText` },
  /** Rich menu `name`: 300 (spec RichMenuRequest.name maxLength 300). */
  richMenuName: { max: 300, unit: "grapheme", source: `${SPEC} RichMenuRequest.name` },
} as const satisfies Record<string, TextLimit>;

export type LineTextField = keyof typeof LINE_TEXT_LIMITS;

let segmenter: Intl.Segmenter | undefined;
// Grapheme boundaries do not depend on the locale (UAX #29 default rules).
const segments = (text: string) => (segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" })).segment(text);

/** Length in extended grapheme clusters (UAX #29: characters as users see them). */
export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of segments(text)) n++;
  return n;
}

/**
 * Length of `text` in `unit`: UTF-16 code units (String#length; what LINE counts for message text,
 * altText, URLs, postback data) or grapheme clusters.
 */
export function measureText(text: string, unit: TextUnit): number {
  return unit === "utf16" ? text.length : graphemeLength(text);
}

/** One text LINE would refuse: empty where required, or longer than `limit` `unit`s (`length` = measured). */
export type TextProblem =
  { code: "empty"; field: LineTextField } | { code: "too_long"; field: LineTextField; limit: number; unit: TextUnit; length: number };

/**
 * Checks `value` against LINE's limit for `field`. A missing or blank value is `empty` unless
 * `optional` (then only the length is checked when present). Returns null when LINE accepts it.
 */
export function checkText(field: LineTextField, value: unknown, opts: { optional?: boolean } = {}): TextProblem | null {
  if (typeof value !== "string" || value.trim().length === 0) {
    if (opts.optional && (value === undefined || value === null || value === "")) return null;
    return { code: "empty", field };
  }
  const { max, unit } = LINE_TEXT_LIMITS[field];
  const length = measureText(value, unit);
  return length > max ? { code: "too_long", field, limit: max, unit, length } : null;
}

/**
 * Shortens `text` to at most `max` `unit`s, cutting only between grapheme clusters (never inside a
 * surrogate pair, a combining sequence or an emoji ZWJ sequence). When it cuts, `ellipsis` is
 * appended and counted within `max`. Text that fits is returned unchanged.
 */
export function truncateText(text: string, max: number, unit: TextUnit, ellipsis = ""): string {
  if (measureText(text, unit) <= max) return text;
  const budget = max - measureText(ellipsis, unit);
  if (budget < 0) return "";
  let out = "";
  let used = 0;
  for (const { segment: g } of segments(text)) {
    const cost = unit === "utf16" ? g.length : 1;
    if (used + cost > budget) break;
    out += g;
    used += cost;
  }
  return out + ellipsis;
}

/** truncateText to LINE's limit for `field`. */
export function truncateFor(field: LineTextField, text: string, ellipsis = ""): string {
  const { max, unit } = LINE_TEXT_LIMITS[field];
  return truncateText(text, max, unit, ellipsis);
}
