import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  decodeKey,
  decryptSecret,
  encryptSecret,
  isSealed,
  keyId,
  needsReencryption,
  SecretDecryptError,
  type Keyring,
} from "./crypto.server";

const ringOf = (current: Buffer, previous?: Buffer): Keyring => ({
  current: { id: keyId(current), key: current },
  previous: previous ? { id: keyId(previous), key: previous } : undefined,
});
const keyA = crypto.randomBytes(32);
const keyB = crypto.randomBytes(32);
const ring = ringOf(keyA);
const ctx = { shop: "a.myshopify.com", purpose: "line.channelSecret" } as const;

/** The v1 format (no key id, no associated data) as stored before this change. */
function sealV1(plain: string, key: Buffer): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(":");
}

const failure = (fn: () => unknown): SecretDecryptError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof SecretDecryptError) return err;
    throw err;
  }
  throw new Error("expected a SecretDecryptError");
};

describe("secret encryption at rest", () => {
  it("round-trips, carries the key id, never stores the plain text, uses a fresh IV each time", () => {
    const box = encryptSecret("channel-secret-123", ctx, ring);
    expect(box).not.toContain("channel-secret-123");
    expect(box.startsWith(`v2:${keyId(keyA)}:`)).toBe(true);
    expect(isSealed(box)).toBe(true);
    expect(decryptSecret(box, ctx, ring)).toBe("channel-secret-123");
    expect(encryptSecret("same", ctx, ring)).not.toBe(encryptSecret("same", ctx, ring));
  });

  it("binds the ciphertext to its shop and purpose: another shop's or column's value does not decrypt", () => {
    const box = encryptSecret("token", ctx, ring);
    expect(failure(() => decryptSecret(box, { ...ctx, shop: "b.myshopify.com" }, ring)).reason).toBe("authentication");
    expect(failure(() => decryptSecret(box, { ...ctx, purpose: "line.channelAccessToken" }, ring)).reason).toBe("authentication");
  });

  it("rejects tampering, an unknown key and garbage with a clear error that carries no crypto detail", () => {
    const parts = encryptSecret("token", ctx, ring).split(":");
    parts[4] = Buffer.from("tampered").toString("base64");
    const tampered = failure(() => decryptSecret(parts.join(":"), ctx, ring));
    expect(tampered.reason).toBe("authentication");
    expect(tampered.message).toMatch(/ENCRYPTION_KEY_PREVIOUS/);
    expect(tampered.message).not.toMatch(/unable to authenticate|Unsupported state|auth tag/i);
    expect(failure(() => decryptSecret(encryptSecret("t", ctx, ringOf(keyB)), ctx, ring)).reason).toBe("unknown-key");
    expect(failure(() => decryptSecret("plain-text", ctx, ring)).reason).toBe("format");
  });

  it("rotation: the previous key still opens its values; re-encryption is needed until they move", () => {
    const old = encryptSecret("token", ctx, ringOf(keyA));
    const rotated = ringOf(keyB, keyA);
    expect(decryptSecret(old, ctx, rotated)).toBe("token");
    expect(needsReencryption(old, rotated)).toBe(true);
    const fresh = encryptSecret("token", ctx, rotated);
    expect(needsReencryption(fresh, rotated)).toBe(false);
    expect(failure(() => decryptSecret(old, ctx, ringOf(keyB))).reason).toBe("unknown-key");
  });

  it("v1 values (no key id, no associated data) open with the current or the previous key and need re-encryption", () => {
    expect(decryptSecret(sealV1("legacy", keyA), ctx, ring)).toBe("legacy");
    expect(decryptSecret(sealV1("legacy", keyA), ctx, ringOf(keyB, keyA))).toBe("legacy");
    expect(needsReencryption(sealV1("legacy", keyA), ring)).toBe(true);
    expect(needsReencryption("shpat_plaintext", ring)).toBe(true);
    expect(failure(() => decryptSecret(sealV1("legacy", keyA), ctx, ringOf(keyB))).reason).toBe("authentication");
  });

  it("accepts hex and base64 keys of 32 bytes only; key ids are stable and differ per key", () => {
    expect(decodeKey(keyA.toString("hex"))).toEqual(keyA);
    expect(decodeKey(keyA.toString("base64"))).toEqual(keyA);
    expect(() => decodeKey("short")).toThrow(/32 bytes/);
    expect(keyId(keyA)).toMatch(/^[0-9a-f]{8}$/);
    expect(keyId(keyA)).toBe(keyId(Buffer.from(keyA)));
    expect(keyId(keyA)).not.toBe(keyId(keyB));
  });
});
