import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { decryptSecret, SecretDecryptError, type SecretPurpose } from "~/adapters/crypto.server";
import { childLogger } from "~/adapters/logger.server";

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
