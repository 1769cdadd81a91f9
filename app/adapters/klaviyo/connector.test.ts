// Contract test: the Klaviyo connector through the real klaviyo-api SDK against the stand-in, which
// validates every request the SDK sends and every answer it gives against Klaviyo's OpenAPI slices
// (../shared/klaviyo-openapi; accounts/events against the docs-derived document).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startKlaviyoStandIn, type KlaviyoStandIn } from "../../../emulator/klaviyo";
import { IntegrationError, type ExternalContact, type ExternalList } from "~/domain/integrations/types";
import { WRITE_BACK_PROPERTIES } from "~/domain/integrations/types";
import { klaviyoConnector } from "./connector.server";
import { KLAVIYO_METRICS } from "./properties";

let kl: KlaviyoStandIn;

beforeAll(async () => {
  kl = await startKlaviyoStandIn({ validateResponses: true });
});
afterAll(async () => {
  await kl?.close();
});
afterEach(() => {
  // Every exchange so far matched the spec, both ways.
  for (const r of kl.state.requests) {
    expect(r.requestProblems, `${r.method} ${r.path}`).toEqual([]);
    expect(r.responseProblems, `${r.method} ${r.path} → ${r.status}`).toEqual([]);
  }
  kl.state.requests.splice(0);
  kl.faults.clear();
});

const connector = (lineUserIdProperty: string | null = "properties.line_user_id") =>
  klaviyoConnector({ apiKey: kl.apiKey, lineUserIdProperty, baseUrl: kl.url });

async function all<T>(page: (cursor: string | null) => Promise<{ items: T[]; next: string | null }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const p = await page(cursor);
    out.push(...p.items);
    cursor = p.next;
  } while (cursor);
  return out;
}

describe("klaviyo connector ↔ stand-in", () => {
  it("Test connection returns the key's account; a wrong key is unauthorized", async () => {
    await expect(connector().testConnection()).resolves.toEqual({
      accountId: kl.state.account.id,
      accountName: kl.state.account.organizationName,
    });
    const wrong = klaviyoConnector({ apiKey: "pk_wrong", lineUserIdProperty: null, baseUrl: kl.url });
    await expect(wrong.testConnection()).rejects.toMatchObject({ kind: "unauthorized" });
    expect(kl.state.requests.map((r) => r.status)).toEqual([200, 401]);
  });

  it("pages all profiles oldest-updated first, then only those updated since", async () => {
    const t0 = new Date("2026-11-01T00:00:00Z");
    const made = Array.from({ length: 230 }, (_, i) =>
      kl.state.createProfile(
        {
          email: `p${i}@example.com`,
          phone_number: i % 3 === 0 ? `+81901234${String(i).padStart(4, "0")}` : null,
          first_name: `P${i}`,
          properties: {
            plan: ["free", "gold"][i % 2],
            points: i,
            vip: i % 5 === 0,
            ...(i < 10 ? { line_user_id: `U${String(i).padStart(32, "0")}` } : {}),
          },
        },
        new Date(t0.getTime() + i * 1000),
      ),
    );
    const c = connector();
    const full = await all((cur) => c.pageContacts(cur, null));
    expect(full.map((x) => x.externalId)).toEqual(made.map((p) => p.id));
    expect(kl.state.requests.filter((r) => r.operationId === "get_profiles")).toHaveLength(3); // 100 + 100 + 30
    const first = full[0];
    expect(first).toMatchObject<Partial<ExternalContact>>({
      email: "p0@example.com",
      phone: "+819012340000",
      lineUserId: `U${"0".repeat(32)}`,
      updatedAt: t0,
    });
    expect(first.properties).toMatchObject({
      first_name: "P0",
      "properties.plan": "free",
      "properties.points": 0,
      "properties.vip": true,
      updated: t0.toISOString(),
    });
    expect(full[10].lineUserId).toBeNull();

    // Two profiles change later; incremental reads exactly them, including one updated AT `since`.
    const since = new Date("2026-11-20T00:00:00Z");
    kl.state.updateProfile(made[5].id, { first_name: "Changed" }, since);
    kl.state.updateProfile(made[200].id, { properties: { points: 9999 } }, new Date(since.getTime() + 5000));
    const changed = await all((cur) => c.pageContacts(cur, since));
    expect(changed.map((x) => x.externalId)).toEqual([made[5].id, made[200].id]);
    expect(changed[1].properties["properties.points"]).toBe(9999);
  });

  it("lists and segments are both lists, across pages of 10; members page by 100", async () => {
    const ids = kl.state.profiles.keys();
    const listIds: string[] = [];
    for (let i = 0; i < 12; i++) listIds.push(kl.state.createGroup("list", `List ${i}`).id);
    const seg = kl.state.createGroup("segment", "Gold plan");
    const members = [...ids].slice(0, 150);
    kl.state.addMembers(listIds[0], members);
    kl.state.addMembers(seg.id, members.slice(0, 7));
    const c = connector();
    const lists = await all((cur) => c.listLists(cur));
    expect(lists).toHaveLength(13);
    expect(
      lists
        .filter((l) => l.kind === "list")
        .map((l) => l.externalId)
        .sort(),
    ).toEqual([...listIds].sort());
    expect(lists.find((l) => l.kind === "segment")).toEqual<ExternalList>({
      externalId: `segment:${seg.id}`,
      name: "Gold plan",
      kind: "segment",
    });
    expect(await all((cur) => c.pageListMembers(listIds[0], cur))).toEqual(members);
    expect(await all((cur) => c.pageListMembers(`segment:${seg.id}`, cur))).toEqual(members.slice(0, 7));
  });

  it("properties: standard attributes plus custom ones with inferred types", async () => {
    const props = await connector().listProperties();
    const byName = new Map(props.map((p) => [p.name, p]));
    expect(byName.get("email")?.type).toBe("string");
    expect(byName.get("last_event_date")?.type).toBe("datetime");
    expect(byName.get("properties.points")?.type).toBe("number");
    expect(byName.get("properties.vip")?.type).toBe("bool");
    expect(byName.get("properties.plan")).toMatchObject({ type: "enumeration", options: [{ value: "free" }, { value: "gold" }] });
    expect(byName.get("properties.line_user_id")?.type).toBe("string");
  });

  it("writes LINE status as custom properties, keeping the others", async () => {
    const p = [...kl.state.profiles.values()][3];
    await connector().writeProperties([
      {
        externalId: p.id,
        lineUserId: `U${"3".repeat(32)}`,
        following: true,
        marketingConsent: false,
        updatedAt: "2026-12-01T05:00:00.000Z",
        source: "line_follow",
      },
    ]);
    expect(kl.state.profiles.get(p.id)!.properties).toMatchObject({
      plan: "gold",
      line_user_id: `U${"3".repeat(32)}`,
      [WRITE_BACK_PROPERTIES.following]: true,
      [WRITE_BACK_PROPERTIES.marketingConsent]: false,
      [WRITE_BACK_PROPERTIES.updatedAt]: "2026-12-01T05:00:00.000Z",
      [WRITE_BACK_PROPERTIES.source]: "line_follow",
    });
    expect(kl.state.requests.map((r) => r.operationId)).toEqual(["bulk_import_profiles"]);
    // No LINE user id property configured → the default name.
    await connector(null).writeProperties([
      {
        externalId: p.id,
        lineUserId: "Uother",
        following: false,
        marketingConsent: false,
        updatedAt: "2026-12-01T06:00:00.000Z",
        source: "line_unfollow",
      },
    ]);
    expect(kl.state.profiles.get(p.id)!.properties.line_user_id).toBe("Uother");
  });

  it("events carry unique_id: sending one twice records it once", async () => {
    const p = [...kl.state.profiles.values()][4];
    const ev = {
      externalId: p.id,
      metric: KLAVIYO_METRICS.sent,
      uniqueId: "line-send:42",
      time: "2026-12-01T05:00:00.000Z",
      properties: { message: "broadcast", broadcastId: 7 },
    };
    await connector().writeEvents([ev]);
    await connector().writeEvents([ev, { ...ev, metric: KLAVIYO_METRICS.clicked, uniqueId: "line-click:9" }]);
    expect(kl.state.events.map((e) => [e.profileId, e.metric, e.uniqueId, e.time.toISOString()])).toEqual([
      [p.id, "LINE Message Sent", "line-send:42", "2026-12-01T05:00:00.000Z"],
      [p.id, "LINE Message Clicked", "line-click:9", "2026-12-01T05:00:00.000Z"],
    ]);
    expect(kl.state.events[0].properties).toEqual({ message: "broadcast", broadcastId: 7 });
    // One bulk job per batch, events grouped by profile.
    expect(kl.state.requests.map((r) => r.operationId)).toEqual(["bulk_create_events", "bulk_create_events"]);
  });

  it("429 → rate_limited with Retry-After; 5xx → transient; a rejected request → invalid; no SDK retries", async () => {
    kl.faults.add({ operationId: "get_profiles", status: 429, retryAfterSeconds: 7, count: 1 });
    const err = await connector()
      .pageContacts(null, null)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ kind: "rate_limited", retryAfterMs: 7000 });
    kl.faults.add({ operationId: "get_lists", status: 503, count: 1 });
    await expect(connector().listLists(null)).rejects.toMatchObject({ kind: "transient" });
    // A request Klaviyo rejects (a metric needs a name) is permanent.
    await expect(
      connector().writeEvents([{ externalId: "01NOPE", metric: "", uniqueId: "u", time: "2026-12-01T00:00:00Z", properties: {} }]),
    ).rejects.toMatchObject({
      kind: "invalid",
    });
    // One request per failure: the engine, not the SDK, decides when to retry.
    expect(kl.state.requests.map((r) => r.status)).toEqual([429, 503, 400]);
    kl.state.requests.splice(0); // the 400 was meant: its request problems are the point
    const down = klaviyoConnector({ apiKey: kl.apiKey, lineUserIdProperty: null, baseUrl: "http://127.0.0.1:1" });
    await expect(down.testConnection()).rejects.toMatchObject({ kind: "transient" });
  });
});
