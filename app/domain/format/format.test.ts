import { describe, expect, it } from "vitest";
import {
  currencyName,
  formatDate,
  formatDateTime,
  formatHours,
  formatMoney,
  formatNumber,
  formatPercent,
  formatTimeZone,
  languageName,
  regionName,
} from "./format";

// 2026-12-28T01:00:00Z is 10:00 on Dec 28 in Tokyo, 09:00 in Taipei, 08:00 in Bangkok.
const at = new Date("2026-12-28T01:00:00Z");

describe("formatDateTime", () => {
  it.each([
    ["en", "Asia/Tokyo", /^Dec 28, 2026, 10:00\sAM$/],
    ["ja", "Asia/Tokyo", /^2026\/12\/28 10:00$/],
    ["zh-TW", "Asia/Taipei", /^2026年12月28日 上午9:00$/],
    ["th", "Asia/Bangkok", /^28 ธ\.ค\. 2026 08:00$/],
    ["en", "UTC", /^Dec 28, 2026, 1:00\sAM$/],
  ])("%s in %s", (locale, timeZone, expected) => {
    expect(formatDateTime(at, { locale, timeZone, currency: "JPY" })).toMatch(expected);
  });

  it("uses the shop's calendar date, not UTC's", () => {
    expect(formatDate("2026-12-27T16:30:00Z", { locale: "ja", timeZone: "Asia/Tokyo", currency: "JPY" })).toBe("2026/12/28");
    expect(formatDate("2026-12-27T16:30:00Z", { locale: "ja", timeZone: "UTC", currency: "JPY" })).toBe("2026/12/27");
  });
});

describe("formatMoney", () => {
  it.each([
    ["en", "JPY", 4000, "¥4,000"],
    ["ja", "JPY", 4000, "￥4,000"],
    // TWD: whole amounts as Taiwan prices them (NT$800), cents only when there are any.
    ["zh-TW", "TWD", 4000, "NT$4,000"],
    ["zh-TW", "TWD", 0.2, "NT$0.20"],
    ["en", "TWD", 1234.5, "NT$1,234.50"],
    ["th", "TWD", 800, "NT$800"],
    ["th", "THB", 4000, "฿4,000.00"],
    ["en", "THB", 4000, "฿4,000.00"],
    ["en", "USD", 12.5, "$12.50"],
    ["ja", "HKD", 10, "HK$10.00"],
  ])("%s %s %d", (locale, currency, amount, expected) => {
    expect(formatMoney(amount, { locale, currency, timeZone: "UTC" })).toBe(expected);
  });

  it("accepts decimal strings (Prisma Decimal as JSON)", () => {
    expect(formatMoney("4000.00", { locale: "en", currency: "JPY", timeZone: "UTC" })).toBe("¥4,000");
  });
});

describe("numbers", () => {
  it("groups and percents in the locale", () => {
    expect(formatNumber(1234567, { locale: "ja" })).toBe("1,234,567");
    expect(formatPercent(0.1234, { locale: "en" })).toBe("12.3%");
  });

  it.each([
    [72, "en", "3 days"],
    [36, "en", "36 hours"],
    [0.75, "en", "45 minutes"],
    [48, "ja", "2 日"],
    [999_999, "en", "999,999 hours"],
  ])("formatHours(%d, %s)", (hours, locale, expected) => {
    expect(formatHours(hours, { locale })).toBe(expected);
  });
});

describe("names in the admin language", () => {
  it("says the shop's time zone in words, not its IANA id", () => {
    expect(formatTimeZone({ locale: "ja", timeZone: "Asia/Tokyo" })).toBe("日本標準時");
    expect(formatTimeZone({ locale: "zh-TW", timeZone: "Asia/Taipei" })).toBe("台北標準時間");
    expect(formatTimeZone({ locale: "th", timeZone: "Asia/Bangkok" })).toBe("เวลาอินโดจีน");
    expect(formatTimeZone({ locale: "en", timeZone: "Asia/Tokyo" })).toBe("Japan Standard Time");
    expect(formatTimeZone({ locale: "ja", timeZone: "Not/AZone" })).toBe("Not/AZone");
  });

  it("names countries, currencies and languages", () => {
    expect(regionName("JP", "ja")).toBe("日本");
    expect(regionName("TW", "zh-TW")).toBe("台灣");
    expect(currencyName("THB", "th")).toBe("บาท");
    expect(currencyName("TWD", "zh-TW")).toBe("新台幣");
    expect(languageName("ja", "en")).toBe("Japanese");
    expect(languageName("zh-TW", "ja")).toBe("中国語 (台湾)");
  });
});
