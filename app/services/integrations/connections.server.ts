// Connecting a CRM / email tool (docs/integrations.md "Connect"): the credential is checked with
// the provider first, then stored AES-256-GCM encrypted like the LINE secrets; "Test connection"
// asks the provider again; disconnecting deletes everything mirrored from that provider.
// `connectorFor` is the one place a provider name becomes a connector (CONNECTORS below).
import { encryptSecret, decryptSecret, type SecretPurpose } from "~/adapters/crypto.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { db } from "~/db.server";
import { IntegrationError, type IntegrationConnector, type Provider } from "~/domain/integrations/types";
import { emit } from "~/reactions.server";

/** What a connector factory gets: the decrypted credential and the connection's settings. */
export interface ConnectorCredentials {
  credential: string;
  lineUserIdProperty: string | null;
}

/**
 * Provider → connector factory. A provider is available once it has a line here. The SDKs load on
 * first use in the worker: `klaviyo-api` alone adds ~70 MB to a process, which every worker paid even
 * for shops without an integration (docs/benchmarks.md, worker memory). The web's server bundle still
 * imports them at start (esbuild hoists a bundle's external imports).
 */
export const CONNECTORS: Partial<Record<Provider, (c: ConnectorCredentials) => Promise<IntegrationConnector>>> = {
  hubspot: async (c) =>
    (await import("~/adapters/hubspot/connector.server")).hubspotConnector({
      accessToken: c.credential,
      lineUserIdProperty: c.lineUserIdProperty,
    }),
  klaviyo: async (c) =>
    (await import("~/adapters/klaviyo/connector.server")).klaviyoConnector({
      apiKey: c.credential,
      lineUserIdProperty: c.lineUserIdProperty,
    }),
};

/** How each provider's credential is stored (IntegrationConnection.authType). */
const AUTH_TYPE: Record<Provider, string> = { hubspot: "private_app", klaviyo: "api_key" };

const purpose = (provider: Provider): SecretPurpose => `integration.${provider}.credential`;

export type ConnectionCheck =
  | { ok: true; accountId: string; accountName: string }
  | { ok: false; reason: "not_connected" | "rejected" | "unreachable" | "rate_limited"; detail?: string };

async function shopDomain(shopId: number): Promise<string> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true } });
  return shop.domain;
}

function factoryFor(provider: Provider) {
  const make = CONNECTORS[provider];
  if (!make) throw new Error(`no connector for provider ${provider}`);
  return make;
}

/** Asks the provider who the credential belongs to; IntegrationError kinds become the check's reason. */
async function check(connector: IntegrationConnector): Promise<ConnectionCheck> {
  try {
    return { ok: true, ...(await connector.testConnection()) };
  } catch (err) {
    if (!(err instanceof IntegrationError)) throw err;
    const reason =
      err.kind === "unauthorized" || err.kind === "invalid" ? "rejected" : err.kind === "rate_limited" ? "rate_limited" : "unreachable";
    return { ok: false, reason, detail: err.message };
  }
}

/**
 * Connects (or reconnects) a provider for a shop: checks the credential with the provider, stores
 * it encrypted with the account it belongs to, and requests a full sync. A rejected credential is
 * not stored. `lineUserIdProperty`: the contact/profile property holding the LINE user id, or null.
 */
export async function connectIntegration(input: {
  shopId: number;
  provider: Provider;
  credential: string;
  lineUserIdProperty: string | null;
}): Promise<ConnectionCheck> {
  const { shopId, provider } = input;
  const credential = input.credential.trim();
  const result = await check(await factoryFor(provider)({ credential, lineUserIdProperty: input.lineUserIdProperty }));
  if (!result.ok) return result;
  const credentialEnc = encryptSecret(credential, { shop: await shopDomain(shopId), purpose: purpose(provider) });
  const fields = {
    authType: AUTH_TYPE[provider],
    credentialEnc,
    accountId: result.accountId,
    accountName: result.accountName,
    lineUserIdProperty: input.lineUserIdProperty,
    status: "connected",
    lastError: null,
  };
  const existing = await db().integrationConnection.findUnique({ where: { shopId_provider: { shopId, provider } } });
  // Another account behind the same provider: what was mirrored belongs to the old one.
  if (existing && existing.accountId !== result.accountId) await deleteMirroredRows(shopId, provider);
  await db().integrationConnection.upsert({
    where: { shopId_provider: { shopId, provider } },
    create: { shopId, provider, ...fields },
    update: { ...fields, ...(existing && existing.accountId !== result.accountId ? { syncedThrough: null } : {}) },
  });
  await requestIntegrationSync(shopId, provider, existing && existing.accountId === result.accountId ? "incremental" : "full");
  return result;
}

/**
 * Sets which contact property holds the LINE user id (null = match by email/phone only). The property
 * must be one of this shop's synced text properties of that provider (the page's choices).
 */
export async function setLineUserIdProperty(
  shopId: number,
  provider: Provider,
  property: string | null,
): Promise<"saved" | "not_connected" | "unknown_property"> {
  if (property !== null) {
    const known = await db().integrationProperty.count({ where: { shopId, provider, type: "string", name: property } });
    if (!known) return "unknown_property";
  }
  const { count } = await db().integrationConnection.updateMany({ where: { shopId, provider }, data: { lineUserIdProperty: property } });
  return count ? "saved" : "not_connected";
}

/** "Test connection": asks the provider again and records the outcome on the connection. */
export async function testIntegrationConnection(shopId: number, provider: Provider): Promise<ConnectionCheck> {
  const connector = await connectorFor(shopId, provider);
  if (!connector) return { ok: false, reason: "not_connected" };
  const result = await check(connector);
  await db().integrationConnection.update({
    where: { shopId_provider: { shopId, provider } },
    data: result.ok
      ? { status: "connected", lastError: null, accountName: result.accountName }
      : result.reason === "rejected"
        ? { status: "error", lastError: result.detail ?? result.reason }
        : {},
  });
  return result;
}

/** Marks a connection broken (the provider refused the credential during a sync or write-back). */
export async function markConnectionError(shopId: number, provider: Provider, message: string): Promise<void> {
  await db().integrationConnection.updateMany({ where: { shopId, provider }, data: { status: "error", lastError: message } });
}

/**
 * The connector for a shop's connected provider, with its decrypted credential; null when the shop
 * has not connected it. Throws when the stored credential cannot be decrypted (wrong key).
 */
export async function connectorFor(shopId: number, provider: Provider): Promise<IntegrationConnector | null> {
  const connection = await db().integrationConnection.findUnique({ where: { shopId_provider: { shopId, provider } } });
  if (!connection) return null;
  const credential = decryptSecret(connection.credentialEnc, { shop: await shopDomain(shopId), purpose: purpose(provider) });
  return factoryFor(provider)({ credential, lineUserIdProperty: connection.lineUserIdProperty });
}

async function deleteMirroredRows(shopId: number, provider: Provider): Promise<number[]> {
  const where = { shopId, provider };
  const linked = await db().integrationContact.findMany({ where: { ...where, friendId: { not: null } }, select: { friendId: true } });
  await db().$transaction([
    db().integrationListMember.deleteMany({ where }),
    db().integrationList.deleteMany({ where }),
    db().integrationContact.deleteMany({ where }),
    db().integrationProperty.deleteMany({ where }),
    db().integrationSyncRun.deleteMany({ where }),
    db().integrationWriteBack.deleteMany({ where }),
  ]);
  return [...new Set(linked.map((c) => c.friendId!))];
}

/**
 * Disconnects a provider: deletes the connection (and its credential) and every row mirrored from
 * it, then emits integration.disconnected with the friends that were linked to its contacts, whose
 * segment memberships may change. Returns how many contacts were deleted.
 */
export async function disconnectIntegration(shopId: number, provider: Provider): Promise<{ friendIds: number[] }> {
  const friendIds = await deleteMirroredRows(shopId, provider);
  await db().integrationConnection.deleteMany({ where: { shopId, provider } });
  await emit("integration.disconnected", { shopId, provider, friendIds }, `${shopId}:${provider}:${Date.now()}`);
  return { friendIds };
}

/**
 * Requests a sync (admin "Sync now", connect, the schedule): the `integrations.sync` job continues the
 * provider's running sync if there is one, else starts one of `kind` (full when never synced).
 */
export async function requestIntegrationSync(shopId: number, provider: Provider, kind: "full" | "incremental"): Promise<void> {
  const requestedAt = Date.now();
  await enqueue(
    "integrations.sync",
    { shopId, provider, kind, requestedAt },
    { jobId: `integrations.sync:${shopId}:${provider}:${requestedAt}` },
  );
}
