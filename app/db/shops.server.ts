import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { decryptSecret } from "~/adapters/crypto.server";

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

export function lineSecrets(shop: Shop): LineChannelSecrets | undefined {
  if (!shop.lineChannelId || !shop.lineChannelSecretEnc || !shop.lineChannelAccessTokenEnc) return undefined;
  return {
    channelId: shop.lineChannelId,
    channelSecret: decryptSecret(shop.lineChannelSecretEnc),
    channelAccessToken: decryptSecret(shop.lineChannelAccessTokenEnc),
    loginChannelId: shop.lineLoginChannelId ?? undefined,
    loginChannelSecret: shop.lineLoginChannelSecretEnc ? decryptSecret(shop.lineLoginChannelSecretEnc) : undefined,
  };
}

/**
 * Records an installation (idempotent). Called after Shopify auth and by the CLI/sandbox.
 * `fresh` is true for a first install or a reinstall after app/uninstalled.
 */
export async function recordInstall(
  domain: string,
  details: { name?: string; currency?: string; timezone?: string; country?: string } = {},
) {
  const existing = await db().shop.findUnique({ where: { domain } });
  if (!existing) {
    const shop = await db().shop.upsert({ where: { domain }, create: { domain, ...details }, update: details });
    return { shop, fresh: true };
  }
  const shop = await db().shop.update({ where: { domain }, data: { uninstalledAt: null, ...details } });
  return { shop, fresh: existing.uninstalledAt !== null };
}
