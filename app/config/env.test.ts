import { describe, expect, it } from "vitest";
import { parseEnv, isSandboxAuthAllowed } from "./env.server";

describe("env", () => {
  it("defaults work offline", () => {
    const e = parseEnv({});
    expect(e.NODE_ENV).toBe("development");
    expect(e.LINE_API_BASE_URL).toBe("https://api.line.me");
    expect(e.LINE_API_DATA_BASE_URL).toBe("https://api-data.line.me");
    expect(e.LINE_LOGIN_BASE_URL).toBe("https://access.line.me");
    expect(e.DATABASE_URL).toBeUndefined();
  });

  it("names the bad variable", () => {
    expect(() => parseEnv({ PORT: "x", LINE_API_BASE_URL: "not a url" })).toThrowError(/PORT[\s\S]*LINE_API_BASE_URL/);
  });

  it("lists every missing production setting at once", () => {
    expect(() => parseEnv({ NODE_ENV: "production", SANDBOX_AUTH: "1" })).toThrowError(
      /DATABASE_URL: is required in production[\s\S]*REDIS_URL[\s\S]*ENCRYPTION_KEY[\s\S]*SHOPIFY_API_SECRET[\s\S]*SANDBOX_AUTH: must not be set/,
    );
  });

  it("never allows the sandbox login in production", () => {
    expect(isSandboxAuthAllowed(parseEnv({ SANDBOX_AUTH: "1" }))).toBe(true);
    expect(isSandboxAuthAllowed(parseEnv({ SANDBOX_AUTH: "0" }))).toBe(false);
    const prod = { ...parseEnv({ SANDBOX_AUTH: "1" }), NODE_ENV: "production" as const };
    expect(isSandboxAuthAllowed(prod)).toBe(false);
  });
});
