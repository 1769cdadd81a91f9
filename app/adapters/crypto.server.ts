// AES-256-GCM for secrets at rest: LINE channel secrets and tokens (Shop.*Enc) and Shopify access /
// refresh tokens (Session, through EncryptedSessionStorage).
//
// Ciphertext format "v2:<key id>:<iv b64>:<tag b64>:<data b64>":
// - the key id (8 hex chars of SHA-256 over the key) says which key sealed it, so rotation works:
//   ENCRYPTION_KEY seals, ENCRYPTION_KEY_PREVIOUS still opens (`npm run cli -- secrets:reencrypt` moves
//   everything to the current key, after which the previous key can be dropped);
// - the associated data is the owning shop's domain and the value's purpose, so a ciphertext copied to
//   another shop's row or to another column does not decrypt (GCM authenticates the associated data).
// "v1:<iv>:<tag>:<data>" (before key ids and associated data) still opens with either key; the
// re-encrypt command migrates it.
//
// Errors never carry crypto internals: every failure is a SecretDecryptError with a fixed message a
// merchant or operator can act on; `reason` is for internal logs.
//
// Outside production an unset key is generated once and kept in DATA_DIR/dev-encryption.key so local
// data survives restarts.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env, type Env } from "~/config/env.server";

/** What a secret is for; part of its associated data (a value cannot be moved between columns). */
export type SecretPurpose =
  | "line.channelSecret"
  | "line.channelAccessToken"
  | "line.loginChannelSecret"
  | "shopify.accessToken"
  | "shopify.refreshToken"
  | "assistant.apiKey"
  // IntegrationConnection.credentialEnc / refreshTokenEnc (app/services/integrations/connections.server.ts).
  | "integration.hubspot.credential"
  | "integration.hubspot.refreshToken"
  | "integration.klaviyo.credential"
  | "integration.klaviyo.refreshToken";

/** The owner of a secret: `shop` is the shop's myshopify domain. */
export interface SecretContext {
  shop: string;
  purpose: SecretPurpose;
}

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface Keyring {
  current: EncryptionKey;
  previous?: EncryptionKey;
}

export type DecryptFailure = "format" | "unknown-key" | "authentication";

export class SecretDecryptError extends Error {
  constructor(readonly reason: DecryptFailure) {
    super(
      "A stored secret could not be read with the configured encryption key. If ENCRYPTION_KEY was changed, set the old key as " +
        "ENCRYPTION_KEY_PREVIOUS and run `npm run cli -- secrets:reencrypt`; otherwise reconnect the credentials in Settings.",
    );
    this.name = "SecretDecryptError";
  }
}

export function decodeKey(raw: string, name = "ENCRYPTION_KEY"): Buffer {
  const trimmed = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes (64 hex chars or base64)`);
  return key;
}

/** A key's public identifier: 8 hex chars of SHA-256 over a label and the key (reveals nothing usable). */
export function keyId(key: Buffer): string {
  return crypto.createHash("sha256").update("line-crm/encryption-key-id\0").update(key).digest("hex").slice(0, 8);
}

const asKey = (key: Buffer): EncryptionKey => ({ id: keyId(key), key });

let cached: { env: Env; ring: Keyring } | undefined;

/** The keys from the environment (cached per parsed environment, so resetEnv() re-reads them). */
export function keyring(e: Env = env()): Keyring {
  if (cached?.env === e) return cached.ring;
  const ring: Keyring = {
    current: asKey(e.ENCRYPTION_KEY ? decodeKey(e.ENCRYPTION_KEY) : devKey(e)),
    previous: e.ENCRYPTION_KEY_PREVIOUS ? asKey(decodeKey(e.ENCRYPTION_KEY_PREVIOUS, "ENCRYPTION_KEY_PREVIOUS")) : undefined,
  };
  cached = { env: e, ring };
  return ring;
}

function devKey(e: Env): Buffer {
  if (e.NODE_ENV === "production") throw new Error("ENCRYPTION_KEY is required in production");
  const file = path.resolve(e.DATA_DIR, "dev-encryption.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
    } catch (err) {
      // Another process created it between the check and the write: use theirs.
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  return decodeKey(fs.readFileSync(file, "utf8"));
}

const associatedData = (ctx: SecretContext) => Buffer.from(`${ctx.shop}\n${ctx.purpose}`, "utf8");

export function encryptSecret(plain: string, ctx: SecretContext, ring: Keyring = keyring()): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", ring.current.key, iv);
  cipher.setAAD(associatedData(ctx));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v2", ring.current.id, iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(":");
}

function open(key: Buffer, iv: string, tag: string, data: string, aad?: Buffer): string {
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
}

/**
 * Opens a value sealed by encryptSecret for the same shop and purpose, with the current or previous
 * key. Throws SecretDecryptError (reason format | unknown-key | authentication) — never a crypto error.
 */
export function decryptSecret(box: string, ctx: SecretContext, ring: Keyring = keyring()): string {
  const parts = box.split(":");
  const keys = [ring.current, ...(ring.previous ? [ring.previous] : [])];
  if (parts[0] === "v2" && parts.length === 5) {
    const [, id, iv, tag, data] = parts;
    const key = keys.find((k) => k.id === id);
    if (!key) throw new SecretDecryptError("unknown-key");
    try {
      return open(key.key, iv, tag, data, associatedData(ctx));
    } catch {
      throw new SecretDecryptError("authentication");
    }
  }
  if (parts[0] === "v1" && parts.length === 4) {
    const [, iv, tag, data] = parts;
    for (const key of keys) {
      try {
        return open(key.key, iv, tag, data);
      } catch {
        // try the next key
      }
    }
    throw new SecretDecryptError("authentication");
  }
  throw new SecretDecryptError("format");
}

/** True when the value is one of our ciphertext formats (anything else is a legacy plaintext value). */
export function isSealed(value: string): boolean {
  return /^v1:[^:]*:[^:]*:[^:]*$/.test(value) || /^v2:[0-9a-f]{8}:[^:]*:[^:]*:[^:]*$/.test(value);
}

/** True when the value should be rewritten: plaintext, the v1 format, or sealed by a key that is not current. */
export function needsReencryption(value: string, ring: Keyring = keyring()): boolean {
  return !value.startsWith(`v2:${ring.current.id}:`) || !isSealed(value);
}

/**
 * The key of the email/phone matching hashes (app/domain/integrations/identity.ts): HKDF-SHA256 of
 * the current ENCRYPTION_KEY with its own label, so the hashes never reuse the encryption key itself.
 * Rotating ENCRYPTION_KEY changes every hash: customers get theirs again from the next backfill and
 * customer webhooks, contacts from the next match (docs/integrations.md).
 */
export function identityKey(ring: Keyring = keyring()): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", ring.current.key, Buffer.alloc(0), "line-crm/identity-hash/v1", 32));
}
