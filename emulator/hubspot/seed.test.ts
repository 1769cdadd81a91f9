// The sandbox seed of the HubSpot stand-in matches the synthetic store it is given.
import { describe, expect, it } from "vitest";
import { generateStore } from "../../scripts/sandbox/generator";
import { HubSpotState } from "./state";
import { seedHubSpotStandIn, SANDBOX_LINE_USER_ID_PROPERTY } from "./seed";

const store = { customers: 120, seed: 7, now: new Date("2026-12-01T00:00:00Z") };

describe("seedHubSpotStandIn", () => {
  it("contacts for part of the store's customers (same emails), others, LINE ids of real friends, lists", () => {
    const state = new HubSpotState();
    const r = seedHubSpotStandIn(state, { store });
    const emails = new Set<string>();
    const lineIds = new Set<string>();
    for (const ev of generateStore(store)) {
      if (ev.kind === "webhook" && ev.topic === "customers/create") emails.add((ev.payload as { email: string }).email);
      if (ev.kind === "friend") lineIds.add(ev.lineUserId);
    }
    const contacts = [...state.contacts.values()];
    expect(contacts).toHaveLength(r.contacts);
    const fromStore = contacts.filter((c) => emails.has(c.properties.email!));
    expect(fromStore).toHaveLength(r.customerContacts);
    expect(r.customerContacts).toBeGreaterThan(50);
    expect(r.customerContacts).toBeLessThan(100);
    expect(r.contacts - r.customerContacts).toBe(18);
    const withLine = contacts.filter((c) => c.properties[SANDBOX_LINE_USER_ID_PROPERTY]);
    expect(withLine).toHaveLength(r.withLineUserId);
    expect(r.withLineUserId).toBeGreaterThan(0);
    expect(withLine.every((c) => lineIds.has(c.properties[SANDBOX_LINE_USER_ID_PROPERTY]!))).toBe(true);
    expect(Object.keys(r.lists)).toEqual(["VIP customers", "Trade show 2026", "Lead nurture"]);
    expect(state.lists.every((l) => l.members.size > 0)).toBe(true);
    expect(state.tokens.has(r.accessToken)).toBe(true);
    // Deterministic for a seed.
    const again = new HubSpotState();
    expect(seedHubSpotStandIn(again, { store })).toEqual(r);
    expect([...again.contacts.values()].map((c) => c.properties)).toEqual(contacts.map((c) => c.properties));
  });
});
