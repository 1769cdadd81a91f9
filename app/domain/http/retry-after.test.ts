import { describe, expect, it } from "vitest";
import { retryAfterMs } from "./retry-after";

describe("retryAfterMs (RFC 9110 §10.2.3)", () => {
  const now = new Date("2026-12-01T00:00:00Z");
  it.each([
    ["2", 2000],
    [" 10 ", 10_000],
    ["0", 0],
    ["Tue, 01 Dec 2026 00:00:30 GMT", 30_000],
    ["Mon, 30 Nov 2026 23:59:00 GMT", 0],
    ["soon", undefined],
    ["-1", undefined],
    ["", undefined],
    [null, undefined],
    [undefined, undefined],
  ])("%j → %j", (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
});
