// Shopify sessions live in PostgreSQL (PrismaSessionStorage). Every webhook and admin request loads
// the shop's session; with Prisma's wasm query compiler that lookup was ~25% of the webhook route's
// CPU (profiled under load, docs/benchmarks.md). This decorator keeps loaded sessions for a few
// seconds per process. Writes and deletes through the storage invalidate at once; a deletion made
// elsewhere (the worker's app/uninstalled) is seen within `ttlMs`, which is harmless: an uninstalled
// shop's requests fail at Shopify, and webhooks only read the session.
import { Session } from "@shopify/shopify-api";
import type { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { decryptSecret, encryptSecret, isSealed, SecretDecryptError, type SecretPurpose } from "~/adapters/crypto.server";
import { childLogger } from "~/adapters/logger.server";

type Inner = Pick<
  PrismaSessionStorage<never>,
  "storeSession" | "loadSession" | "deleteSession" | "deleteSessions" | "findSessionsByShop" | "isReady"
>;

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

/**
 * Encrypts the offline access token and refresh token of every session before they reach the
 * Session table (AES-256-GCM, bound to the session's shop; app/adapters/crypto.server.ts) and opens
 * them on load. A row written before encryption (plaintext token) still loads and is sealed by the
 * next store or by `secrets:reencrypt`. A token that cannot be opened (wrong key) loads as no session
 * — logged with the shop and the reason, never the value — so Shopify's token exchange issues a fresh
 * token instead of the request failing with a crypto error.
 */
export class EncryptedSessionStorage {
  constructor(private readonly inner: Inner) {}

  async storeSession(session: Session): Promise<boolean> {
    return this.inner.storeSession(sealSession(session));
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const session = await this.inner.loadSession(id);
    return session ? openSession(session) : undefined;
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return (await this.inner.findSessionsByShop(shop)).map(openSession).filter((s): s is Session => !!s);
  }

  isReady(): Promise<boolean> {
    return this.inner.isReady();
  }
}

const TOKEN_FIELDS = [
  ["accessToken", "shopify.accessToken"],
  ["refreshToken", "shopify.refreshToken"],
] as const satisfies ReadonlyArray<readonly [keyof Session, SecretPurpose]>;

/** A copy of the session with its tokens sealed (already sealed values are kept as they are). */
function sealSession(session: Session): Session {
  const copy = new Session(session.toObject());
  for (const [field, purpose] of TOKEN_FIELDS) {
    const value = session[field];
    if (typeof value === "string" && value && !isSealed(value)) copy[field] = encryptSecret(value, { shop: session.shop, purpose });
  }
  return copy;
}

/** The session with its tokens opened, or undefined (logged) when a token cannot be decrypted. */
function openSession(session: Session): Session | undefined {
  const copy = new Session(session.toObject());
  for (const [field, purpose] of TOKEN_FIELDS) {
    const value = session[field];
    if (typeof value !== "string" || !value || !isSealed(value)) continue;
    try {
      copy[field] = decryptSecret(value, { shop: session.shop, purpose });
    } catch (err) {
      if (!(err instanceof SecretDecryptError)) throw err;
      childLogger({ shop: session.shop }).error(
        { sessionId: session.id, purpose, reason: err.reason },
        "Shopify session token could not be decrypted",
      );
      return undefined;
    }
  }
  return copy;
}
