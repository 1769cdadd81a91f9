// Checkouts keyed on (shop, token). Backfilled abandoned checkouts have no token in Admin GraphQL, so
// they are stored under a placeholder token and matched by checkout id when a webhook brings the token.
import type { Prisma } from "@prisma/client";
import type { CheckoutInput } from "~/domain/customers/inputs";
import { checkoutAbandonedAt } from "~/domain/customers/facts";
import { erasedSinceSql, sqlTimestamp, type Tx } from "~/db/customers.server";

/**
 * What ingesting checkout `c` needs to know, read in one statement (it runs for every checkout
 * webhook of a flash sale): whether its customer was erased at or after `c.updatedAt` (the payload
 * predates the erasure), the stored checkout (by token, or by Shopify checkout id for a backfilled
 * placeholder; the oldest row when both match), and when the first order carrying its token was
 * processed (null: none).
 */
export async function readCheckoutContext(
  tx: Tx,
  shopId: number,
  c: Pick<CheckoutInput, "token" | "shopifyCheckoutId" | "shopifyCustomerId" | "updatedAt">,
) {
  const [row] = await tx.$queryRawUnsafe<
    Array<{
      erased: boolean;
      id: number | null;
      token: string | null;
      shopifyUpdatedAt: Date | null;
      shopifyCustomerId: bigint | null;
      completedAt: Date | null;
      orderProcessedAt: Date | null;
    }>
  >(
    `SELECT
       ${erasedSinceSql("$1", "$2", "$3")} AS erased,
       c.id, c.token, c."shopifyUpdatedAt", c."shopifyCustomerId", c."completedAt",
       (SELECT min(o."processedAt") FROM "Order" o WHERE o."shopId" = $1 AND o."checkoutToken" = $4) AS "orderProcessedAt"
     FROM (SELECT 1) AS one
     LEFT JOIN LATERAL (
       SELECT id, token, "shopifyUpdatedAt", "shopifyCustomerId", "completedAt" FROM "Checkout"
       WHERE "shopId" = $1 AND (token = $4 OR "shopifyCheckoutId" = $5) ORDER BY id LIMIT 1
     ) AS c ON true`,
    shopId,
    c.shopifyCustomerId ?? null,
    sqlTimestamp(c.updatedAt),
    c.token,
    c.shopifyCheckoutId ?? null,
  );
  const { erased, orderProcessedAt, id, token, shopifyUpdatedAt, shopifyCustomerId, completedAt } = row!;
  const existing = id === null ? null : { id, token: token!, shopifyUpdatedAt: shopifyUpdatedAt!, shopifyCustomerId, completedAt };
  return { erased, existing, orderProcessedAt };
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

/**
 * The order carrying checkout `token` completes it (the first completion is kept) and ends its
 * abandonment: one statement. The checkout's customer, or null when no checkout has that token.
 */
export async function completeCheckoutByOrder(tx: Tx, shopId: number, token: string, processedAt: Date) {
  const [c] = await tx.$queryRawUnsafe<Array<{ id: number; shopifyCustomerId: bigint | null }>>(
    `UPDATE "Checkout" SET "completedAt" = coalesce("completedAt", $3::timestamp(3)), "abandonedAt" = NULL
     WHERE "shopId" = $1 AND token = $2
     RETURNING id, "shopifyCustomerId"`,
    shopId,
    token,
    sqlTimestamp(processedAt),
  );
  return c ?? null;
}
