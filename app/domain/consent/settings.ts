// Consent keywords and replies as the merchant edits them (Settings → Consent): parsing the form,
// and the rules that keep them working. Pure; the service stores the result in Shop.settings.consent.
//
// Rules:
// - A keyword is matched against the whole message after NFKC + trim + upper-case (consent.server.ts
//   normaliseKeyword), so "stop", "ＳＴＯＰ" and " Stop " are one keyword: duplicates after that
//   normalisation are dropped, and one word cannot both opt out and opt in.
// - At least one opt-out keyword: friends must always be able to stop marketing messages (LINE's
//   Official Account guidelines and Japan's 特定電子メール法 / opt-out duty for advertising messages).
// - A reply is one LINE text message: 1–5,000 UTF-16 units (LINE_TEXT_LIMITS.messageText).
// - At most 20 keywords per list, each at most 50 characters: a keyword is a whole short message.
import { checkText } from "~/domain/line/text-limits";

export const MAX_KEYWORDS = 20;
export const MAX_KEYWORD_LENGTH = 50;

export interface ConsentSettingsInput {
  /** One keyword per line (commas also separate). */
  optOutKeywords: string;
  optInKeywords: string;
  optOutReply: string;
  optInReply: string;
  mirrorShopify: boolean;
}

export type ConsentSettingsValue = {
  optOutKeywords: string[];
  optInKeywords: string[];
  optOutReply: string;
  optInReply: string;
  mirrorShopify: boolean;
};

/** Error codes by form field; the admin shows them as `consentSettings.errors.<code>`. */
export type ConsentSettingsErrorCode =
  "noOptOutKeyword" | "tooManyKeywords" | "keywordTooLong" | "keywordInBoth" | "replyEmpty" | "replyTooLong";
export type ConsentSettingsErrors = Partial<Record<keyof ConsentSettingsInput, { code: ConsentSettingsErrorCode; keyword?: string }>>;

/** Same normalisation as matching (consent.server.ts): NFKC, trimmed, upper-case. */
export function normaliseKeyword(text: string): string {
  return text.normalize("NFKC").trim().toUpperCase();
}

/** Keywords from the textarea: split on new lines and commas (ASCII and ideographic), trimmed, duplicates dropped. */
export function parseKeywordList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\n,、，]/)) {
    const k = raw.trim();
    if (!k || seen.has(normaliseKeyword(k))) continue;
    seen.add(normaliseKeyword(k));
    out.push(k);
  }
  return out;
}

function checkKeywords(list: string[]): { code: ConsentSettingsErrorCode; keyword?: string } | null {
  if (list.length > MAX_KEYWORDS) return { code: "tooManyKeywords" };
  const long = list.find((k) => k.length > MAX_KEYWORD_LENGTH);
  return long ? { code: "keywordTooLong", keyword: long } : null;
}

function checkReply(text: string): { code: ConsentSettingsErrorCode } | null {
  if (!text.trim()) return { code: "replyEmpty" };
  return checkText("messageText", text) ? { code: "replyTooLong" } : null;
}

/** The form → the stored settings, or an error per field. */
export function validateConsentSettings(
  input: ConsentSettingsInput,
): { ok: true; value: ConsentSettingsValue } | { ok: false; errors: ConsentSettingsErrors } {
  const optOut = parseKeywordList(input.optOutKeywords);
  const optIn = parseKeywordList(input.optInKeywords);
  const errors: ConsentSettingsErrors = {};
  const outError = optOut.length === 0 ? { code: "noOptOutKeyword" as const } : checkKeywords(optOut);
  if (outError) errors.optOutKeywords = outError;
  const inError = checkKeywords(optIn);
  const outSet = new Set(optOut.map(normaliseKeyword));
  const both = optIn.find((k) => outSet.has(normaliseKeyword(k)));
  if (inError) errors.optInKeywords = inError;
  else if (both) errors.optInKeywords = { code: "keywordInBoth", keyword: both };
  const outReply = checkReply(input.optOutReply);
  if (outReply) errors.optOutReply = outReply;
  const inReply = checkReply(input.optInReply);
  if (inReply) errors.optInReply = inReply;
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      optOutKeywords: optOut,
      optInKeywords: optIn,
      optOutReply: input.optOutReply.trim(),
      optInReply: input.optInReply.trim(),
      mirrorShopify: input.mirrorShopify,
    },
  };
}
