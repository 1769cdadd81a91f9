import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { decryptSecret, SecretDecryptError, type SecretPurpose } from "~/adapters/crypto.server";
import { childLogger } from "~/adapters/logger.server";
import { cleanShopSettings, settingsAreStale, type ShopSettingsInput } from "~/domain/shops/settings";

export function findShopByDomain(domain: string) {
  return db().shop.findUnique({ where: { domain } });
}

export async function requireShop(domain: string): Promise<Shop> {
  const shop = await findShopByDomain(domain);
  if (!shop) throw new Error(`Unknown shop ${domain}`);
  return shop;
}

export interface LineChannelSecrets {
  channelId: string;
  channelSecret: string;
  channelAccessToken: string;
  loginChannelId?: string;
  loginChannelSecret?: string;
}

/**
 * The shop's LINE credentials, decrypted (undefined when no channel is connected). Throws
 * SecretDecryptError — a message for the merchant, no crypto detail — when the stored values cannot
 * be opened with the configured keys; the reason is logged with the shop, never the values.
 */
export function lineSecrets(shop: Shop): LineChannelSecrets | undefined {
  if (!shop.lineChannelId || !shop.lineChannelSecretEnc || !shop.lineChannelAccessTokenEnc) return undefined;
  const open = (box: string, purpose: SecretPurpose) => {
    try {
      return decryptSecret(box, { shop: shop.domain, purpose });
    } catch (err) {
      if (err instanceof SecretDecryptError)
        childLogger({ shop: shop.domain }).error({ purpose, reason: err.reason }, "stored LINE credential could not be decrypted");
      throw err;
    }
  };
  return {
    channelId: shop.lineChannelId,
    channelSecret: open(shop.lineChannelSecretEnc, "line.channelSecret"),
    channelAccessToken: open(shop.lineChannelAccessTokenEnc, "line.channelAccessToken"),
    loginChannelId: shop.lineLoginChannelId ?? undefined,
    loginChannelSecret: shop.lineLoginChannelSecretEnc ? open(shop.lineLoginChannelSecretEnc, "line.loginChannelSecret") : undefined,
  };
}

/**
 * Records an installation (idempotent). Called after Shopify auth (afterAuth: a new offline token was
 * granted at `authorizedAt`) and by the CLI/sandbox. `fresh` is true for a first install or a
 * reinstall after app/uninstalled; a fresh install starts a new installation period (installedAt).
 */
export async function recordInstall(domain: string, details: ShopSettingsInput = {}, authorizedAt?: Date) {
  const settings = settingsData(cleanShopSettings(details));
  const existing = await db().shop.findUnique({ where: { domain } });
  const now = authorizedAt ?? new Date();
  if (!existing) {
    const shop = await db().shop.upsert({
      where: { domain },
      create: { domain, ...settings, installedAt: now, authorizedAt: authorizedAt ?? null },
      update: { ...settings, ...(authorizedAt ? { authorizedAt } : {}) },
    });
    return { shop, fresh: true };
  }
  const fresh = existing.uninstalledAt !== null;
  const shop = await db().shop.update({
    where: { domain },
    data: {
      uninstalledAt: null,
      ...settings,
      ...(fresh ? { installedAt: now } : {}),
      ...(authorizedAt ? { authorizedAt } : {}),
    },
  });
  return { shop, fresh };
}

/** Shop columns for the settings Shopify stated (absent fields are left as stored). */
function settingsData(s: ShopSettingsInput) {
  return {
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.currency ? { currency: s.currency } : {}),
    ...(s.timezone ? { timezone: s.timezone } : {}),
    ...(s.country ? { country: s.country } : {}),
    ...(s.primaryLocale ? { primaryLocale: s.primaryLocale } : {}),
  };
}

/**
 * Writes settings Shopify stated (Admin GraphQL `shop` read, or a shop/update delivery). A version
 * older than the stored one (Shopify's updated_at) is dropped, so a late delivery never undoes a
 * newer read. Returns "stale" | "updated" | "unknown-shop".
 */
export async function applyShopSettings(domain: string, input: ShopSettingsInput, now = new Date()) {
  const s = cleanShopSettings(input);
  return db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<Array<{ shopifyUpdatedAt: Date | null }>>`
      SELECT "shopifyUpdatedAt" FROM "Shop" WHERE domain = ${domain} FOR UPDATE`;
    if (!row) return "unknown-shop" as const;
    if (settingsAreStale(row.shopifyUpdatedAt, s.updatedAt)) return "stale" as const;
    await tx.shop.update({
      where: { domain },
      data: { ...settingsData(s), settingsSyncedAt: now, ...(s.updatedAt ? { shopifyUpdatedAt: s.updatedAt } : {}) },
    });
    return "updated" as const;
  });
}

/** Domains of the installed shops, oldest install first (the sandbox login's shop list). */
export async function installedShopDomains(): Promise<string[]> {
  const rows = await db().shop.findMany({ where: { uninstalledAt: null }, select: { domain: true }, orderBy: { id: "asc" } });
  return rows.map((r) => r.domain);
}

/** Whether Shopify's offline (shop) session for `domain` is stored: the admin works only with one. */
export async function hasOfflineSession(domain: string): Promise<boolean> {
  return (await db().session.count({ where: { shop: domain, isOnline: false } })) > 0;
}
