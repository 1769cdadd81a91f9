// {{displayName|there}} and {{lastProduct|our bestsellers}} placeholders (pure).
export type PersonalizationFacts = { displayName?: string | null; lastProduct?: string | null };

const PLACEHOLDER = /\{\{\s*(displayName|lastProduct)\s*(?:\|([^}]*))?\}\}/g;

function hasPlaceholders(text: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(text);
}

export function renderText(text: string, facts: PersonalizationFacts): string {
  return text.replace(PLACEHOLDER, (_m, key: "displayName" | "lastProduct", fallback?: string) => {
    const v = facts[key]?.trim();
    return v ? v : (fallback ?? "").trim();
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
