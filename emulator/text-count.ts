/**
 * How LINE counts the length of a text (developers.line.biz/en/docs/messaging-api/text-character-count/):
 * in UTF-16 code units ("🍎 is two characters long"), except the properties LINE lists as counted in
 * grapheme clusters (UAX #29, characters as users see them). The emulator keeps its own copy of this
 * rule (not the app's module) so that it checks the app independently, the way LINE would.
 */

import type { ErrorObject, KeywordDefinition } from "ajv";

let segmenter: Intl.Segmenter | undefined;

/** Length as LINE counts it: UTF-16 code units, or grapheme clusters for the properties listed below. */
export function lineLength(text: string, unit: "utf16" | "grapheme"): number {
  if (unit === "utf16") return text.length;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/**
 * OpenAPI schema → its properties LINE counts in grapheme clusters ("Character counting in a text").
 * `Action.label` is every action's label; postback/message action texts; buttons/confirm/carousel
 * template texts and titles; the rich menu's chatBarText and name.
 */
export const GRAPHEME_COUNTED: Record<string, readonly string[]> = {
  Action: ["label"],
  PostbackAction: ["displayText", "fillInText", "label", "text"],
  MessageAction: ["label", "text"],
  ButtonsTemplate: ["text", "title"],
  ConfirmTemplate: ["text"],
  CarouselColumn: ["text", "title"],
  RichMenuRequest: ["chatBarText", "name"],
  RichMenuResponse: ["chatBarText", "name"],
};

type AnyObj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The JSON-schema keywords the emulator validates lengths with instead of `maxLength` (which counts code points). */
export const MAX_UTF16 = "x-line-max-utf16";
export const MAX_GRAPHEMES = "x-line-max-graphemes";

/**
 * Returns a copy of an OpenAPI document in which every `maxLength` is replaced by MAX_UTF16 or, for
 * the properties in GRAPHEME_COUNTED, MAX_GRAPHEMES: JSON Schema's `maxLength` counts code points
 * (Ajv's default), which is neither of LINE's units (a family emoji is 7 code points, 11 UTF-16 units,
 * 1 grapheme; Thai "แตะเพื่อดูเมนูพิเศษ" is 19 code points and 14 graphemes).
 */
export function withLineLengths<T>(doc: T): T {
  const walk = (node: unknown, schemaName: string | undefined, prop: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, schemaName, prop));
    if (!node || typeof node !== "object") return node;
    const out: AnyObj = {};
    for (const [k, v] of Object.entries(node as AnyObj)) {
      if (k === "maxLength" && typeof v === "number") {
        const grapheme = !!(schemaName && prop && GRAPHEME_COUNTED[schemaName]?.includes(prop));
        out[grapheme ? MAX_GRAPHEMES : MAX_UTF16] = v;
      } else if (k === "properties" && v && typeof v === "object") {
        out[k] = Object.fromEntries(Object.entries(v as AnyObj).map(([p, s]) => [p, walk(s, schemaName, p)]));
      } else if (k === "schemas" && v && typeof v === "object" && !schemaName) {
        out[k] = Object.fromEntries(Object.entries(v as AnyObj).map(([name, s]) => [name, walk(s, name, undefined)]));
      } else out[k] = walk(v, schemaName, prop);
    }
    return out;
  };
  return walk(doc, undefined, undefined) as T;
}

interface KeywordHost {
  addKeyword(def: KeywordDefinition): unknown;
}

/** Teaches an Ajv instance MAX_UTF16 and MAX_GRAPHEMES (messages in Ajv's own maxLength wording). */
export function addLineLengthKeywords<A extends KeywordHost>(ajv: A): A {
  for (const [keyword, unit] of [
    [MAX_UTF16, "utf16"],
    [MAX_GRAPHEMES, "grapheme"],
  ] as const) {
    const validate = (max: number, data: string): boolean => {
      const ok = lineLength(data, unit) <= max;
      validate.errors = ok ? undefined : [{ keyword, message: `must NOT have more than ${max} characters`, params: { limit: max } }];
      return ok;
    };
    validate.errors = undefined as Array<Partial<ErrorObject>> | undefined;
    ajv.addKeyword({ keyword, type: "string", schemaType: "number", errors: true, validate });
  }
  return ajv;
}
