// Short-lived HMAC tokens bound to the values they were issued for (CSRF tokens on the storefront
// account-link page, the LINE Login state cookie). Format "<expiry, unix seconds>.<base64url mac>";
// the MAC covers the purpose, the expiry and every bound value, with a key derived from
// SHOPIFY_API_SECRET per purpose, so a token for one purpose or one customer is useless for another.
import crypto from "node:crypto";
import { env } from "~/config/env.server";

function mac(purpose: string, expires: number, fields: readonly string[]): string {
  const key = crypto.createHmac("sha256", env().SHOPIFY_API_SECRET).update(`signed-token:${purpose}`).digest();
  return crypto
    .createHmac("sha256", key)
    .update(JSON.stringify([expires, ...fields]))
    .digest("base64url");
}

/** A token for `fields` under `purpose`, valid until `expiresAt`. */
export function signToken(purpose: string, fields: readonly string[], expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${expires}.${mac(purpose, expires, fields)}`;
}

/** True when `token` was signed for exactly these `fields` under `purpose` and has not expired at `now`. */
export function verifyToken(token: string | null | undefined, purpose: string, fields: readonly string[], now: Date): boolean {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token ?? "");
  if (!m) return false;
  const expires = Number(m[1]);
  if (expires * 1000 <= now.getTime()) return false;
  const expected = Buffer.from(mac(purpose, expires, fields));
  const given = Buffer.from(m[2]);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
