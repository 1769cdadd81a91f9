import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeKey, decryptSecret, encryptSecret } from "./crypto.server";

const key = crypto.randomBytes(32);

describe("secret encryption at rest", () => {
  it("round-trips and never stores the plain text", () => {
    const box = encryptSecret("channel-secret-123", key);
    expect(box).not.toContain("channel-secret-123");
    expect(box.startsWith("v1:")).toBe(true);
    expect(decryptSecret(box, key)).toBe("channel-secret-123");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", key)).not.toBe(encryptSecret("same", key));
  });

  it("rejects tampering and a wrong key", () => {
    const box = encryptSecret("token", key);
    const parts = box.split(":");
    parts[3] = Buffer.from("tampered").toString("base64");
    expect(() => decryptSecret(parts.join(":"), key)).toThrow();
    expect(() => decryptSecret(box, crypto.randomBytes(32))).toThrow();
  });

  it("accepts hex and base64 keys of 32 bytes only", () => {
    expect(decodeKey(key.toString("hex"))).toEqual(key);
    expect(decodeKey(key.toString("base64"))).toEqual(key);
    expect(() => decodeKey("short")).toThrow(/32 bytes/);
  });
});
