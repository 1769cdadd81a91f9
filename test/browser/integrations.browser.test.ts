// Issue 12's "Done when" in a real browser (headless Chromium against the built sandbox, with the
// HubSpot and Klaviyo stand-ins started and seeded by it): the merchant sees no HubSpot / Klaviyo
// conditions before connecting, connects both stand-ins on /app/integrations with their sandbox
// credentials, syncs and sees match counts, then builds a segment mixing Shopify, HubSpot and
// Klaviyo conditions in the editor's pickers, previews and saves it. The expected audience is
// computed here from what the stand-ins hold (read over their HTTP APIs) and the store (the
// generator's customer emails, the friends and customers in the database) — not by the segment SQL.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { db } from "~/db.server";
import { generateStore } from "../../scripts/sandbox/generator";
import { KLAVIYO_REVISION } from "../../emulator/klaviyo/index";
import { setUpAdminPages } from "./support/admin-pages";
import { screenshot } from "./support/sandbox";

const CUSTOMERS = 80;
const SEED = 42; // scripts/sandbox.ts default
const MIN_PURCHASES = 2;
const KLAVIYO_LIST = "Newsletter";
// A bigger store than the page tests' 30 customers, so both groups have members; its start (900
// webhooks, friends, links) takes minutes when the machine is busy.
const admin = setUpAdminPages({ customers: CUSTOMERS, startTimeoutMs: 900_000 });

interface Contact {
  email: string | null;
  lineUserId: string | null;
  lifecycleStage: string | null;
}

/** Every HubSpot contact of the stand-in, through its public API (GET /crm/v3/objects/contacts). */
async function hubspotContacts(): Promise<Contact[]> {
  const { url, accessToken } = admin.sandbox.info.hubspot;
  const out: Contact[] = [];
  let after: string | undefined;
  do {
    const q = new URLSearchParams({ limit: "100", properties: "email,lifecyclestage,line_user_id" });
    if (after) q.set("after", after);
    const res = await fetch(`${url}/crm/v3/objects/contacts?${q}`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as {
      results: Array<{ properties: Record<string, string | null> }>;
      paging?: { next?: { after: string } };
    };
    for (const r of page.results)
      out.push({
        email: r.properties.email ?? null,
        lineUserId: r.properties.line_user_id || null,
        lifecycleStage: r.properties.lifecyclestage ?? null,
      });
    after = page.paging?.next?.after;
  } while (after);
  return out;
}

async function klaviyoGet<T>(pathOrUrl: string): Promise<T> {
  const { url, apiKey } = admin.sandbox.info.klaviyo;
  const res = await fetch(pathOrUrl.startsWith("http") ? pathOrUrl : `${url}${pathOrUrl}`, {
    headers: { authorization: `Klaviyo-API-Key ${apiKey}`, revision: KLAVIYO_REVISION, accept: "application/vnd.api+json" },
  });
  expect(res.status, pathOrUrl).toBe(200);
  return (await res.json()) as T;
}

/** Every page of a Klaviyo collection (links.next). */
async function klaviyoAll<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | null = path;
  while (next) {
    const page: { data: T[]; links?: { next?: string | null } } = await klaviyoGet(next);
    out.push(...page.data);
    next = page.links?.next ?? null;
  }
  return out;
}

/** Klaviyo profiles with their membership of KLAVIYO_LIST, through the stand-in's public API. */
async function klaviyoProfiles(): Promise<Array<Contact & { inList: boolean }>> {
  const profiles = await klaviyoAll<{ id: string; attributes: { email?: string | null; properties?: Record<string, unknown> } }>(
    "/api/profiles?page[size]=100",
  );
  const lists = await klaviyoAll<{ id: string; attributes: { name: string } }>("/api/lists");
  const list = lists.find((l) => l.attributes.name === KLAVIYO_LIST)!;
  expect(list, KLAVIYO_LIST).toBeDefined();
  const members = new Set((await klaviyoAll<{ id: string }>(`/api/lists/${list.id}/relationships/profiles`)).map((m) => m.id));
  return profiles.map((p) => ({
    email: p.attributes.email ?? null,
    lineUserId: typeof p.attributes.properties?.line_user_id === "string" ? p.attributes.properties.line_user_id : null,
    lifecycleStage: null,
    inList: members.has(p.id),
  }));
}

/**
 * The segment's audience, computed from its meaning (docs/segments.md, docs/integrations.md
 * "Matching"): a contact belongs to the friend whose LINE user id it carries, else to the friend
 * linked to the store customer with its email. Returns every matching friend id and the sendable ones.
 */
async function expectedAudience(shopId: number) {
  // Store data: the generator's customer emails (the database keeps only their hashes).
  const emailOf = new Map<bigint, string>();
  for (const ev of generateStore({ customers: CUSTOMERS, seed: SEED, shopDomain: admin.sandbox.info.shop }))
    if (ev.kind === "webhook" && (ev.topic === "customers/create" || ev.topic === "customers/update")) {
      const c = ev.payload as { id: number; email?: string | null };
      if (c.email) emailOf.set(BigInt(c.id), c.email.trim().toLowerCase());
    }
  const customers = await db().customer.findMany({ where: { shopId }, select: { id: true, shopifyCustomerId: true, purchaseCount: true } });
  const friends = await db().friend.findMany({
    where: { shopId },
    select: { id: true, lineUserId: true, customerId: true, following: true, marketingOptOut: true },
  });
  const customerByEmail = new Map<string, number>();
  for (const c of [...customers].sort((a, b) => a.id - b.id)) {
    const email = emailOf.get(c.shopifyCustomerId);
    if (email && !customerByEmail.has(email)) customerByEmail.set(email, c.id);
  }
  const friendByLine = new Map(friends.map((f) => [f.lineUserId, f.id]));
  const friendByCustomer = new Map(friends.filter((f) => f.customerId !== null).map((f) => [f.customerId!, f.id]));
  const friendOf = (c: Contact) => {
    const byLine = c.lineUserId ? friendByLine.get(c.lineUserId) : undefined;
    if (byLine !== undefined) return byLine;
    const customer = c.email ? customerByEmail.get(c.email.trim().toLowerCase()) : undefined;
    return customer !== undefined ? friendByCustomer.get(customer) : undefined;
  };
  const hubspot = await hubspotContacts();
  const klaviyo = await klaviyoProfiles();
  const hubspotLinked = new Set(hubspot.map(friendOf).filter((f) => f !== undefined));
  const hubspotCustomers = new Set(hubspot.filter((c) => c.lifecycleStage === "customer").map(friendOf));
  const inKlaviyoList = new Set(klaviyo.filter((p) => p.inList).map(friendOf));
  const purchases = new Map(customers.map((c) => [c.id, c.purchaseCount]));
  const all = friends.filter(
    (f) =>
      (f.customerId !== null && (purchases.get(f.customerId) ?? 0) >= MIN_PURCHASES) ||
      (hubspotLinked.has(f.id) && hubspotCustomers.has(f.id) && inKlaviyoList.has(f.id)),
  );
  const group2 = friends.filter((f) => hubspotLinked.has(f.id) && hubspotCustomers.has(f.id) && inKlaviyoList.has(f.id));
  return {
    all: all.map((f) => f.id).sort((a, b) => a - b),
    sendable: all.filter((f) => f.following && !f.marketingOptOut).length,
    group2Only: group2.filter((f) => !(f.customerId !== null && (purchases.get(f.customerId) ?? 0) >= MIN_PURCHASES)).length,
    hubspotFriends: hubspotLinked.size,
    klaviyoFriends: new Set(klaviyo.map(friendOf).filter((f) => f !== undefined)).size,
    /** Per provider: "<email or LINE user id> → friend id" for every contact that has a friend (failure messages). */
    matches: {
      hubspot: hubspot.flatMap((c) => (friendOf(c) !== undefined ? [`${c.email ?? c.lineUserId} → ${friendOf(c)}`] : [])).sort(),
      klaviyo: klaviyo.flatMap((c) => (friendOf(c) !== undefined ? [`${c.email ?? c.lineUserId} → ${friendOf(c)}`] : [])).sort(),
    },
  };
}

async function fieldOptions(page: Page): Promise<string[]> {
  return page.getByLabel("Field").first().locator("option").allInnerTexts();
}

/** Picks `option` in the search-and-pick field labelled `label` (the nth such field). */
async function pick(page: Page, label: string, search: string, option: string, nth = 0) {
  await searchField(page, label).nth(nth).fill(search);
  await page.locator(".Polaris-Popover").getByRole("option", { name: option, exact: true }).click();
}

/** The search field of a search-and-pick (an input with role combobox; native selects are comboboxes too). */
function searchField(page: Page, label: string) {
  return page.locator("input").and(page.getByRole("combobox", { name: label }));
}

async function connect(
  page: Page,
  provider: "HubSpot" | "Klaviyo",
  credentialLabel: string,
  credential: string,
  lineUserIdProperty: string,
) {
  const section = page.locator(".Polaris-Layout__AnnotatedSection").filter({ hasText: provider });
  await section.getByLabel(credentialLabel).fill(credential);
  await section.getByLabel("Property holding the LINE user ID").fill(lineUserIdProperty);
  await section.getByRole("button", { name: "Connect" }).click();
  await section.getByText("Connected to").waitFor({ timeout: 30_000 });
}

describe("HubSpot and Klaviyo in segments (issue 12, done when)", () => {
  it("connect both stand-ins, sync, see match counts, build a mixed segment: preview and saved count are right", async () => {
    const shopId = admin.ids.shopId;

    // Before connecting: no HubSpot / Klaviyo conditions in the editor.
    let page = await admin.expectPageLoads("/app/segments/new", { locale: "en" });
    await page.getByRole("button", { name: "Add group" }).click();
    const before = await fieldOptions(page);
    expect(before).toContain("Number of purchases");
    expect(before.filter((o) => /HubSpot|Klaviyo/.test(o))).toEqual([]);
    await page.close();

    // Connect both with the stand-ins' sandbox credentials.
    page = await admin.expectPageLoads("/app/integrations", { locale: "en" });
    await connect(page, "HubSpot", "Private app access token", admin.sandbox.info.hubspot.accessToken, "line_user_id");
    await connect(page, "Klaviyo", "Private API key", admin.sandbox.info.klaviyo.apiKey, "properties.line_user_id");

    // The first (full) syncs run in the worker; the page follows them. Then "Sync now" (incremental).
    const expected = await expectedAudience(shopId);
    const countsText = (provider: string) =>
      page
        .locator(".Polaris-Layout__AnnotatedSection")
        .filter({ hasText: provider })
        .getByText(/ contacts · /)
        .innerText();
    const waitForCounts = async (provider: string, contacts: number, friends: number) =>
      expect
        .poll(() => countsText(provider), { timeout: 120_000, interval: 1000 })
        .toMatch(new RegExp(`^${contacts} contacts · \\d+ matched to customers · ${friends} matched to friends · \\d+ lists$`));
    const matchedFriends = async (provider: "hubspot" | "klaviyo") =>
      (
        await db().integrationContact.findMany({
          where: { shopId, provider, friendId: { not: null } },
          select: { email: true, lineUserId: true, friendId: true },
        })
      )
        .map((c) => `${c.email ?? c.lineUserId} → ${c.friendId}`)
        .sort();
    for (const provider of ["hubspot", "klaviyo"] as const)
      await expect.poll(() => matchedFriends(provider), { timeout: 180_000, interval: 1000 }).toEqual(expected.matches[provider]);
    await waitForCounts("HubSpot", admin.sandbox.info.hubspot.contacts, expected.hubspotFriends);
    await waitForCounts("Klaviyo", admin.sandbox.info.klaviyo.profiles, expected.klaviyoFriends);
    const hubspotSection = page.locator(".Polaris-Layout__AnnotatedSection").filter({ hasText: "HubSpot" });
    await hubspotSection.getByRole("button", { name: "Sync now" }).click();
    await hubspotSection.getByText("Sync requested.").waitFor();
    await expect
      .poll(() => hubspotSection.getByText(/Last Incremental sync finished/).count(), { timeout: 60_000, interval: 1000 })
      .toBe(1);
    // "1 contact", not "1 contacts" (the incremental run reads the contact at its time boundary again).
    expect(await hubspotSection.getByText(/Last Incremental sync finished/).innerText()).toMatch(
      /: (1 contact|(\d*[02-9]|\d+\d) contacts)\.$/,
    );
    await waitForCounts("HubSpot", admin.sandbox.info.hubspot.contacts, expected.hubspotFriends);
    await screenshot(page, "integrations-connected");
    await page.close();

    // The editor now offers their conditions, lists and properties.
    page = await admin.expectPageLoads("/app/segments/new", { locale: "en" });
    await page.getByLabel("Segment name").fill("Repeat buyers or HubSpot customers on the newsletter");
    await page.getByRole("button", { name: "Add group" }).click();
    const after = await fieldOptions(page);
    for (const f of [
      "Linked to HubSpot contact",
      "HubSpot list",
      "HubSpot contact property",
      "Linked to Klaviyo profile",
      "Klaviyo list",
      "Klaviyo profile property",
    ])
      expect(after).toContain(f);

    // Group 1: Shopify linked AND purchases ≥ MIN_PURCHASES.
    const field = (n: number) => page.getByLabel("Field").nth(n);
    await field(0).selectOption({ label: "Linked to Shopify customer" });
    await page.getByRole("button", { name: "Add condition" }).nth(0).click();
    await field(1).selectOption({ label: "Number of purchases" });
    await page.getByRole("spinbutton", { name: "Value" }).nth(0).fill(String(MIN_PURCHASES));

    // Group 2: HubSpot linked AND lifecycle stage is "customer" AND in the Klaviyo list.
    await page.getByRole("button", { name: "Add group" }).click();
    await field(2).selectOption({ label: "Linked to HubSpot contact" });
    await page.getByRole("button", { name: "Add condition" }).nth(1).click();
    await field(3).selectOption({ label: "HubSpot contact property" });
    const property = page.getByLabel("Property").nth(0);
    const propertyOptions = await property.locator("option").allInnerTexts();
    expect(propertyOptions).toEqual(expect.arrayContaining(["Lifecycle Stage", "Lead Status", "LINE user ID"]));
    await property.selectOption({ label: "Lifecycle Stage" });
    await pick(page, "Value", "Cust", "Customer");
    await page.getByRole("button", { name: "Add condition" }).nth(1).click();
    await field(4).selectOption({ label: "Klaviyo list" });
    await searchField(page, "Lists").click();
    const listOptions = (await page.locator(".Polaris-Popover").getByRole("option").allInnerTexts()).map((o) => o.trim());
    expect(listOptions).toEqual(expect.arrayContaining(["Newsletter", "VIP Club", "Back in stock", "Engaged (90 days)", "Gold plan"]));
    await pick(page, "Lists", "News", KLAVIYO_LIST);

    // The preview counts the sendable members.
    const matches = expected.sendable === 1 ? "1 friend matches" : `${expected.sendable} friends match`;
    await expect.poll(() => page.getByText(/ friends? match/).innerText(), { timeout: 30_000 }).toBe(matches);
    expect(expected.group2Only, "the HubSpot/Klaviyo group adds friends the Shopify group does not have").toBeGreaterThan(0);
    await screenshot(page, "integrations-segment");

    await page.getByRole("button", { name: "Save segment" }).click();
    await page.waitForURL(/\/app\/segments\/\d+/);
    const id = Number(new URL(page.url()).pathname.split("/").pop());
    const segment = await db().segment.findFirstOrThrow({ where: { id, shopId } });
    expect(segment.definition).toEqual({
      groups: [
        {
          conditions: [
            { field: "shopifyLinked", op: "is", value: true },
            { field: "purchaseCount", op: "gte", value: MIN_PURCHASES },
          ],
        },
        {
          conditions: [
            { field: "hubspotLinked", op: "is", value: true },
            { field: "hubspotProperty", property: "lifecyclestage", op: "hasAny", value: ["customer"] },
            { field: "klaviyoList", op: "hasAny", value: [expect.any(String)] },
          ],
        },
      ],
    });
    expect(segment.memberCount).toBe(expected.sendable);
    // The membership rows (every matching friend, sendable or not) follow in the worker.
    await expect
      .poll(
        async () =>
          (
            await db().segmentMembership.findMany({ where: { segmentId: id }, select: { friendId: true }, orderBy: { friendId: "asc" } })
          ).map((m) => m.friendId),
        { timeout: 60_000, interval: 500 },
      )
      .toEqual(expected.all);
    await page.close();
    const list = await admin.expectPageLoads("/app/segments", { locale: "en" });
    await list.getByRole("row").filter({ hasText: segment.name }).getByText(String(expected.sendable), { exact: true }).waitFor();
    await list.close();
  }, 300_000);
});
