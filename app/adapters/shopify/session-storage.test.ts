import { describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-api";
import { CachedSessionStorage } from "./session-storage.server";

function countingStore() {
  const rows = new Map<string, Session>();
  const calls = { load: 0 };
  const inner = {
    storeSession: async (s: Session) => (rows.set(s.id, s), true),
    loadSession: async (id: string) => (calls.load++, rows.get(id)),
    deleteSession: async (id: string) => rows.delete(id),
    deleteSessions: async (ids: string[]) => (ids.forEach((id) => rows.delete(id)), true),
    findSessionsByShop: async (shop: string) => [...rows.values()].filter((s) => s.shop === shop),
    isReady: async () => true,
  };
  return { inner, rows, calls };
}

const session = (id: string) => new Session({ id, shop: "a.myshopify.com", state: "s", isOnline: false, accessToken: "t" });

describe("CachedSessionStorage", () => {
  it("serves repeated loads from memory within the TTL and reloads after it", async () => {
    const { inner, calls } = countingStore();
    let now = 0;
    const realNow = Date.now;
    Date.now = () => now;
    try {
      const store = new CachedSessionStorage(inner as never, 1000);
      await store.storeSession(session("offline_a"));
      await store.loadSession("offline_a");
      await store.loadSession("offline_a");
      expect(calls.load).toBe(1);
      now = 1500;
      await store.loadSession("offline_a");
      expect(calls.load).toBe(2);
    } finally {
      Date.now = realNow;
    }
  });

  it("invalidates on store and delete through the storage", async () => {
    const { inner } = countingStore();
    const store = new CachedSessionStorage(inner as never, 60_000);
    await store.storeSession(session("offline_a"));
    expect(await store.loadSession("offline_a")).toBeDefined();
    await store.deleteSession("offline_a");
    expect(await store.loadSession("offline_a")).toBeUndefined();
    await store.storeSession(session("offline_a"));
    expect((await store.loadSession("offline_a"))?.accessToken).toBe("t");
    await store.deleteSessions(["offline_a"]);
    expect(await store.loadSession("offline_a")).toBeUndefined();
  });
});
