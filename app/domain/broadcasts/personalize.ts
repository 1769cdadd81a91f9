// {{displayName|there}} and {{lastProduct|our bestsellers}} placeholders (pure).
import { truncateText } from "~/domain/line/text-limits";

export type PersonalizationFacts = { displayName?: string | null; lastProduct?: string | null };

/**
 * The most UTF-16 units a placeholder can put into a message. A longer value is shortened at a
 * grapheme boundary when rendered, so checkMessages (which renders these worst cases) holds for every
 * friend. displayName: LINE profile names are at most 20 characters, i.e. 40 units when every one is
 * a surrogate pair (longer emoji sequences are shortened). lastProduct: Shopify product titles are at
 * most 255 characters.
 */
export const PLACEHOLDER_MAX_UTF16 = { displayName: 40, lastProduct: 255 } as const;

const PLACEHOLDER = /\{\{\s*(displayName|lastProduct)\s*(?:\|([^}]*))?\}\}/g;

function hasPlaceholders(text: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(text);
}

export function renderText(text: string, facts: PersonalizationFacts): string {
  return text.replace(PLACEHOLDER, (_m, key: "displayName" | "lastProduct", fallback?: string) => {
    const v = facts[key]?.trim();
    return truncateText(v ? v : (fallback ?? "").trim(), PLACEHOLDER_MAX_UTF16[key], "utf16");
  });
}

/** Render placeholders in every string inside LINE message objects (text, altText, flex texts). */
export function renderMessages<T>(messages: T, facts: PersonalizationFacts): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return renderText(v, facts);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(messages) as T;
}

export function messagesArePersonalized(messages: unknown): boolean {
  return hasPlaceholders(JSON.stringify(messages));
}

/** Personalised sends go out as one push per friend; above this many recipients we refuse them. */
export const MAX_PERSONALIZED_RECIPIENTS = 10_000;
