import { describe, expect, it } from "vitest";
import {
  dateOfDayNumber,
  dayNumber,
  formatClock,
  isValidTimeZone,
  localDate,
  localDayNumber,
  nextLocalTime,
  parseClock,
  startOfLocalDate,
  wallClock,
  zonedInstant,
} from "./zoned";

const NY = "America/New_York";
const at = (iso: string) => new Date(iso);

describe("zonedInstant (local date + clock → instant)", () => {
  it.each([
    // New York, spring forward 2026-03-08: 02:00 EST → 03:00 EDT; 02:xx does not exist.
    [NY, "2026-03-08", "01:59", "2026-03-08T06:59:00.000Z"],
    [NY, "2026-03-08", "02:00", "2026-03-08T07:00:00.000Z"], // the gap ends at 03:00 EDT
    [NY, "2026-03-08", "02:30", "2026-03-08T07:00:00.000Z"],
    [NY, "2026-03-08", "03:00", "2026-03-08T07:00:00.000Z"],
    [NY, "2026-03-08", "03:30", "2026-03-08T07:30:00.000Z"],
    // New York, fall back 2026-11-01: 01:xx happens twice (EDT, then EST): the earlier.
    [NY, "2026-11-01", "00:59", "2026-11-01T04:59:00.000Z"],
    [NY, "2026-11-01", "01:00", "2026-11-01T05:00:00.000Z"],
    [NY, "2026-11-01", "01:30", "2026-11-01T05:30:00.000Z"],
    [NY, "2026-11-01", "02:00", "2026-11-01T07:00:00.000Z"],
    [NY, "2026-07-01", "09:00", "2026-07-01T13:00:00.000Z"],
    [NY, "2026-01-15", "09:00", "2026-01-15T14:00:00.000Z"],
    // No DST: fixed offsets.
    ["Asia/Tokyo", "2026-03-08", "09:00", "2026-03-08T00:00:00.000Z"],
    ["Asia/Tokyo", "2026-01-01", "00:00", "2025-12-31T15:00:00.000Z"],
    ["Asia/Taipei", "2026-03-08", "09:00", "2026-03-08T01:00:00.000Z"],
    ["Asia/Taipei", "2026-11-01", "01:30", "2026-10-31T17:30:00.000Z"],
    ["Asia/Bangkok", "2026-03-08", "09:00", "2026-03-08T02:00:00.000Z"],
    ["Asia/Bangkok", "2026-12-31", "23:59", "2026-12-31T16:59:00.000Z"],
  ])("%s %s %s → %s", (tz, date, time, iso) => {
    expect(zonedInstant(date, parseClock(time)!, tz).toISOString()).toBe(iso);
  });

  it("refuses a date that is not on the calendar and an unknown zone", () => {
    expect(() => zonedInstant("2026-02-30", 0, NY)).toThrow(RangeError);
    expect(() => zonedInstant("2026-02-01", 0, "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

describe("wallClock / localDate / localDayNumber (instant → local)", () => {
  it.each([
    [NY, "2026-03-08T06:59:00Z", "2026-03-08", "01:59", 3],
    [NY, "2026-03-08T07:00:00Z", "2026-03-08", "03:00", 3],
    [NY, "2026-11-01T05:30:00Z", "2026-11-01", "01:30", 11], // first 01:30 (EDT)
    [NY, "2026-11-01T06:30:00Z", "2026-11-01", "01:30", 11], // second 01:30 (EST)
    [NY, "2026-03-01T04:59:00Z", "2026-02-28", "23:59", 2],
    ["Asia/Tokyo", "2025-12-31T15:00:00Z", "2026-01-01", "00:00", 1],
    ["Asia/Taipei", "2026-03-08T15:59:00Z", "2026-03-08", "23:59", 3],
    ["Asia/Bangkok", "2026-03-08T17:00:00Z", "2026-03-09", "00:00", 3],
  ])("%s %s → %s %s", (tz, iso, date, time, month) => {
    expect(wallClock(at(iso), tz)).toMatchObject({ date, time, month, minuteOfDay: parseClock(time) });
    expect(localDate(at(iso), tz)).toBe(date);
    expect(localDayNumber(at(iso), tz)).toBe(dayNumber(date));
  });
});

describe("startOfLocalDate (the first instant of a local day)", () => {
  it.each([
    [NY, "2026-03-08", "2026-03-08T05:00:00.000Z"], // a 23-hour day
    [NY, "2026-03-09", "2026-03-09T04:00:00.000Z"],
    [NY, "2026-11-01", "2026-11-01T04:00:00.000Z"], // a 25-hour day
    [NY, "2026-11-02", "2026-11-02T05:00:00.000Z"],
    // Chile moves its clocks at midnight: 2026-09-06 00:00 does not exist, the day starts at 01:00 -03.
    ["America/Santiago", "2026-09-06", "2026-09-06T04:00:00.000Z"],
    ["Asia/Tokyo", "2026-01-01", "2025-12-31T15:00:00.000Z"],
    ["Asia/Taipei", "2026-01-01", "2025-12-31T16:00:00.000Z"],
    ["Asia/Bangkok", "2026-01-01", "2025-12-31T17:00:00.000Z"],
  ])("%s %s → %s", (tz, date, iso) => {
    expect(startOfLocalDate(date, tz).toISOString()).toBe(iso);
    expect(localDate(startOfLocalDate(date, tz), tz)).toBe(date);
    expect(localDate(startOfLocalDate(date, tz).getTime() - 1, tz)).not.toBe(date);
  });
});

describe("nextLocalTime (the next time the local clock shows HH:MM)", () => {
  it.each([
    // From 23:00 EST the night before the change, 02:30 is skipped: the clock reaches it at 03:00 EDT.
    [NY, "2026-03-08T04:00:00Z", "02:30", "2026-03-08T07:00:00.000Z"],
    [NY, "2026-03-08T06:45:00Z", "02:30", "2026-03-08T07:00:00.000Z"],
    [NY, "2026-03-08T07:00:00Z", "02:30", "2026-03-09T06:30:00.000Z"],
    // Fall back: 01:30 EDT, then again 01:30 EST an hour later.
    [NY, "2026-11-01T03:00:00Z", "01:30", "2026-11-01T05:30:00.000Z"],
    [NY, "2026-11-01T05:30:00Z", "01:30", "2026-11-01T06:30:00.000Z"],
    [NY, "2026-11-01T06:30:00Z", "01:30", "2026-11-02T06:30:00.000Z"],
    ["Asia/Tokyo", "2026-03-08T13:00:00Z", "08:00", "2026-03-08T23:00:00.000Z"],
    ["Asia/Taipei", "2026-03-08T15:00:00Z", "07:00", "2026-03-08T23:00:00.000Z"],
    ["Asia/Bangkok", "2026-03-08T16:30:00Z", "07:00", "2026-03-09T00:00:00.000Z"],
  ])("%s after %s, %s → %s", (tz, iso, clock, expected) => {
    expect(nextLocalTime(at(iso), parseClock(clock)!, tz).toISOString()).toBe(expected);
  });
});

describe("small helpers", () => {
  it("day numbers, clocks, zones", () => {
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(dateOfDayNumber(dayNumber("2026-03-08"))).toBe("2026-03-08");
    expect(parseClock("7:05")).toBe(425);
    expect(parseClock("24:00")).toBeNull();
    expect(parseClock("ab")).toBeNull();
    expect(formatClock(425)).toBe("07:05");
    expect(isValidTimeZone("Asia/Bangkok")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});
