// Tracked-link rules (pure): short codes, the signed per-friend token, and the redirect target.
// The HMAC itself is computed by the caller-provided function so this file stays isomorphic.

export type TrackedSourceType = "broadcast" | "automation" | "reminder" | "menu_area";

const CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

/** A short code from random bytes (bytes supplied so tests are deterministic). */
export function codeFromBytes(bytes: Uint8Array, length = 8): string {
  let out = "";
  for (let i = 0; i < length; i++) out += CODE_ALPHABET[bytes[i % bytes.length]! % CODE_ALPHABET.length];
  return out;
}

export function isValidCode(code: string): boolean {
  return /^[A-Za-z0-9]{4,32}$/.test(code);
}

/** `<friendId>.<sig>`; sig = first 16 hex chars of HMAC-SHA256(key, "f:<friendId>"). */
export function friendTokenPayload(friendId: number): string {
  return `f:${friendId}`;
}

export function formatFriendToken(friendId: number, sig: string): string {
  return `${friendId}.${sig}`;
}

export function parseFriendToken(token: string | null | undefined): { friendId: number; sig: string } | null {
  if (!token) return null;
  const m = /^(\d{1,12})\.([0-9a-f]{16})$/.exec(token);
  if (!m) return null;
  const friendId = Number(m[1]);
  return Number.isSafeInteger(friendId) && friendId > 0 ? { friendId, sig: m[2]! } : null;
}

/**
 * Where a click goes: the stored URL with its own query parameters kept, the click's extra query
 * parameters (except our `f`) carried over, and UTM tags added unless the merchant already set them.
 */
export function redirectTarget(url: string, opts: { sourceType: string; code: string; extraParams?: URLSearchParams }): string {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return url;
  }
  if (opts.extraParams) {
    for (const [k, v] of opts.extraParams) {
      if (k === "f") continue;
      if (!target.searchParams.has(k)) target.searchParams.append(k, v);
    }
  }
  const utm: Array<[string, string]> = [
    ["utm_source", "line"],
    ["utm_medium", opts.sourceType],
    ["utm_campaign", opts.code],
  ];
  for (const [k, v] of utm) if (!target.searchParams.has(k)) target.searchParams.set(k, v);
  return target.toString();
}

/** The public short URL for a code, optionally carrying a friend token. */
export function shortUrl(appUrl: string, code: string, friendToken?: string): string {
  const base = `${appUrl.replace(/\/$/, "")}/r/${code}`;
  return friendToken ? `${base}?f=${encodeURIComponent(friendToken)}` : base;
}

/** Cart permalink for a one-tap reorder: https://<shop>/cart/<variantId>:<qty>. */
export function cartPermalink(shopDomain: string, items: Array<{ variantId: bigint | number | string; quantity: number }>): string {
  const parts = items.map((i) => `${i.variantId}:${Math.max(1, Math.floor(i.quantity))}`);
  return `https://${shopDomain}/cart/${parts.join(",")}`;
}

const URL_RE = /https?:\/\/[^\s"'<>]+/g;

/** URLs found in a text, in order, without duplicates. */
export function extractUrls(text: string): string[] {
  return [...new Set(text.match(URL_RE) ?? [])];
}
