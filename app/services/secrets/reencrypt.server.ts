// Key rotation and migration of secrets at rest (docs/security.md "Secrets"). Rewrites every stored
// secret with the current ENCRYPTION_KEY and the v2 format (key id + shop/purpose associated data):
// LINE credentials on Shop, the Shopify tokens on Session, the assistant's API key and the
// HubSpot/Klaviyo credentials on IntegrationConnection, including values still in the v1 format
// or — for sessions written before encryption — plaintext. Idempotent: values already sealed by the
// current key are left alone, so the command can be re-run after a partial failure.
import { resealAssistantKey, sealedAssistantKeys } from "~/db/settings/assistant.server";
import { db } from "~/db.server";
import {
  decryptSecret,
  encryptSecret,
  isSealed,
  keyring,
  needsReencryption,
  SecretDecryptError,
  type SecretPurpose,
} from "~/adapters/crypto.server";
import { childLogger } from "~/adapters/logger.server";

export interface ReencryptReport {
  /** The current key's id (the prefix new ciphertexts carry). */
  keyId: string;
  /** Values rewritten, per column. */
  rewritten: Record<string, number>;
  /** Values left as they were (already current). */
  unchanged: number;
  /** Values that no configured key opens: {table, id, column}. Never the values themselves. */
  unreadable: Array<{ table: "Shop" | "Session" | "AssistantSetting" | "IntegrationConnection"; id: string; column: string }>;
}

const SHOP_COLUMNS = [
  ["lineChannelSecretEnc", "line.channelSecret"],
  ["lineChannelAccessTokenEnc", "line.channelAccessToken"],
  ["lineLoginChannelSecretEnc", "line.loginChannelSecret"],
] as const satisfies ReadonlyArray<readonly [string, SecretPurpose]>;

const SESSION_COLUMNS = [
  ["accessToken", "shopify.accessToken"],
  ["refreshToken", "shopify.refreshToken"],
] as const satisfies ReadonlyArray<readonly [string, SecretPurpose]>;

/** Re-encrypts every stored secret with the current key (see the file comment). */
export async function reencryptSecrets(): Promise<ReencryptReport> {
  const ring = keyring();
  const report: ReencryptReport = { keyId: ring.current.id, rewritten: {}, unchanged: 0, unreadable: [] };
  const log = childLogger({ task: "secrets:reencrypt" });

  /** The value under the current key, null when unchanged, or "unreadable". */
  const reseal = (value: string, shop: string, purpose: SecretPurpose, allowPlain: boolean): string | null | "unreadable" => {
    if (!needsReencryption(value, ring)) return null;
    if (!isSealed(value)) return allowPlain ? encryptSecret(value, { shop, purpose }, ring) : "unreadable";
    try {
      return encryptSecret(decryptSecret(value, { shop, purpose }, ring), { shop, purpose }, ring);
    } catch (err) {
      if (err instanceof SecretDecryptError) return "unreadable";
      throw err;
    }
  };
  /** Reseals one stored value and records what happened: the new value, or null (unchanged or unreadable). */
  const resealColumn = (
    where: { table: ReencryptReport["unreadable"][number]["table"]; id: string; column: string },
    value: string,
    shop: string,
    purpose: SecretPurpose,
    allowPlain: boolean,
  ): string | null => {
    const next = reseal(value, shop, purpose, allowPlain);
    if (next === "unreadable") report.unreadable.push(where);
    else if (next === null) report.unchanged++;
    else {
      const key = `${where.table}.${where.column}`;
      report.rewritten[key] = (report.rewritten[key] ?? 0) + 1;
    }
    return next === "unreadable" ? null : next;
  };

  for (const shop of await db().shop.findMany({
    select: { id: true, domain: true, lineChannelSecretEnc: true, lineChannelAccessTokenEnc: true, lineLoginChannelSecretEnc: true },
  })) {
    const data: Record<string, string> = {};
    for (const [column, purpose] of SHOP_COLUMNS) {
      const value = shop[column];
      if (!value) continue;
      // LINE credentials were encrypted from the start: a non-ciphertext value is corrupt, not legacy.
      const next = resealColumn({ table: "Shop", id: String(shop.id), column }, value, shop.domain, purpose, false);
      if (next) data[column] = next;
    }
    // Compare-and-set: a concurrent reconnect (new values) wins over our rewrite of the old ones.
    if (Object.keys(data).length)
      await db().shop.updateMany({
        where: { id: shop.id, ...Object.fromEntries(SHOP_COLUMNS.filter(([c]) => c in data).map(([c]) => [c, shop[c]])) },
        data,
      });
  }

  for (const session of await db().session.findMany({ select: { id: true, shop: true, accessToken: true, refreshToken: true } })) {
    const data: Record<string, string> = {};
    for (const [column, purpose] of SESSION_COLUMNS) {
      const value = session[column];
      if (!value) continue;
      // Sessions were stored in plaintext before EncryptedSessionStorage: plaintext is migrated.
      const next = resealColumn({ table: "Session", id: session.id, column }, value, session.shop, purpose, true);
      if (next) data[column] = next;
    }
    if (Object.keys(data).length)
      await db().session.updateMany({
        where: { id: session.id, accessToken: session.accessToken, refreshToken: session.refreshToken },
        data,
      });
  }
  // The segment assistant's model API key (Settings), sealed per shop like the LINE secrets.
  for (const setting of await sealedAssistantKeys()) {
    const shop = await db().shop.findUnique({ where: { id: setting.shopId }, select: { domain: true } });
    if (!shop) continue;
    const where = { table: "AssistantSetting" as const, id: String(setting.shopId), column: "apiKeyEnc" };
    const next = resealColumn(where, setting.apiKeyEnc, shop.domain, "assistant.apiKey", false);
    if (next) await resealAssistantKey(setting.shopId, setting.apiKeyEnc, next);
  }
  // HubSpot / Klaviyo credentials (app/services/integrations/connections.server.ts), sealed per shop.
  for (const c of await db().integrationConnection.findMany({
    select: { id: true, shopId: true, provider: true, credentialEnc: true, refreshTokenEnc: true },
  })) {
    const shop = await db().shop.findUnique({ where: { id: c.shopId }, select: { domain: true } });
    if (!shop) continue;
    const data: Record<string, string> = {};
    for (const [column, kind] of [
      ["credentialEnc", "credential"],
      ["refreshTokenEnc", "refreshToken"],
    ] as const) {
      const value = c[column];
      if (!value) continue;
      const purpose = `integration.${c.provider}.${kind}` as SecretPurpose;
      const next = resealColumn({ table: "IntegrationConnection", id: String(c.id), column }, value, shop.domain, purpose, false);
      if (next) data[column] = next;
    }
    if (Object.keys(data).length)
      await db().integrationConnection.updateMany({
        where: { id: c.id, credentialEnc: c.credentialEnc, refreshTokenEnc: c.refreshTokenEnc },
        data,
      });
  }
  if (report.unreadable.length) log.error({ unreadable: report.unreadable }, "secrets no configured key can decrypt");
  return report;
}
