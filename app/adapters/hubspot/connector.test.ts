// Contract test: the HubSpot connector through the real @hubspot/api-client against the stand-in
// (emulator/hubspot): pagination, incremental search, lists, write-back, and error classification.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHubSpotStandIn, type HubSpotStandIn } from "../../../emulator/hubspot/index";
import { IntegrationError, type IntegrationConnector } from "~/domain/integrations/types";
import { WRITE_BACK_PROPERTIES } from "~/domain/integrations/types";
import { classifyHubSpotError, hubspotConnector } from "./connector.server";

const TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";
let hs: HubSpotStandIn;
let hubspot: IntegrationConnector;

beforeAll(async () => {
  hs = await startHubSpotStandIn();
  hs.state.tokens.add(TOKEN);
  const t0 = Date.parse("2026-11-01T00:00:00Z");
  for (let i = 0; i < 250; i++)
    hs.state.addContact(
      {
        email: `c${i}@example.com`,
        phone: i % 2 ? `+8190000${String(i).padStart(4, "0")}` : null,
        num_associated_deals: String(i % 3),
        lifecyclestage: "lead",
      },
      new Date(t0 + i * 60_000),
    );
  hs.state.addList("VIP", ["101", "150", "300"], "MANUAL");
  hs.state.addList("Active buyers", [...hs.state.contacts.keys()], "DYNAMIC");
});
afterAll(() => hs.close());
beforeEach(() => {
  hs.state.faults = { rateLimitEvery: 0, retryAfterSeconds: 1, failNext: [], delayMs: 0 };
  hs.state.calls = 0;
  hubspot = hubspotConnector({ accessToken: TOKEN, lineUserIdProperty: null, baseUrl: hs.url });
});

async function drain<T>(page: (cursor: string | null) => Promise<{ items: T[]; next: string | null }>) {
  const all: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const p = await page(cursor);
    all.push(...p.items);
    cursor = p.next;
    pages++;
  } while (cursor);
  return { all, pages };
}

describe("hubspot connector (real SDK → stand-in)", () => {
  it("tests the connection: the portal id, or unauthorized for a wrong token", async () => {
    expect(await hubspot.testConnection()).toEqual({ accountId: String(hs.state.portalId), accountName: `HubSpot ${hs.state.portalId}` });
    const wrong = hubspotConnector({ accessToken: "pat-na1-wrong", lineUserIdProperty: null, baseUrl: hs.url });
    await expect(wrong.testConnection()).rejects.toMatchObject({ kind: "unauthorized" });
    await expect(wrong.pageContacts(null, null)).rejects.toMatchObject({ kind: "unauthorized" });
  });

  it("pages every contact exactly once with typed properties", async () => {
    const { all, pages } = await drain((c) => hubspot.pageContacts(c, null));
    expect(pages).toBe(3);
    expect(new Set(all.map((c) => c.externalId)).size).toBe(250);
    const second = all.find((c) => c.email === "c1@example.com")!;
    expect(second).toMatchObject({ phone: "+81900000001", lineUserId: null });
    expect(second.properties).toMatchObject({ num_associated_deals: 1, lifecyclestage: "lead" });
    expect(second.updatedAt).toEqual(new Date("2026-11-01T00:01:00Z"));
  });

  it("incremental: contacts modified at or after `since`, oldest first", async () => {
    const since = new Date("2026-11-01T03:00:00Z"); // contact #180 onwards
    const { all } = await drain((c) => hubspot.pageContacts(c, since));
    expect(all).toHaveLength(70);
    const times = all.map((c) => c.updatedAt!.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBe(since.getTime());
  });

  it("lists (with kind and size) and their members across pages", async () => {
    const { all: lists } = await drain((c) => hubspot.listLists(c));
    expect(lists).toEqual([
      { externalId: "1", name: "VIP", kind: "list", memberCount: 3 },
      { externalId: "2", name: "Active buyers", kind: "segment", memberCount: 250 },
    ]);
    const { all: members, pages } = await drain((c) => hubspot.pageListMembers("2", c));
    expect(pages).toBe(1);
    expect(new Set(members).size).toBe(250);
    const many = hs.state.addList("Big", [...hs.state.contacts.keys(), "9999"], "MANUAL"); // 251: two pages of 250
    const big = await drain((c) => hubspot.pageListMembers(many.listId, c));
    expect(big.pages).toBe(2);
    expect(big.all).toHaveLength(251);
  });

  it("properties: enumeration options, booleans and numbers as the editor's types", async () => {
    const props = await hubspot.listProperties();
    expect(props.find((p) => p.name === "lifecyclestage")).toMatchObject({
      type: "enumeration",
      options: expect.arrayContaining([{ value: "customer", label: "Customer" }]),
    });
    expect(props.find((p) => p.name === "num_associated_deals")).toMatchObject({ type: "number" });
    expect(props.find((p) => p.name === "lastmodifieddate")).toMatchObject({ type: "datetime" });
  });

  it("429: rate_limited with Retry-After in ms, or the policy's window when the header is absent", async () => {
    hs.state.faults.rateLimitEvery = 1;
    hs.state.faults.retryAfterSeconds = 3;
    const err = await hubspot.pageContacts(null, null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ kind: "rate_limited", retryAfterMs: 3000 });
    hs.state.faults.retryAfterSeconds = null;
    await expect(hubspot.listLists(null)).rejects.toMatchObject({ kind: "rate_limited", retryAfterMs: 1000 });
  });

  it("5xx is transient, 404 invalid, a refused connection transient", async () => {
    hs.state.faults.failNext.push({ status: 502, remaining: 1 });
    await expect(hubspot.listLists(null)).rejects.toMatchObject({ kind: "transient" });
    await expect(hubspot.pageListMembers("424242", null)).rejects.toMatchObject({ kind: "invalid" });
    const down = hubspotConnector({ accessToken: TOKEN, lineUserIdProperty: null, baseUrl: "http://127.0.0.1:1" });
    await expect(down.listLists(null)).rejects.toMatchObject({ kind: "transient" });
  });

  it("Retry-After as an HTTP date", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    const e = classifyHubSpotError({ code: 429, headers: { "retry-after": "Tue, 01 Dec 2026 00:00:05 GMT" }, body: {} }, now);
    expect(e).toMatchObject({ kind: "rate_limited", retryAfterMs: 5000 });
  });

  it("write-back creates its properties once and sets them in batches of ≤100", async () => {
    const ids = [...hs.state.contacts.keys()].slice(0, 130);
    await hubspot.writeProperties(
      ids.map((externalId, i) => ({
        externalId,
        lineUserId: `U${String(i).padStart(32, "0")}`,
        following: i % 2 === 0,
        marketingConsent: true,
        updatedAt: "2026-12-01T00:00:00.000Z",
        source: "line_follow",
      })),
    );
    const batches = hs.state.requests.filter((r) => r.path === "/crm/v3/objects/contacts/batch/update");
    expect(batches.map((b) => (b.body as { inputs: unknown[] }).inputs.length)).toEqual([100, 30]);
    expect(hs.state.contacts.get(ids[1]!)!.properties).toMatchObject({
      line_user_id: `U${"1".padStart(32, "0")}`,
      [WRITE_BACK_PROPERTIES.following]: "false",
      [WRITE_BACK_PROPERTIES.marketingConsent]: "true",
      [WRITE_BACK_PROPERTIES.source]: "line_follow",
    });
    expect(
      hs.state.properties
        .filter((p) => p.name.startsWith("line_"))
        .map((p) => p.name)
        .sort(),
    ).toEqual(["line_following", "line_marketing_consent", "line_status_source", "line_status_updated_at", "line_user_id"]);
  });
});
