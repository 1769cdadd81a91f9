// One upsert service per Shopify record kind, shared by webhooks and backfill. Each runs in one
// transaction under advisory locks (order/checkout/customer), drops stale versions by Shopify's
// updated_at, recomputes the affected customers' facts from rows, then (after commit) refreshes the
// shop-wide product medians and emits customer.facts-changed (app/reactions.server.ts).
import crypto from "node:crypto";
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import type { CheckoutInput, CustomerInput, FulfillmentInput, OrderInput } from "~/domain/customers/inputs";
import {
  TX_OPTIONS,
  customerLockKey,
  erasedSince,
  lockKeys,
  recomputeCustomerFacts,
  refreshProductRebuy,
  sqlTimestamp,
} from "~/db/customers.server";
import type { Tx } from "~/db/customers.server";
import { completeCheckoutByOrder, readCheckoutContext, writeCheckout } from "~/db/checkouts.server";
import { findOrderForLock, readOrderContext, refreshOrderDelivered, upsertFulfillment, upsertOrderRow } from "~/db/orders.server";
import { emit } from "~/reactions.server";
import { identityKey } from "~/adapters/crypto.server";
import { emailHash, phoneHash } from "~/domain/integrations/identity";
import { afterLinkChange, unlinkCustomerInTx } from "~/services/linking/links.server";
import { linkedFriendIds } from "~/db/friends.server";

export type IngestOutcome = "processed" | "stale";
type ShopRef = Pick<Shop, "id" | "domain" | "timezone">;

interface TxResult {
  outcome: IngestOutcome;
  customers: bigint[];
}

// A recomputation has no natural id (two deliveries for one customer can commit in the same
// millisecond), so each one is its own occurrence; its reactions re-read the facts and are idempotent.
const factsKey = (shopifyCustomerId: bigint) => `${shopifyCustomerId}:${crypto.randomUUID()}`;

async function run(shop: ShopRef, cause: string, body: (tx: Tx) => Promise<TxResult>, now = new Date()): Promise<IngestOutcome> {
  const products = new Set<bigint>();
  const { outcome, customers } = await db().$transaction(async (tx) => {
    const r = await body(tx);
    const unique = [...new Set(r.customers.map(String))].map(BigInt);
    // Customers found only after reading rows: lock them now (sorted), then recompute.
    await lockKeys(
      tx,
      unique.map((c) => customerLockKey(shop.id, c)),
    );
    for (const c of unique) for (const p of await recomputeCustomerFacts(tx, shop, c, now)) products.add(p);
    return { outcome: r.outcome, customers: unique };
  }, TX_OPTIONS);
  await refreshProductRebuy(shop.id, [...products]);
  const friends = await linkedFriendIds(shop.id, customers);
  for (const c of customers)
    await emit(
      "customer.facts-changed",
      { shopId: shop.id, shopifyCustomerId: String(c), cause, exists: true, friendIds: friends.get(String(c)) ?? [] },
      factsKey(c),
    );
  return outcome;
}

const nonNull = (xs: Array<bigint | null | undefined>) => xs.filter((x): x is bigint => x != null);

export function ingestOrder(shop: ShopRef, o: OrderInput, cause = "order"): Promise<IngestOutcome> {
  return run(shop, cause, async (tx) => {
    await lockKeys(tx, [
      `order:${shop.id}:${o.shopifyOrderId}`,
      o.checkoutToken ? `checkout:${shop.id}:${o.checkoutToken}` : null,
      customerLockKey(shop.id, o.shopifyCustomerId ?? null),
    ]);
    const { erased, existing } = await readOrderContext(tx, shop.id, o);
    if (erased) return { outcome: "stale", customers: [] };
    let fulfillmentChanged = false;
    for (const f of o.fulfillments) if ((await upsertFulfillment(tx, shop.id, f)) === "processed") fulfillmentChanged = true;
    if (existing && o.updatedAt < existing.shopifyUpdatedAt) {
      if (!fulfillmentChanged) return { outcome: "stale", customers: [] };
      await refreshOrderDelivered(tx, shop.id, o.shopifyOrderId);
      return { outcome: "processed", customers: nonNull([existing.shopifyCustomerId]) };
    }
    // A payload without `customer` keeps the stored one (absent is not "no customer").
    const customerId = o.shopifyCustomerId !== undefined ? o.shopifyCustomerId : (existing?.shopifyCustomerId ?? null);
    await upsertOrderRow(tx, shop.id, o, customerId);
    if (customerId !== null) await fillMissingHashes(tx, shop.id, customerId, o);
    await refreshOrderDelivered(tx, shop.id, o.shopifyOrderId);
    // Without checkout_token the stored order already completed its checkout when the token came.
    const checkout = o.checkoutToken ? await completeCheckoutByOrder(tx, shop.id, o.checkoutToken, o.processedAt) : null;
    return { outcome: "processed", customers: nonNull([customerId, existing?.shopifyCustomerId, checkout?.shopifyCustomerId]) };
  });
}

/**
 * An order's email / phone give the customer its matching hashes only where it has none: the
 * customer record's own address (customers/* webhooks, backfill) is the one that counts. One
 * statement: the customer is created with them, or each hash it lacks is filled (updatedAt moves only
 * then).
 */
async function fillMissingHashes(tx: Tx, shopId: number, shopifyCustomerId: bigint, o: OrderInput): Promise<void> {
  const key = identityKey();
  const hashes = { emailHash: emailHash(o.email, key), phoneHash: phoneHash(o.phone, key) };
  if (hashes.emailHash === null && hashes.phoneHash === null) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO "Customer" ("shopId", "shopifyCustomerId", "emailHash", "phoneHash", tags, "createdAt", "updatedAt")
     VALUES ($1, $2, $3, $4, '{}', $5::timestamp(3), $5::timestamp(3))
     ON CONFLICT ("shopId", "shopifyCustomerId") DO UPDATE
       SET "emailHash" = coalesce("Customer"."emailHash", EXCLUDED."emailHash"),
           "phoneHash" = coalesce("Customer"."phoneHash", EXCLUDED."phoneHash"),
           "updatedAt" = EXCLUDED."updatedAt"
       WHERE ("Customer"."emailHash" IS NULL AND EXCLUDED."emailHash" IS NOT NULL)
          OR ("Customer"."phoneHash" IS NULL AND EXCLUDED."phoneHash" IS NOT NULL)`,
    shopId,
    shopifyCustomerId,
    hashes.emailHash,
    hashes.phoneHash,
    sqlTimestamp(new Date()),
  );
}

export function ingestFulfillment(shop: ShopRef, f: FulfillmentInput, cause = "fulfillment"): Promise<IngestOutcome> {
  return run(shop, cause, async (tx) => {
    await lockKeys(tx, [`order:${shop.id}:${f.shopifyOrderId}`]);
    if ((await upsertFulfillment(tx, shop.id, f)) === "stale") return { outcome: "stale", customers: [] };
    await refreshOrderDelivered(tx, shop.id, f.shopifyOrderId);
    const order = await findOrderForLock(tx, shop.id, f.shopifyOrderId);
    return { outcome: "processed", customers: nonNull([order?.shopifyCustomerId]) };
  });
}

export function ingestCheckout(shop: ShopRef, c: CheckoutInput, cause = "checkout"): Promise<IngestOutcome> {
  return run(shop, cause, async (tx) => {
    await lockKeys(tx, [`checkout:${shop.id}:${c.token}`, customerLockKey(shop.id, c.shopifyCustomerId ?? null)]);
    const { erased, existing, orderProcessedAt } = await readCheckoutContext(tx, shop.id, c);
    if (erased) return { outcome: "stale", customers: [] };
    if (existing && c.updatedAt < existing.shopifyUpdatedAt) return { outcome: "stale", customers: [] };
    // A backfilled placeholder token never replaces a real one a webhook already stored.
    const input = existing && c.token.startsWith("ac:") ? { ...c, token: existing.token } : c;
    await writeCheckout(tx, shop.id, existing, input, orderProcessedAt);
    return { outcome: "processed", customers: nonNull([c.shopifyCustomerId, existing?.shopifyCustomerId]) };
  });
}

export function ingestCustomer(shop: ShopRef, c: CustomerInput, cause = "customer"): Promise<IngestOutcome> {
  return run(shop, cause, async (tx) => {
    await lockKeys(tx, [customerLockKey(shop.id, c.shopifyCustomerId)]);
    if (await erasedSince(tx, shop.id, c.shopifyCustomerId, c.updatedAt)) return { outcome: "stale", customers: [] };
    const where = { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: c.shopifyCustomerId } };
    const existing = await tx.customer.findUnique({ where, select: { shopifyUpdatedAt: true } });
    if (existing?.shopifyUpdatedAt && c.updatedAt < existing.shopifyUpdatedAt) return { outcome: "stale", customers: [] };
    // undefined = not in the payload: Prisma leaves the column as stored (absent is not empty).
    const key = identityKey();
    const data = {
      // Only an address replaces the stored hash: without one (absent, null, or redacted for lack of
      // protected customer data level 2) the hash an order gave stays.
      emailHash: emailHash(c.email, key) ?? undefined,
      phoneHash: phoneHash(c.phone, key) ?? undefined,
      tags: c.tags,
      emailMarketingState: c.emailMarketingState,
      smsMarketingState: c.smsMarketingState,
      locale: c.locale,
      shopifyUpdatedAt: c.updatedAt,
    };
    await tx.customer.upsert({
      where,
      create: { shopId: shop.id, shopifyCustomerId: c.shopifyCustomerId, ...data, tags: c.tags ?? [] },
      update: data,
    });
    return { outcome: "processed", customers: [c.shopifyCustomerId] };
  });
}

/**
 * Sets a customer's tags to Shopify's current list (customer.tags_added/_removed, re-read over Admin
 * GraphQL). Only tags change: the customer's other fields and updated_at ordering are untouched.
 */
export function ingestCustomerTags(
  shop: ShopRef,
  shopifyCustomerId: bigint,
  tags: string[],
  cause = "customer-tags",
): Promise<IngestOutcome> {
  return run(shop, cause, async (tx) => {
    await lockKeys(tx, [customerLockKey(shop.id, shopifyCustomerId)]);
    if (await tx.erasedCustomer.findUnique({ where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } } }))
      return { outcome: "stale", customers: [] };
    await tx.customer.upsert({
      where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
      create: { shopId: shop.id, shopifyCustomerId, tags },
      update: { tags },
    });
    return { outcome: "processed", customers: [shopifyCustomerId] };
  });
}

/**
 * Removes a customer's own data: facts, per-product rows and checkouts (and, for redact, its orders)
 * and unlinks the LINE friend. Orders stay on customers/delete (they are the shop's records).
 */
export async function eraseCustomer(
  shop: ShopRef,
  shopifyCustomerId: bigint,
  opts: { cause: string; orderIds?: bigint[]; eraseOrders: boolean },
) {
  const products = new Set<bigint>();
  let unlinkedFriendId: number | null = null;
  await db().$transaction(async (tx) => {
    await lockKeys(tx, [customerLockKey(shop.id, shopifyCustomerId)]);
    await tx.erasedCustomer.upsert({
      where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
      create: { shopId: shop.id, shopifyCustomerId, cause: opts.cause },
      update: { cause: opts.cause, erasedAt: new Date() },
    });
    const customer = await tx.customer.findUnique({
      where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
      select: { id: true },
    });
    for (const p of await tx.customerProduct.findMany({ where: { shopId: shop.id, shopifyCustomerId }, select: { productId: true } }))
      products.add(p.productId);
    // The linking service unlinks the friend and scrubs the customer id from the link history.
    unlinkedFriendId = await unlinkCustomerInTx(tx, shop.id, shopifyCustomerId);
    if (customer) await tx.customer.delete({ where: { id: customer.id } });
    await tx.customerProduct.deleteMany({ where: { shopId: shop.id, shopifyCustomerId } });
    await tx.checkout.deleteMany({ where: { shopId: shop.id, shopifyCustomerId } });
    if (opts.eraseOrders) {
      const orderWhere = { shopId: shop.id, OR: [{ shopifyCustomerId }, { shopifyOrderId: { in: opts.orderIds ?? [] } }] };
      const orders = await tx.order.findMany({ where: orderWhere, select: { shopifyOrderId: true } });
      await tx.fulfillment.deleteMany({ where: { shopId: shop.id, shopifyOrderId: { in: orders.map((o) => o.shopifyOrderId) } } });
      await tx.order.deleteMany({ where: orderWhere }); // lines cascade
      await tx.linkIntent.deleteMany({ where: { shopId: shop.id, shopifyCustomerId } });
    }
  }, TX_OPTIONS);
  await refreshProductRebuy(shop.id, [...products]);
  await afterLinkChange(shop.id, { unlinked: [unlinkedFriendId] });
  await emit(
    "customer.facts-changed",
    // Its friend was unlinked above (friend.unlinked re-evaluates that friend): none is linked now.
    { shopId: shop.id, shopifyCustomerId: String(shopifyCustomerId), cause: opts.cause, exists: false, friendIds: [] },
    factsKey(shopifyCustomerId),
  );
}
