import { describe, expect, it } from "vitest";
import { checkoutAbandonedAt, checkoutState, computeCustomerFacts, purchaseDayGaps, sumMoney, type FactsOrder } from "./facts";

const d = (s: string) => new Date(s);
const order = (o: Partial<FactsOrder> & { id: number; at: string }): FactsOrder => ({
  shopifyOrderId: BigInt(o.id),
  processedAt: d(o.at),
  cancelledAt: o.cancelledAt ?? null,
  test: o.test ?? false,
  totalPrice: o.totalPrice ?? "100.00",
  sourceName: o.sourceName ?? "web",
  deliveredAt: o.deliveredAt ?? null,
  lines: o.lines ?? [{ productId: 1n, quantity: 1 }],
});
const TZ = "Asia/Tokyo";

describe("computeCustomerFacts", () => {
  it.each([
    { name: "no orders", orders: [], count: 0, spent: "0.00", first: null, last: null, channel: null },
    {
      name: "counts non-test, non-cancelled orders",
      orders: [
        order({ id: 1, at: "2025-01-01T00:00:00Z", totalPrice: "10.50", sourceName: "pos" }),
        order({ id: 2, at: "2025-02-01T00:00:00Z", totalPrice: "0.55" }),
        order({ id: 3, at: "2024-12-01T00:00:00Z", test: true, sourceName: "draft" }),
        order({ id: 4, at: "2024-11-01T00:00:00Z", cancelledAt: d("2024-11-02T00:00:00Z") }),
      ],
      count: 2,
      spent: "11.05",
      first: "2025-01-01T00:00:00.000Z",
      last: "2025-02-01T00:00:00.000Z",
      channel: "pos",
    },
    {
      name: "all cancelled",
      orders: [order({ id: 1, at: "2025-01-01T00:00:00Z", cancelledAt: d("2025-01-02T00:00:00Z") })],
      count: 0,
      spent: "0.00",
      first: null,
      last: null,
      channel: null,
    },
  ])("$name", ({ orders, count, spent, first, last, channel }) => {
    const { facts } = computeCustomerFacts({ orders, checkouts: [], timeZone: TZ });
    expect(facts.purchaseCount).toBe(count);
    expect(facts.amountSpent).toBe(spent);
    expect(facts.firstPurchaseAt?.toISOString() ?? null).toBe(first);
    expect(facts.lastPurchaseAt?.toISOString() ?? null).toBe(last);
    expect(facts.firstPurchaseChannel).toBe(channel);
  });

  it("is independent of input order", () => {
    const orders = [
      order({ id: 2, at: "2025-01-01T00:00:00Z", sourceName: "b" }),
      order({ id: 1, at: "2025-01-01T00:00:00Z", sourceName: "a" }),
    ];
    const a = computeCustomerFacts({ orders, checkouts: [], timeZone: TZ });
    const b = computeCustomerFacts({ orders: [...orders].reverse(), checkouts: [], timeZone: TZ });
    expect(a).toEqual(b);
    expect(a.facts.firstPurchaseChannel).toBe("a");
  });

  it("products: quantities, order counts, re-buy interval over distinct local days", () => {
    const { products } = computeCustomerFacts({
      timeZone: TZ,
      checkouts: [],
      orders: [
        order({
          id: 1,
          at: "2025-01-01T01:00:00Z",
          lines: [
            { productId: 7n, quantity: 2 },
            { productId: 8n, quantity: 1 },
          ],
        }),
        // same Tokyo day as order 1 → not a new purchase day for product 7
        order({ id: 2, at: "2025-01-01T10:00:00Z", lines: [{ productId: 7n, quantity: 1 }] }),
        order({
          id: 3,
          at: "2025-01-31T01:00:00Z",
          lines: [
            { productId: 7n, quantity: 1 },
            { productId: null, quantity: 1 },
          ],
        }),
        order({ id: 4, at: "2025-03-02T01:00:00Z", lines: [{ productId: 7n, quantity: 1 }] }),
        order({ id: 5, at: "2025-06-01T01:00:00Z", test: true, lines: [{ productId: 8n, quantity: 5 }] }),
      ],
    });
    expect(products).toEqual([
      {
        productId: 7n,
        firstPurchasedAt: d("2025-01-01T01:00:00Z"),
        lastPurchasedAt: d("2025-03-02T01:00:00Z"),
        orderCount: 4,
        quantity: 5,
        rebuyIntervalDays: 30,
      },
      {
        productId: 8n,
        firstPurchasedAt: d("2025-01-01T01:00:00Z"),
        lastPurchasedAt: d("2025-01-01T01:00:00Z"),
        orderCount: 1,
        quantity: 1,
        rebuyIntervalDays: null,
      },
    ]);
  });

  it("abandoned checkout = most recent abandonedAt of uncompleted checkouts; delivered = latest delivery", () => {
    const { facts } = computeCustomerFacts({
      timeZone: TZ,
      orders: [
        order({ id: 1, at: "2025-01-01T00:00:00Z", deliveredAt: d("2025-01-05T00:00:00Z") }),
        order({ id: 2, at: "2025-02-01T00:00:00Z", deliveredAt: d("2025-02-03T00:00:00Z") }),
        order({ id: 3, at: "2025-03-01T00:00:00Z", cancelledAt: d("2025-03-01T01:00:00Z"), deliveredAt: d("2025-03-09T00:00:00Z") }),
      ],
      checkouts: [
        { token: "a", shopifyUpdatedAt: d("2025-01-10T00:00:00Z"), completedAt: null, abandonedAt: d("2025-01-10T00:00:00Z") },
        { token: "b", shopifyUpdatedAt: d("2025-01-20T00:00:00Z"), completedAt: null, abandonedAt: d("2025-01-20T00:00:00Z") },
        { token: "c", shopifyUpdatedAt: d("2025-02-20T00:00:00Z"), completedAt: d("2025-02-20T00:00:00Z"), abandonedAt: null },
      ],
    });
    expect(facts.abandonedCheckoutAt).toEqual(d("2025-01-20T00:00:00Z"));
    expect(facts.lastDeliveredAt).toEqual(d("2025-02-03T00:00:00Z"));
  });
});

describe("checkouts", () => {
  const now = d("2025-01-01T12:00:00Z");
  it.each([
    { completedAt: null, updatedAt: "2025-01-01T10:00:00Z", hasOrder: false, abandonedAt: "2025-01-01T10:00:00.000Z", state: "abandoned" },
    { completedAt: null, updatedAt: "2025-01-01T11:30:00Z", hasOrder: false, abandonedAt: "2025-01-01T11:30:00.000Z", state: "open" },
    { completedAt: null, updatedAt: "2025-01-01T10:00:00Z", hasOrder: true, abandonedAt: null, state: "completed" },
    { completedAt: "2025-01-01T10:05:00Z", updatedAt: "2025-01-01T10:00:00Z", hasOrder: false, abandonedAt: null, state: "completed" },
  ])("completed=$completedAt order=$hasOrder → $state", ({ completedAt, updatedAt, hasOrder, abandonedAt, state }) => {
    const c = { completedAt: completedAt ? d(completedAt) : null, updatedAt: d(updatedAt) };
    const a = checkoutAbandonedAt(c, hasOrder);
    expect(a?.toISOString() ?? null).toBe(abandonedAt);
    expect(checkoutState({ token: "t", shopifyUpdatedAt: c.updatedAt, completedAt: c.completedAt, abandonedAt: a }, now)).toBe(state);
  });
});

describe("helpers", () => {
  it.each([
    { values: ["1", "2.5", "0.05"], sum: "3.55" },
    { values: [], sum: "0.00" },
    { values: ["-1.10", "1"], sum: "-0.10" },
    { values: ["12345678901.99", "0.01"], sum: "12345678902.00" },
  ])("sumMoney($values) = $sum", ({ values, sum }) => expect(sumMoney(values)).toBe(sum));

  it("purchase day gaps use the shop time zone", () => {
    // 23:30 UTC on Jan 1 is Jan 2 in Tokyo: same Tokyo day as 01:00 UTC Jan 2.
    expect(purchaseDayGaps([d("2025-01-01T23:30:00Z"), d("2025-01-02T01:00:00Z")], TZ)).toEqual([]);
    expect(purchaseDayGaps([d("2025-01-01T23:30:00Z"), d("2025-01-02T01:00:00Z")], "UTC")).toEqual([1]);
  });
});
