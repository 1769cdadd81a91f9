// AES-256-GCM for secrets at rest (LINE channel secret and access token). Ciphertext format:
// "v1:<iv b64>:<tag b64>:<data b64>". The key comes from ENCRYPTION_KEY; outside production an unset key
// is generated once and kept in DATA_DIR/dev-encryption.key so local data survives restarts.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "~/config/env.server";

let cachedKey: Buffer | undefined;

export function decodeKey(raw: string): Buffer {
  const trimmed = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) throw new Error("ENCRYPTION_KEY must be 32 bytes (64 hex chars or base64)");
  return key;
}

function encryptionKey(): Buffer {
  if (cachedKey) return cachedKey;
  const e = env();
  if (e.ENCRYPTION_KEY) {
    cachedKey = decodeKey(e.ENCRYPTION_KEY);
    return cachedKey;
  }
  if (e.NODE_ENV === "production") throw new Error("ENCRYPTION_KEY is required in production");
  const file = path.resolve(e.DATA_DIR, "dev-encryption.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  cachedKey = decodeKey(fs.readFileSync(file, "utf8"));
  return cachedKey;
}

export function encryptSecret(plain: string, key: Buffer = encryptionKey()): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(":");
}

export function decryptSecret(box: string, key: Buffer = encryptionKey()): string {
  const [version, iv, tag, data] = box.split(":");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("Unrecognised secret format");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
}
