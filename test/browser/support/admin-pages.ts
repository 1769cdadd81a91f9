// One helper for "this admin page loads": a sandbox with a seeded store plus real admin data
// (segment, tag, tag rule, rich menu, menu rule, broadcasts), a logged-in headless Chromium, and
// `expectPageLoads(path)` which fails on any console error, uncaught page error, failed document
// request or error boundary. Each page test is then one line (test/browser/admin-pages.browser.test.ts).
import { afterAll, beforeAll, expect } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { db } from "~/db.server";
import { resetEnv } from "~/config/env.server";
import { createSegment } from "~/services/segments/segments.server";
import { createTag, addTagToFriends, createTagRule, ensureTag } from "~/services/tags/tags.server";
import { HANDOFF_TAG } from "~/services/rich-menus/postbacks.server";
import { createMenuFromTemplate } from "~/services/rich-menus/menus.server";
import { saveRules } from "~/services/rich-menus/rules.server";
import { createBroadcast } from "~/services/broadcasts/broadcasts.server";
import { resources, type Language } from "~/i18n/config";
import { launchBrowser, startSandbox, type RunningSandbox } from "./sandbox";

/** Ids of the admin data seeded on top of the sandbox store, for page paths such as `/app/segments/${ids.segment}`. */
export interface SeededAdmin {
  shopId: number;
  segment: number;
  tag: number;
  richMenu: number;
  broadcast: number;
  friend: number;
  /** A friend linked to a Shopify customer (the friend page's unlink). */
  linkedFriend: number;
  /** The display name two seeded friends share ("Which menu would this friend see?" must ask which). */
  sharedName: string;
}

export interface AdminPages {
  readonly sandbox: RunningSandbox;
  readonly ids: SeededAdmin;
  /**
   * Opens `path` (e.g. "/app/segments") as the logged-in merchant, in `locale` (the `locale` query
   * parameter Shopify passes to embedded apps) when given. Resolves with the page once Polaris has
   * rendered it; fails the test on console errors, page errors, an HTTP error for the document, or
   * an error boundary. The page stays open for further assertions (closed with the context).
   */
  expectPageLoads(path: string, opts?: { locale?: string; allowStatus?: number }): Promise<Page>;
  /**
   * Fails when `page` (loaded in `locale`, not English) shows English UI text: any Latin-script word
   * in the visible text or in placeholders that is neither in that language's own translations
   * (brand and LINE terms such as "LINE", "Shopify", "CSV" that the translations keep) nor in the
   * shop's data (friend names and LINE user IDs; segment, tag, menu, broadcast, order and product names; the shop's name
   * and domain). Hard-coded English and untranslated keys both fail it.
   */
  expectNoEnglish(page: Page, locale: Exclude<Language, "en">): Promise<void>;
}

/** Marks an error boundary in the DOM (root.tsx renders it); a page test fails when it is present. */
export const ERROR_BOUNDARY_SELECTOR = "[data-error-boundary]";

async function seedAdminData(shopDomain: string): Promise<SeededAdmin> {
  const shop = await db().shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  const friends = await db().friend.findMany({ where: { shopId: shop.id, following: true }, orderBy: { id: "asc" }, take: 5 });
  const segment = await createSegment(
    shop.id,
    { name: "Repeat buyers", definition: { groups: [{ conditions: [{ field: "purchaseCount", op: "gte", value: 2 }] }] } },
    new Date(),
    { refresh: "inline" },
  );
  const tag = await createTag(shop.id, { name: "VIP" });
  await addTagToFriends(
    shop.id,
    tag.id,
    friends.map((f) => f.id),
  );
  await createTagRule(shop.id, { trigger: "segment_enter", match: String(segment.id), tagId: tag.id });
  const menu = await createMenuFromTemplate({ shopId: shop.id, name: "Main menu", template: "large-6", labels: ["ショップ", "新着"] });
  await saveRules(shop.id, [{ kind: "segment", segmentId: segment.id, richMenuId: menu.id, dwellHours: 24, enabled: true }]);
  const broadcast = await createBroadcast({
    shopId: shop.id,
    name: "Winter sale",
    messages: [{ type: "text", text: "Winter sale: 20% off until Sunday" }],
    audience: { segmentIds: [segment.id] },
  });
  // "Talk to us" was tapped: the Needs reply list has someone in it.
  const handoff = await ensureTag(shop.id, HANDOFF_TAG, "engagement");
  await addTagToFriends(shop.id, handoff.id, [friends[1].id], "rule");
  const sharedName = "Sato Mei";
  await db().friend.updateMany({
    where: { shopId: shop.id, id: { in: [friends[3].id, friends[4].id] } },
    data: { displayName: sharedName },
  });
  const linked = await db().friend.findFirstOrThrow({ where: { shopId: shop.id, customerId: { not: null } }, orderBy: { id: "asc" } });
  return {
    shopId: shop.id,
    segment: segment.id,
    tag: tag.id,
    richMenu: menu.id,
    broadcast: broadcast.id,
    friend: friends[0].id,
    linkedFriend: linked.id,
    sharedName,
  };
}

const LATIN_WORD = /[A-Za-z][A-Za-z'’]+/g;

function latinWords(text: string): string[] {
  return text.match(LATIN_WORD) ?? [];
}

/** Every string value of a (nested) translation resource. */
function resourceTexts(obj: object): string[] {
  return Object.values(obj).flatMap((v) => (typeof v === "object" && v !== null ? resourceTexts(v) : [String(v)]));
}

/** Latin words a page in `locale` may show: its own translations' words (placeholders removed). */
function translationWords(locale: Language): Set<string> {
  const texts = [...resourceTexts(resources[locale].admin), ...resourceTexts(resources[locale].customer)];
  return new Set(texts.flatMap((t) => latinWords(t.replace(/\{\{[^}]*\}\}/g, " "))));
}

/** Latin words of the shop's own data (names merchants and customers typed), which pages show as is. */
async function dataWords(shopId: number): Promise<Set<string>> {
  const where = { shopId };
  const [shop, friends, tags, segments, menus, broadcasts, orders, lines] = await Promise.all([
    db().shop.findUniqueOrThrow({ where: { id: shopId } }),
    db().friend.findMany({ where, select: { displayName: true, lineUserId: true } }),
    db().tag.findMany({ where, select: { name: true } }),
    db().segment.findMany({ where, select: { name: true } }),
    db().richMenu.findMany({ where, select: { name: true, chatBarText: true, areas: true } }),
    db().broadcast.findMany({ where, select: { name: true, messages: true } }),
    db().order.findMany({ where, select: { name: true } }),
    db().orderLine.findMany({ where: { order: { shopId } }, select: { title: true } }),
  ]);
  const texts = [shop.domain, shop.name ?? "", JSON.stringify([friends, tags, segments, menus, broadcasts, orders, lines])];
  return new Set(texts.flatMap(latinWords));
}

/**
 * Registers beforeAll/afterAll for one test file: starts the sandbox (`customers` synthetic
 * customers), seeds admin data and logs a browser context in.
 */
export function setUpAdminPages(opts: { customers?: number; startTimeoutMs?: number; region?: "JP" | "TW" | "TH" } = {}): AdminPages {
  let sandbox: RunningSandbox;
  let browser: Browser;
  let context: BrowserContext;
  let ids: SeededAdmin;
  const allowedWords: Partial<Record<Language, Set<string>>> = {};

  beforeAll(
    async () => {
      sandbox = await startSandbox({ customers: opts.customers ?? 30, startTimeoutMs: opts.startTimeoutMs, region: opts.region });
      // Services called from this process reach the sandbox's LINE emulator.
      Object.assign(process.env, {
        LINE_API_BASE_URL: sandbox.info.emulatorUrl,
        LINE_API_DATA_BASE_URL: sandbox.info.emulatorUrl,
        LINE_LOGIN_BASE_URL: sandbox.info.emulatorUrl,
      });
      resetEnv();
      ids = await seedAdminData(sandbox.info.shop);
      browser = await launchBrowser();
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      // No Shopify admin (and no internet) around the sandbox: never wait on Shopify's CDN.
      await context.route("https://cdn.shopify.com/**", (route) => route.fulfill({ contentType: "text/javascript", body: "" }));
      const login = await context.newPage();
      await login.goto(sandbox.info.adminUrl);
      await login.waitForSelector(".Polaris-Frame");
      await login.close();
    },
    (opts.startTimeoutMs ?? 480_000) + 60_000,
  );

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await sandbox?.stop();
  });

  return {
    get sandbox() {
      return sandbox;
    },
    get ids() {
      return ids;
    },
    async expectPageLoads(path, { locale, allowStatus } = {}) {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("console", (m) => {
        // The browser reports the expected error status of the document itself as a console error.
        if (allowStatus && m.text().includes(`status of ${allowStatus}`)) return;
        if (m.type() === "error") problems.push(`console.error: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      const url = new URL(path, sandbox.info.appUrl);
      if (locale) url.searchParams.set("locale", locale);
      const res = await page.goto(url.toString());
      const status = res?.status() ?? 0;
      if (status >= 400 && status !== allowStatus) problems.push(`HTTP ${status} for ${path}`);
      await page.waitForSelector(".Polaris-Page, " + ERROR_BOUNDARY_SELECTOR, { timeout: 60_000 });
      // Hydration runs after the HTML arrives: give React the chance to complain.
      await page.waitForLoadState("networkidle");
      if (await page.locator(ERROR_BOUNDARY_SELECTOR).count())
        problems.push(`error boundary: ${await page.locator(ERROR_BOUNDARY_SELECTOR).innerText()}`);
      if (locale && (await page.getAttribute("html", "lang")) !== locale) problems.push(`html lang is not ${locale}`);
      // U+FFFD drawn instead of a character (text decoded wrongly somewhere on the way to the page).
      const replaced = await page.evaluate(() =>
        [document.body.innerText, ...[...document.querySelectorAll("input, textarea")].map((e) => (e as HTMLInputElement).value)].filter(
          (t) => t.includes("\uFFFD"),
        ),
      );
      if (replaced.length) problems.push(`replacement character (U+FFFD) in: ${replaced.map((t) => t.slice(0, 200)).join(" | ")}`);
      expect(problems, `${path}${locale ? ` (${locale})` : ""}`).toEqual([]);
      return page;
    },
    async expectNoEnglish(page, locale) {
      allowedWords[locale] ??= new Set([...translationWords(locale), ...(await dataWords(ids.shopId))]);
      const allowed = allowedWords[locale];
      const visible = await page.evaluate(() =>
        [
          document.body.innerText,
          ...[...document.querySelectorAll("input[placeholder], textarea[placeholder]")].map((e) => e.getAttribute("placeholder")),
          // What a screen reader says for icons and regions (the phone preview said "Phone preview" in every language).
          ...[...document.querySelectorAll("main [aria-label]")].map((e) => e.getAttribute("aria-label")),
        ].join("\n"),
      );
      // URLs (the webhook URL), {{placeholders}} in message templates and currency symbols (NT$, HK$)
      // are not words a translation changes.
      const text = visible
        .replace(/https?:\/\/\S+/g, " ")
        .replace(/\{\{[^}]*\}\}/g, " ")
        .replace(/\b[A-Z]{1,3}\$/g, " ");
      const english = [...new Set(latinWords(text).filter((w) => !allowed.has(w)))];
      // Each with the text around it, so a failure says where the word is.
      const where = english.map((w) => {
        const i = text.search(new RegExp(`\\b${w}\\b`));
        return `${w}: …${text.slice(Math.max(0, i - 40), i + w.length + 40).replace(/\s+/g, " ")}…`;
      });
      expect(where, `English on ${new URL(page.url()).pathname} (${locale})`).toEqual([]);
    },
  };
}
