// The Klaviyo stand-in on the wire: auth and revision headers, Klaviyo's filter rules, keyset
// pagination, injected 429 storms with Retry-After, event de-duplication, the sandbox seed, and
// the vendored spec copies. Every answer is validated against the spec (validateResponses).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KLAVIYO_REVISION, KlaviyoState, loadKlaviyoSpec, seedKlaviyoStandIn, startKlaviyoStandIn, type KlaviyoStandIn } from "./index.js";

let kl: KlaviyoStandIn;
const headers = () => ({ Authorization: `Klaviyo-API-Key ${kl.apiKey}`, revision: KLAVIYO_REVISION, accept: "application/vnd.api+json" });
const get = (p: string, h: Record<string, string> = headers()) => fetch(kl.url + p, { headers: h });
type Doc = {
  data: Array<{ id: string; attributes: Record<string, unknown> }>;
  links: { next?: string };
  errors?: Array<{ code: string; detail: string }>;
};

beforeAll(async () => {
  kl = await startKlaviyoStandIn({ validateResponses: true });
});
afterAll(async () => {
  await kl?.close();
});
afterEach(() => {
  for (const r of kl.state.requests) expect(r.responseProblems, `${r.method} ${r.path} → ${r.status}`).toEqual([]);
  kl.state.requests.splice(0);
  kl.faults.clear();
});

describe("klaviyo stand-in", () => {
  it("requires Authorization: Klaviyo-API-Key (401) and the revision header (400)", async () => {
    expect((await get("/api/accounts", { revision: KLAVIYO_REVISION })).status).toBe(401);
    const wrong = await get("/api/accounts", { Authorization: "Klaviyo-API-Key pk_nope", revision: KLAVIYO_REVISION });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as Doc).errors?.[0].code).toBe("authentication_failed");
    expect((await get("/api/accounts", { Authorization: `Bearer ${kl.apiKey}`, revision: KLAVIYO_REVISION })).status).toBe(401);
    const noRevision = await get("/api/profiles", { Authorization: `Klaviyo-API-Key ${kl.apiKey}` });
    expect(noRevision.status).toBe(400);
    expect(((await noRevision.json()) as Doc).errors?.[0].detail).toMatch(/revision/);
    expect((await get("/api/accounts")).status).toBe(200);
  });

  it("rejects what Klaviyo rejects: page[size] over the maximum, filters the endpoint does not allow", async () => {
    expect((await get("/api/profiles?page[size]=101")).status).toBe(400);
    expect((await get("/api/lists?page[size]=11")).status).toBe(400);
    // get_profiles allows only greater-than / less-than on `updated`.
    const ge = await get(`/api/profiles?filter=${encodeURIComponent("greater-or-equal(updated,2026-01-01T00:00:00Z)")}`);
    expect(ge.status).toBe(400);
    expect(((await ge.json()) as Doc).errors?.[0].detail).toMatch(/greater-or-equal is not allowed for field updated/);
    expect((await get(`/api/profiles?filter=${encodeURIComponent("greater-than(updated,2026-01-01T00:00:00Z)")}`)).status).toBe(200);
    expect((await get("/api/profiles?sort=bogus")).status).toBe(400);
    expect(kl.state.requests.filter((r) => r.status === 400 && r.operationId === "get_profiles" && r.requestProblems.length)).toHaveLength(
      2,
    );
  });

  it("pages by keyset: a profile updated mid-read moves behind the cursor and is read again, none is lost", async () => {
    const t0 = Date.parse("2026-10-01T00:00:00Z");
    const made = Array.from({ length: 25 }, (_, i) => kl.state.createProfile({ email: `k${i}@example.com` }, new Date(t0 + i * 1000)));
    const seen: string[] = [];
    let next: string | undefined = `/api/profiles?sort=updated&page[size]=10`;
    let pages = 0;
    while (next) {
      const doc = (await (await get(next.replace(kl.url, ""))).json()) as Doc;
      seen.push(...doc.data.map((d) => d.id));
      if (++pages === 1) kl.state.updateProfile(made[2].id, { first_name: "moved" }, new Date(t0 + 100_000));
      next = doc.links.next;
    }
    expect(new Set(seen)).toEqual(new Set(made.map((p) => p.id)));
    expect(seen.filter((id) => id === made[2].id)).toHaveLength(2);
    expect(seen.at(-1)).toBe(made[2].id);
  });

  it("a 429 storm hits every Nth call with Retry-After; 5xx faults are injectable", async () => {
    kl.faults.add({ status: 429, every: 3, retryAfterSeconds: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await get("/api/lists");
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get("retry-after")).toBe("2");
        expect(((await res.json()) as Doc).errors?.[0].code).toBe("throttled");
      }
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429, 200, 200, 429]);
    kl.faults.clear();
    kl.faults.add({ operationId: "get_segments", status: 502, count: 1 });
    expect((await get("/api/segments")).status).toBe(502);
    expect((await get("/api/segments")).status).toBe(200);
    expect(kl.faults.fired()).toBe(4);
  });

  it("events: 202, unique_id de-duplicates per profile and metric, unknown profile id is 400", async () => {
    const p = kl.state.createProfile({ email: "ev@example.com" });
    const body = (uniqueId: string, metric = "LINE Message Sent", id = p.id) =>
      JSON.stringify({
        data: {
          type: "event",
          attributes: {
            properties: { a: 1 },
            time: "2026-12-01T01:02:03.456Z",
            unique_id: uniqueId,
            metric: { data: { type: "metric", attributes: { name: metric } } },
            profile: { data: { type: "profile", id, attributes: {} } },
          },
        },
      });
    const post = (b: string) =>
      fetch(kl.url + "/api/events", { method: "POST", headers: { ...headers(), "content-type": "application/vnd.api+json" }, body: b });
    expect((await post(body("u1"))).status).toBe(202);
    expect((await post(body("u1"))).status).toBe(202);
    expect((await post(body("u1", "LINE Message Clicked"))).status).toBe(202);
    expect((await post(body("u2", "LINE Message Sent", "01UNKNOWN"))).status).toBe(400);
    expect((await post(JSON.stringify({ data: { type: "event", attributes: { properties: {} } } }))).status).toBe(400);
    const mine = kl.state.events.filter((e) => e.profileId === p.id);
    expect(mine.map((e) => [e.metric, e.uniqueId, e.time.toISOString()])).toEqual([
      ["LINE Message Sent", "u1", "2026-12-01T01:02:03.000Z"],
      ["LINE Message Clicked", "u1", "2026-12-01T01:02:03.000Z"],
    ]);
  });

  it("the validator flags answers that do not match the spec (so a clean log means something)", async () => {
    const spec = await loadKlaviyoSpec();
    const op = spec.match("GET", "/api/profiles")!;
    expect(spec.validateResponse(op, 200, { data: [{ type: "profile", id: "x", attributes: { email: 1 } }] }).map((p) => p.where)).toEqual(
      expect.arrayContaining(["response.data.0.links", "response.data.0.attributes.email"]),
    );
    expect(spec.validateResponse(op, 201, { data: [] })).toEqual([
      { where: "response", message: "status 201 is not documented for get_profiles" },
    ]);
    expect(spec.validateResponse(op, 429, { errors: [{ id: "1" }] }).length).toBeGreaterThan(0);
  });

  it("seed: profiles for part of the sandbox store, some with the LINE user id property, lists and segments", () => {
    const state = new KlaviyoState();
    const now = new Date("2026-12-01T00:00:00Z");
    const res = seedKlaviyoStandIn(state, { store: { customers: 200, seed: 7, now } });
    const again = seedKlaviyoStandIn(new KlaviyoState(), { store: { customers: 200, seed: 7, now } });
    expect({ ...again, lists: {}, segments: {} }).toEqual({ ...res, lists: {}, segments: {} }); // deterministic
    expect(res.customerProfiles).toBeGreaterThan(100);
    expect(res.customerProfiles).toBeLessThan(180);
    expect(res.profiles).toBe(res.customerProfiles + 20);
    const profiles = [...state.profiles.values()];
    expect(profiles.filter((p) => /^customer\d+@example\.com$/.test(p.email ?? ""))).toHaveLength(res.customerProfiles);
    const withLine = profiles.filter((p) => typeof p.properties.line_user_id === "string");
    expect(withLine).toHaveLength(res.withLineUserId);
    expect(res.withLineUserId).toBeGreaterThan(10);
    for (const p of withLine) expect(p.properties.line_user_id).toMatch(/^U[0-9a-f]{32}$/);
    expect(state.groupsOf("list").map((g) => g.name)).toEqual(["Newsletter", "VIP Club", "Back in stock"]);
    const gold = state.groups.get(res.segments["Gold plan"])!;
    expect([...gold.members.keys()].every((id) => state.profiles.get(id)!.properties.plan === "gold")).toBe(true);
    expect(gold.members.size).toBeGreaterThan(0);
  });
});
