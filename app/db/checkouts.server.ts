// Checkouts keyed on (shop, token). Backfilled abandoned checkouts have no token in Admin GraphQL, so
// they are stored under a placeholder token and matched by checkout id when a webhook brings the token.
import type { Prisma } from "@prisma/client";
import type { CheckoutInput } from "~/domain/customers/inputs";
import { checkoutAbandonedAt } from "~/domain/customers/facts";
import type { Tx } from "~/db/customers.server";

export function findCheckout(tx: Tx, shopId: number, c: Pick<CheckoutInput, "token" | "shopifyCheckoutId">) {
  return tx.checkout.findFirst({
    where: {
      shopId,
      OR: [{ token: c.token }, ...(c.shopifyCheckoutId != null ? [{ shopifyCheckoutId: c.shopifyCheckoutId }] : [])],
    },
    orderBy: { id: "asc" },
    select: { id: true, token: true, shopifyUpdatedAt: true, shopifyCustomerId: true, completedAt: true },
  });
}

/**
 * Creates or updates the checkout. Fields the payload did not carry (undefined) keep their stored
 * value; a payload without completed_at keeps the stored completion.
 */
export async function writeCheckout(
  tx: Tx,
  shopId: number,
  existing: { id: number; completedAt: Date | null } | null,
  c: CheckoutInput,
  orderProcessedAt: Date | null,
) {
  const completedAt = (c.completedAt !== undefined ? c.completedAt : (existing?.completedAt ?? null)) ?? orderProcessedAt;
  const data = {
    shopifyCheckoutId: c.shopifyCheckoutId,
    token: c.token,
    shopifyCustomerId: c.shopifyCustomerId,
    recoveryUrl: c.recoveryUrl,
    totalPrice: c.totalPrice,
    currency: c.currency,
    lineItems: c.lineItems as unknown as Prisma.InputJsonValue,
    locale: c.locale,
    shopifyCreatedAt: c.createdAt,
    shopifyUpdatedAt: c.updatedAt,
    completedAt,
    abandonedAt: checkoutAbandonedAt({ completedAt, updatedAt: c.updatedAt }, orderProcessedAt !== null),
  };
  if (existing) await tx.checkout.update({ where: { id: existing.id }, data });
  else await tx.checkout.create({ data: { shopId, ...data } });
}

/** An order carrying the checkout's token completes it (and clears abandonedAt). */
export async function completeCheckoutByOrder(tx: Tx, shopId: number, token: string, processedAt: Date) {
  const c = await tx.checkout.findUnique({
    where: { shopId_token: { shopId, token } },
    select: { id: true, completedAt: true, shopifyCustomerId: true },
  });
  if (!c) return null;
  await tx.checkout.update({ where: { id: c.id }, data: { completedAt: c.completedAt ?? processedAt, abandonedAt: null } });
  return c;
}
