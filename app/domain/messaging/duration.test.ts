import { describe, expect, it } from "vitest";
import { durationParts, formatIsoDuration, parseIsoDuration } from "./duration";

describe("parseIsoDuration", () => {
  it.each([
    ["PT1H", 3_600_000],
    ["PT30S", 30_000],
    ["PT2S", 2_000],
    ["PT0.5S", 500],
    ["PT90M", 5_400_000],
    ["P1D", 86_400_000],
    ["P1DT2H30M", 86_400_000 + 2 * 3_600_000 + 30 * 60_000],
    ["P2W", 14 * 86_400_000],
    ["pt1h", 3_600_000],
    ["PT0S", 0],
  ])("%s → %i ms", (input, ms) => {
    expect(parseIsoDuration(input)).toBe(ms);
  });

  it.each(["", "P", "PT", "1H", "PT1X", "P1Y", "P1M", "PT-1H", "P1DT", "PT1H30", "hello"])("rejects %j", (input) => {
    expect(parseIsoDuration(input)).toBeNull();
  });
});

describe("formatIsoDuration", () => {
  it.each([
    [3_600_000, "PT1H"],
    [30_000, "PT30S"],
    [0, "PT0S"],
    [86_400_000 + 5_400_000, "P1DT1H30M"],
  ])("%i → %s", (ms, iso) => {
    expect(formatIsoDuration(ms)).toBe(iso);
    expect(parseIsoDuration(iso)).toBe(ms);
  });

  it("splits into picker parts", () => {
    expect(durationParts(5_430_000)).toEqual({ hours: 1, minutes: 30, seconds: 30 });
  });
});
