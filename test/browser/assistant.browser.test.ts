// The segment assistant in the real UI (issue 11), headless Chromium against the built sandbox app:
// in each admin language a goal typed in that language gets a proposal (summary, count and sample
// in that language); Approve saves the segment and lands in the broadcast composer with it as the
// audience and its estimate, nothing sent. Cancel lets the merchant say it again; Consult asks one
// question for a vague goal and proposes after the answer. Any console or page error fails.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { ROOT } from "~/adapters/infra/bootstrap.server";
import { db } from "~/db.server";
import { screenshot } from "./support/sandbox";
import { setUpAdminPages } from "./support/admin-pages";

const admin = setUpAdminPages();

type Locale = "en" | "ja" | "zh-TW" | "th";
type Strings = Record<string, Record<string, unknown>>;
const strings = (l: Locale): Strings => JSON.parse(fs.readFileSync(path.join(ROOT, `app/locales/${l}/admin.json`), "utf8")) as Strings;

/** The admin string `key` ("assistant.approve") in `locale`, with `{{x}}` filled from `vars`. */
function text(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
  let node: unknown = strings(locale);
  for (const k of key.split(".")) node = (node as Record<string, unknown>)[k];
  if (typeof node !== "string") throw new Error(`no string ${key} in ${locale}`);
  return node.replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars[v]));
}
function matches(locale: Locale, count: number): string {
  const key =
    count === 1 && strings(locale).segments.preview && "matches_one" in (strings(locale).segments.preview as object) ? "one" : "other";
  return text(locale, `segments.preview.matches_${key}`, { formatted: new Intl.NumberFormat(locale).format(count) });
}

/** The script a summary in that language is written in (English: no CJK or Thai letters). */
const SCRIPT: Record<Locale, RegExp> = {
  en: /^[^\u3040-\u30ff\u4e00-\u9fff\u0e00-\u0e7f]+$/,
  ja: /[\u3040-\u30ff]/,
  "zh-TW": /[\u4e00-\u9fff]/,
  th: /[\u0e00-\u0e7f]/,
};

/** A page of the logged-in merchant that records every console error and page error from now on. */
async function openWatched(pathname: string, locale: Locale): Promise<{ page: Page; problems: string[] }> {
  // Each case starts a new conversation (one left open by a failed case would be resumed).
  await db().assistantConversation.updateMany({ where: { shopId: shopId(), status: "open" }, data: { status: "cancelled" } });
  const page = await admin.expectPageLoads(pathname, { locale });
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console.error: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return { page, problems };
}

const panel = (page: Page) => page.locator("#assistant");

async function say(page: Page, locale: Locale, goal: string) {
  await panel(page).getByLabel(text(locale, "assistant.goalLabel")).fill(goal);
  await panel(page)
    .getByRole("button", { name: text(locale, "assistant.send"), exact: true })
    .click();
}

/** Waits for the proposal and returns the panel's text. */
async function proposal(page: Page, locale: Locale): Promise<string> {
  await panel(page)
    .getByRole("button", { name: text(locale, "assistant.approve") })
    .waitFor({ timeout: 60_000 });
  return panel(page).innerText();
}

const shopId = () => admin.ids.shopId;
const latestSegment = () => db().segment.findFirstOrThrow({ where: { shopId: shopId() }, orderBy: { id: "desc" } });

/** Goals of the same meaning (bought at least twice) in each language; the sandbox store has such friends. */
const GOALS: Record<Locale, string> = {
  en: "friends who bought at least 2 times",
  ja: "2回以上購入した友だち",
  "zh-TW": "購買2次以上的好友",
  th: "เพื่อนที่ซื้อ 2 ครั้งขึ้นไป",
};

describe("segment assistant in the admin", () => {
  for (const locale of Object.keys(GOALS) as Locale[]) {
    it(`${locale}: goal → proposal with count and sample → Approve → composer with the segment`, async () => {
      const broadcastsBefore = await db().broadcast.count({ where: { shopId: shopId() } });
      const { page, problems } = await openWatched("/app/segments", locale);
      await say(page, locale, GOALS[locale]);
      const shown = await proposal(page, locale);
      await screenshot(page, `assistant-proposal-${locale}`);
      // The assistant answered once, with the summary in this language.
      const answers = panel(page).locator('[data-role="assistant"]');
      expect(await answers.count()).toBe(1);
      expect(await answers.innerText()).toMatch(SCRIPT[locale]);
      // Sample friends with their linked badge in this language.
      expect(shown).toMatch(new RegExp(`${text(locale, "segments.preview.linked")}|${text(locale, "segments.preview.notLinked")}`));

      await panel(page)
        .getByRole("button", { name: text(locale, "assistant.approve") })
        .click();
      await page.waitForURL(/\/app\/broadcasts\/new\?segmentId=\d+$/, { timeout: 60_000 });
      const segment = await latestSegment();
      expect(page.url()).toContain(`segmentId=${segment.id}`);
      expect(segment.definition).toMatchObject({ groups: [{ conditions: [{ field: "purchaseCount", op: "gte", value: 2 }] }] });
      // The count the proposal showed is the saved segment's.
      expect(shown).toContain(matches(locale, segment.memberCount ?? -1));
      expect(segment.memberCount).toBeGreaterThan(0);

      // The composer renders once its loader answered (the URL can change first).
      await page.getByText(text(locale, "broadcasts.compose.preselected", { name: segment.name })).waitFor({ timeout: 60_000 });
      expect(await page.getAttribute("html", "lang")).toBe(locale);
      expect(await page.getByLabel(text(locale, "broadcasts.compose.include", { name: segment.name })).isChecked()).toBe(true);
      await expect.poll(() => page.locator("#estimate").innerText(), { timeout: 60_000 }).toMatch(/\d/);
      await screenshot(page, `assistant-composer-${locale}`);
      // Approve prepared a broadcast; nothing was created or sent.
      expect(await db().broadcast.count({ where: { shopId: shopId() } })).toBe(broadcastsBefore);
      expect(problems).toEqual([]);
      await page.close();
    }, 90_000);
  }

  it("Cancel clears the proposal, saves nothing, and the merchant says it again", async () => {
    const segmentsBefore = await db().segment.count({ where: { shopId: shopId() } });
    const { page, problems } = await openWatched("/app/segments", "en");
    await say(page, "en", "friends who never purchased");
    await proposal(page, "en");
    await panel(page)
      .getByRole("button", { name: text("en", "assistant.cancel"), exact: true })
      .click();
    await expect.poll(() => panel(page).innerText(), { timeout: 60_000 }).toContain(text("en", "assistant.cancelled"));
    expect(
      await panel(page)
        .getByRole("button", { name: text("en", "assistant.approve") })
        .count(),
    ).toBe(0);
    expect(await panel(page).innerText()).not.toContain("friends who never purchased");
    expect(await db().segment.count({ where: { shopId: shopId() } })).toBe(segmentsBefore);

    await say(page, "en", "friends who bought at least 3 times");
    const shown = await proposal(page, "en");
    expect(shown).toContain("friends who bought at least 3 times");
    expect(shown).not.toContain("friends who never purchased");
    // The conversation is kept for the merchant: reopening the page resumes it.
    await page.reload();
    await page.waitForLoadState("networkidle");
    expect(await proposal(page, "en")).toContain("friends who bought at least 3 times");
    await panel(page)
      .getByRole("button", { name: text("en", "assistant.cancel"), exact: true })
      .click();
    await expect.poll(() => panel(page).innerText(), { timeout: 60_000 }).toContain(text("en", "assistant.cancelled"));
    expect(await db().segment.count({ where: { shopId: shopId() } })).toBe(segmentsBefore);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("Consult asks one question for a vague goal and proposes after the answer", async () => {
    const { page, problems } = await openWatched("/app/segments", "en");
    await panel(page).getByLabel(text("en", "assistant.modeLabel")).selectOption("consult");
    await say(page, "en", "repeat customers");
    // One question, no proposal yet.
    const answers = panel(page).locator('[data-role="assistant"]');
    await expect.poll(() => answers.count(), { timeout: 60_000 }).toBe(1);
    expect(await answers.innerText()).toMatch(/\?/);
    expect(
      await panel(page)
        .getByRole("button", { name: text("en", "assistant.approve") })
        .count(),
    ).toBe(0);
    await screenshot(page, "assistant-consult-question");
    await say(page, "en", "3");
    await proposal(page, "en");
    await panel(page)
      .getByRole("button", { name: text("en", "assistant.approve") })
      .click();
    await page.waitForURL(/\/app\/broadcasts\/new\?segmentId=\d+$/, { timeout: 60_000 });
    const segment = await latestSegment();
    expect(segment.definition).toMatchObject({ groups: [{ conditions: [{ field: "purchaseCount", op: "gte", value: 3 }] }] });
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("the composer ignores a segmentId that is not one of the shop's segments", async () => {
    const page = await admin.expectPageLoads("/app/broadcasts/new?segmentId=999999", { locale: "en" });
    expect(await page.locator(".Polaris-Page").innerText()).not.toContain("from the segment assistant");
    expect(await page.locator('input[name="segmentIds"]').count()).toBe(0);
    await page.close();
  }, 60_000);
});
