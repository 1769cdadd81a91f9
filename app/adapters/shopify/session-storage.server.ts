// Shopify sessions live in PostgreSQL (PrismaSessionStorage). Every webhook and admin request loads
// the shop's session; with Prisma's wasm query compiler that lookup was ~25% of the webhook route's
// CPU (profiled under load, docs/benchmarks.md). This decorator keeps loaded sessions for a few
// seconds per process. Writes and deletes through the storage invalidate at once; a deletion made
// elsewhere (the worker's app/uninstalled) is seen within `ttlMs`, which is harmless: an uninstalled
// shop's requests fail at Shopify, and webhooks only read the session.
import type { Session } from "@shopify/shopify-api";
import type { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

type Inner = PrismaSessionStorage<never>;

export class CachedSessionStorage {
  private readonly cache = new Map<string, { session: Session | undefined; at: number }>();

  constructor(
    private readonly inner: Inner,
    private readonly ttlMs = 5_000,
  ) {}

  async storeSession(session: Session): Promise<boolean> {
    this.cache.delete(session.id);
    return this.inner.storeSession(session);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.session;
    const session = await this.inner.loadSession(id);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { session, at: Date.now() });
    return session;
  }

  async deleteSession(id: string): Promise<boolean> {
    this.cache.delete(id);
    return this.inner.deleteSession(id);
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) this.cache.delete(id);
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }

  isReady(): Promise<boolean> {
    return this.inner.isReady();
  }
}
