// Shared by regions-tw / regions-th.browser.test.ts (one sandbox per file: a file's sandboxes share
// its database). The admin as a merchant outside Japan sees it: a Taiwanese store (TWD, Asia/Taipei,
// zh-TW) and a Thai store (THB, Asia/Bangkok, th), every page in the store's language. Besides "no
// English" and "no console error": no yen or Tokyo leaking from the Japanese default, money in the
// shop currency with its usual decimals, dates in the Gregorian calendar (Thai Intl defaults to the
// Buddhist era), Traditional Chinese punctuation, and the interactions that word server answers
// (estimate, save errors, date range).
import { expect } from "vitest";
import type { Page } from "playwright-core";

export const REGION_PAGES: Array<[string, (ids: { friend: number; segment: number; broadcast: number; richMenu: number }) => string]> = [
  ["Home", () => "/app"],
  ["Dashboard", () => "/app/dashboard"],
  ["Friends", () => "/app/friends"],
  ["Friend", (ids) => `/app/friends/${ids.friend}`],
  ["Segments", () => "/app/segments"],
  ["Segment editor", (ids) => `/app/segments/${ids.segment}`],
  ["Tags", () => "/app/tags"],
  ["New broadcast", () => "/app/broadcasts/new"],
  ["Broadcast report", (ids) => `/app/broadcasts/${ids.broadcast}`],
  ["Abandoned cart automation", () => "/app/automations/abandoned-cart"],
  ["Lifecycle automations", () => "/app/automations/lifecycle"],
  ["Rich menu designer", (ids) => `/app/rich-menus/${ids.richMenu}`],
  ["Menu rules", () => "/app/menu-rules"],
  ["Settings", () => "/app/settings"],
  ["Consent settings", () => "/app/settings/consent"],
  ["Integrations", () => "/app/integrations"],
];

export const THAI_MONTH = String.raw`(?:ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.)`;

export async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector("main")?.innerText ?? document.body.innerText);
}

/** What a store outside Japan must never see: the Japanese defaults' currency and time zone, ISO timestamps. */
export function expectNoJapanLeak(text: string, where: string) {
  expect(text.match(/[¥￥]|JPY|Tokyo|東京|日本標準時|Asia\/\w+|\d{4}-\d{2}-\d{2}T\d{2}:/g) ?? [], where).toEqual([]);
}
