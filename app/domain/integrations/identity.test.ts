import { describe, expect, it } from "vitest";
import { emailHash, normalizeEmail, normalizePhone, phoneHash } from "./identity";

const key = Buffer.alloc(32, 7);

describe("identity", () => {
  it.each([
    ["  Ann@Example.COM ", "ann@example.com"],
    ["no-at-sign", null],
    ["@example.com", null],
    ["ann@", null],
    ["", null],
    [null, null],
  ])("normalizeEmail(%j) = %j", (input, out) => expect(normalizeEmail(input)).toBe(out));

  it.each([
    ["+81 90-1234-5678", "+819012345678"],
    ["+1 (415) 555.0100", "+14155550100"],
    ["0066812345678", "+66812345678"],
    ["090-1234-5678", null],
    ["+0123456789", null],
    ["+1234567890123456", null],
    ["", null],
  ])("normalizePhone(%j) = %j", (input, out) => expect(normalizePhone(input)).toBe(out));

  it("hashes the normalized value with the key, separately for email and phone", () => {
    expect(emailHash("Ann@Example.com ", key)).toBe(emailHash("ann@example.com", key));
    expect(emailHash("ann@example.com", key)).toMatch(/^[0-9a-f]{64}$/);
    expect(emailHash("ann@example.com", key)).not.toBe(emailHash("ann@example.com", Buffer.alloc(32, 8)));
    expect(phoneHash("+81 90 1234 5678", key)).toBe(phoneHash("+819012345678", key));
    expect(phoneHash("+819012345678", key)).not.toBe(emailHash("+819012345678", key));
    expect(emailHash(null, key)).toBeNull();
    expect(phoneHash("090-1234-5678", key)).toBeNull();
  });
});
