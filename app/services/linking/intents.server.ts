// One-time link intents: a code bound to a verified Shopify customer (checkout, storefront) or to a
// LINE user (LINE-first account link). The code in a URL is useless after 15 minutes or one use.
import crypto from "node:crypto";
import { db } from "~/db.server";
import { env } from "~/config/env.server";
import { INTENT_TTL_MS, type LinkSource } from "~/domain/linking/linking";

export const randomToken = () => crypto.randomBytes(32).toString("base64url");

export interface IssueIntentInput {
  shopId: number;
  shopifyCustomerId: bigint | null;
  source: Exclude<LinkSource, "import">;
  orderId?: bigint | null;
  lineUserId?: string | null;
  linkToken?: string | null;
  /** Issued to a guest checkout: the link it leads to may never replace an existing one. */
  guestCheckout?: boolean;
  now?: Date;
}

export async function issueLinkIntent(input: IssueIntentInput) {
  const now = input.now ?? new Date();
  const intent = await db().linkIntent.create({
    data: {
      id: randomToken(),
      nonce: randomToken(),
      shopId: input.shopId,
      shopifyCustomerId: input.shopifyCustomerId,
      source: input.source,
      shopifyOrderId: input.orderId ?? null,
      lineUserId: input.lineUserId ?? null,
      linkToken: input.linkToken ?? null,
      guestCheckout: input.guestCheckout ?? false,
      expiresAt: new Date(now.getTime() + INTENT_TTL_MS),
      createdAt: now,
    },
  });
  return { code: intent.id, nonce: intent.nonce, expiresAt: intent.expiresAt };
}

/** Where the checkout extension / storefront send the shopper: our page that starts LINE Login. */
export function loginStartUrl(code: string): string {
  const u = new URL("/line/login", env().SHOPIFY_APP_URL);
  u.searchParams.set("code", code);
  return u.toString();
}

/** Marks an intent used exactly once (a concurrent second use finds usedAt set and gets false). */
export async function consumeIntent(id: string, now: Date): Promise<boolean> {
  const r = await db().linkIntent.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  return r.count === 1;
}
