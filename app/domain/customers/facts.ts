// Customer facts derived from a customer's orders and checkouts. Pure: the caller loads the rows,
// this computes, the caller persists. Facts are always recomputed from all rows (never incremented),
// so duplicate and out-of-order deliveries converge on the same result.
import { localDate } from "../time/zoned";

export interface FactsOrder {
  shopifyOrderId: bigint;
  processedAt: Date;
  cancelledAt: Date | null;
  test: boolean;
  totalPrice: string; // decimal, shop currency
  sourceName: string | null;
  deliveredAt: Date | null;
  lines: Array<{ productId: bigint | null; quantity: number }>;
}

export interface FactsCheckout {
  token: string;
  shopifyUpdatedAt: Date;
  completedAt: Date | null;
  abandonedAt: Date | null;
}

export interface CustomerFacts {
  purchaseCount: number;
  firstPurchaseAt: Date | null;
  lastPurchaseAt: Date | null;
  amountSpent: string;
  firstPurchaseChannel: string | null;
  abandonedCheckoutAt: Date | null;
  lastDeliveredAt: Date | null;
}

export interface CustomerProductFacts {
  productId: bigint;
  firstPurchasedAt: Date;
  lastPurchasedAt: Date;
  orderCount: number;
  quantity: number;
  /** Mean gap in days between distinct purchase days (shop time zone); null with fewer than 2 days. */
  rebuyIntervalDays: number | null;
}

const DAY_MS = 86_400_000;

/** A purchase counts unless the order is a test order or cancelled. */
function countsAsPurchase(o: Pick<FactsOrder, "test" | "cancelledAt">): boolean {
  return !o.test && o.cancelledAt === null;
}

/** Exact decimal sum with two fraction digits (Decimal(14,2) columns). */
export function sumMoney(values: string[]): string {
  let cents = 0n;
  for (const v of values) {
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(v.trim());
    if (!m) throw new Error(`not a decimal amount: ${v}`);
    const frac = (m[3] ?? "").padEnd(2, "0").slice(0, 2);
    const c = BigInt(m[2]) * 100n + BigInt(frac);
    cents += m[1] ? -c : c;
  }
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  return `${neg ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/** Gaps in whole days between consecutive distinct local purchase days. */
export function purchaseDayGaps(dates: Date[], timeZone: string): number[] {
  // Calendar days in the shop's time zone: two orders on one local day are one purchase day.
  const days = [...new Set(dates.map((d) => localDate(d, timeZone)))].sort();
  const gaps: number[] = [];
  for (let i = 1; i < days.length; i++) gaps.push((Date.parse(days[i]) - Date.parse(days[i - 1])) / DAY_MS);
  return gaps;
}

function mean(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/**
 * Checkout.abandonedAt: the last update of a checkout with no completion and no order carrying its
 * token; null once completed.
 */
export function checkoutAbandonedAt(c: { completedAt: Date | null; updatedAt: Date }, hasOrder: boolean): Date | null {
  return c.completedAt || hasOrder ? null : c.updatedAt;
}

export type CheckoutState = "open" | "completed" | "abandoned";

/**
 * A checkout not completed is "open" while the buyer may still be active and "abandoned" once it has
 * not changed for `abandonAfterMs` (reminder features apply their own delays on top of abandonedAt).
 */
export function checkoutState(c: FactsCheckout, now: Date, abandonAfterMs = 60 * 60_000): CheckoutState {
  if (c.completedAt || !c.abandonedAt) return "completed";
  return now.getTime() - c.abandonedAt.getTime() >= abandonAfterMs ? "abandoned" : "open";
}

export function computeCustomerFacts(input: { orders: FactsOrder[]; checkouts: FactsCheckout[]; timeZone: string }): {
  facts: CustomerFacts;
  products: CustomerProductFacts[];
} {
  // Ties on processedAt are broken by order id so the result never depends on load order.
  const purchases = input.orders
    .filter(countsAsPurchase)
    .sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime() || (a.shopifyOrderId < b.shopifyOrderId ? -1 : 1));
  const first = purchases[0];
  const last = purchases[purchases.length - 1];
  const delivered = purchases.flatMap((o) => (o.deliveredAt ? [o.deliveredAt.getTime()] : []));
  const abandoned = input.checkouts.flatMap((c) => (!c.completedAt && c.abandonedAt ? [c.abandonedAt.getTime()] : []));

  const byProduct = new Map<bigint, { dates: Date[]; orders: Set<bigint>; quantity: number }>();
  for (const o of purchases) {
    for (const l of o.lines) {
      if (l.productId === null) continue;
      const p = byProduct.get(l.productId) ?? { dates: [], orders: new Set<bigint>(), quantity: 0 };
      p.dates.push(o.processedAt);
      p.orders.add(o.shopifyOrderId);
      p.quantity += l.quantity;
      byProduct.set(l.productId, p);
    }
  }
  const products = [...byProduct.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([productId, p]): CustomerProductFacts => {
      const times = p.dates.map((d) => d.getTime());
      return {
        productId,
        firstPurchasedAt: new Date(Math.min(...times)),
        lastPurchasedAt: new Date(Math.max(...times)),
        orderCount: p.orders.size,
        quantity: p.quantity,
        rebuyIntervalDays: mean(purchaseDayGaps(p.dates, input.timeZone)),
      };
    });

  return {
    facts: {
      purchaseCount: purchases.length,
      firstPurchaseAt: first?.processedAt ?? null,
      lastPurchaseAt: last?.processedAt ?? null,
      amountSpent: sumMoney(purchases.map((o) => o.totalPrice)),
      firstPurchaseChannel: first?.sourceName ?? null,
      abandonedCheckoutAt: abandoned.length ? new Date(Math.max(...abandoned)) : null,
      lastDeliveredAt: delivered.length ? new Date(Math.max(...delivered)) : null,
    },
    products,
  };
}
