// Who may start a LINE link from the checkout extension (issue 9 item 3, docs/linking.md). Pure:
// the service gathers the facts (the order as Shopify's Admin API reports it, our link state) and
// `now`; this decides. Every refusal has a reason for the log, but the caller answers all of them
// alike, so the answer never tells whether an order exists, whose it is, its age or its link.
/**
 * A guest may claim an order only within this long after it was placed: the Thank-you page is seen
 * right after checkout, and a short window limits what a leaked checkout token is worth. 30 minutes
 * covers a slow shopper and LINE Login; the intent it issues lives another 15 (INTENT_TTL_MS).
 */
export const GUEST_CLAIM_WINDOW_MS = 30 * 60_000;

/** Clock skew tolerated between Shopify's timestamps and ours (an order "from the future"). */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface CheckoutOrderFacts {
  /** Numeric Shopify customer id of the order (null: no customer record). */
  customerId: bigint | null;
  createdAt: Date;
  processedAt: Date;
  /** `Order.checkoutToken` (Admin GraphQL 2026-07+; REST `checkout_token`): the checkout it came from. */
  checkoutToken: string | null;
}

export interface CheckoutClaimFacts {
  /** null: Shopify has no such order in this shop. */
  order: CheckoutOrderFacts | null;
  /** The session token's `sub` as a numeric customer id; null for a guest (no `sub`). */
  sessionCustomerId: bigint | null;
  /** The checkout token the extension read on the Thank-you page (`shopify.checkoutToken`); untrusted. */
  presentedCheckoutToken: string | null;
  /** The order's customer is linked to a LINE user already. */
  customerLinked: boolean;
  /** A link was already completed from this order. */
  orderClaimed: boolean;
}

export type CheckoutClaimRefusal =
  "order-not-found" | "no-customer" | "other-customer" | "checkout-mismatch" | "too-old" | "already-linked" | "already-claimed";

export type CheckoutClaim = { ok: true; customerId: bigint; guest: boolean } | { ok: false; reason: CheckoutClaimRefusal };

/**
 * Logged-in buyer (session token with `sub`, which Shopify signs): the order must be that
 * customer's. Guest (no `sub`; Shopify: "For anonymous buyers, the claim is absent",
 * checkout-ui-extensions session-token API): anyone can check out as a guest with someone else's
 * email and Shopify attaches the order to that person's customer record, so a guest proves only
 * possession of one checkout. They may claim an order only when (1) the checkout token they present
 * equals the order's (`shopify.checkoutToken` "matches the checkout_token field in the REST Admin
 * API Order resource", Checkout Token API), (2) it was created and processed within
 * GUEST_CLAIM_WINDOW_MS of `now`, (3) its customer has no LINE link yet and no link was completed
 * from this order — a guest never replaces a link.
 */
export function decideCheckoutClaim(f: CheckoutClaimFacts, now: Date): CheckoutClaim {
  const { order } = f;
  if (!order) return { ok: false, reason: "order-not-found" };
  if (order.customerId === null) return { ok: false, reason: "no-customer" };
  if (f.sessionCustomerId !== null) {
    return f.sessionCustomerId === order.customerId
      ? { ok: true, customerId: order.customerId, guest: false }
      : { ok: false, reason: "other-customer" };
  }
  if (!order.checkoutToken || !f.presentedCheckoutToken || !constantTimeEqual(order.checkoutToken, f.presentedCheckoutToken))
    return { ok: false, reason: "checkout-mismatch" };
  const placed = Math.min(order.createdAt.getTime(), order.processedAt.getTime());
  const latest = Math.max(order.createdAt.getTime(), order.processedAt.getTime());
  if (Number.isNaN(placed) || now.getTime() - placed > GUEST_CLAIM_WINDOW_MS || latest - now.getTime() > CLOCK_SKEW_MS)
    return { ok: false, reason: "too-old" };
  if (f.customerLinked) return { ok: false, reason: "already-linked" };
  if (f.orderClaimed) return { ok: false, reason: "already-claimed" };
  return { ok: true, customerId: order.customerId, guest: true };
}

/** Compares without an early exit, so the time taken does not tell how much of a token matched. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    diff |= (a.charCodeAt(i % (a.length || 1)) || 0) ^ (b.charCodeAt(i % (b.length || 1)) || 0);
  return diff === 0;
}
