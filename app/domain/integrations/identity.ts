// Keyed hashes of a person's email address and phone number: how a HubSpot contact / Klaviyo profile
// is matched to a Shopify customer without the app keeping the customer's address (Customer holds
// only emailHash / phoneHash; IntegrationContact keeps the provider's own email/phone, which the sync
// stores anyway). HMAC-SHA256 with an app secret (app/adapters/crypto.server.ts identityKey), so a
// leaked hash column cannot be reversed by hashing a list of known addresses without the key.
import crypto from "node:crypto";

/**
 * Email as compared: trimmed and lowercased (HubSpot and Klaviyo store emails lowercased; Shopify
 * keeps what the shopper typed). null when it is not an address (no "@" between two non-empty parts).
 */
export function normalizeEmail(email: string | null | undefined): string | null {
  if (!email) return null;
  const e = email.trim().toLowerCase();
  const at = e.lastIndexOf("@");
  return at > 0 && at < e.length - 1 ? e : null;
}

/**
 * Phone as compared: E.164 ("+" then 7–15 digits, first digit 1–9;
 * https://www.itu.int/rec/T-REC-E.164). Spaces, dots, hyphens and parentheses are dropped and a
 * leading international prefix "00" becomes "+". Shopify and Klaviyo store E.164 already; a number
 * written nationally ("090-1234-5678") has no country code to go on and gives null (no phone match).
 * No phone library is installed here; this rule is deliberately narrow rather than guessing countries.
 */
export function normalizePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  let p = phone.trim().replace(/[\s.()\-]/g, "");
  if (p.startsWith("00")) p = `+${p.slice(2)}`;
  return /^\+[1-9][0-9]{6,14}$/.test(p) ? p : null;
}

function hmac(key: Buffer, kind: "email" | "phone", value: string): string {
  return crypto.createHmac("sha256", key).update(`${kind}:${value}`).digest("hex");
}

/** Hex HMAC-SHA256 of the normalized email (null when there is none). */
export function emailHash(email: string | null | undefined, key: Buffer): string | null {
  const e = normalizeEmail(email);
  return e === null ? null : hmac(key, "email", e);
}

/** Hex HMAC-SHA256 of the E.164 phone (null when there is none or it is not international). */
export function phoneHash(phone: string | null | undefined, key: Buffer): string | null {
  const p = normalizePhone(phone);
  return p === null ? null : hmac(key, "phone", p);
}
