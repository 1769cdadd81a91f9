// Fixtures for test/integration/ingestion*.test.ts. Realistic REST webhook bodies (the fields Shopify sends that we read, plus a few we ignore) and a
// per-customer event sequence for ingestion tests.
const iso = (base: Date, days: number, minutes = 0) => new Date(base.getTime() + days * 86_400_000 + minutes * 60_000).toISOString();

export interface WebhookEvent {
  topic: string;
  webhookId: string;
  triggeredAt: string;
  body: Record<string, unknown>;
}

export function customerBody(id: number, updatedAt: string, tags: string, emailState = "subscribed") {
  return {
    id,
    email: `c${id}@example.com`,
    first_name: "Test",
    last_name: `Customer ${id}`,
    created_at: updatedAt,
    updated_at: updatedAt,
    state: "enabled",
    tags,
    currency: "JPY",
    email_marketing_consent: { state: emailState, opt_in_level: "single_opt_in", consent_updated_at: updatedAt },
    sms_marketing_consent: null,
  };
}

export function lineItem(productId: number, quantity: number, price: string) {
  return {
    id: productId * 10 + quantity,
    product_id: productId,
    variant_id: productId * 100 + 1,
    title: `Product ${productId}`,
    quantity,
    price,
    sku: `SKU-${productId}`,
    vendor: "Test",
  };
}

export function orderBody(o: {
  id: number;
  customerId: number | null;
  processedAt: string;
  updatedAt: string;
  total: string;
  lines: ReturnType<typeof lineItem>[];
  checkoutToken?: string | null;
  cancelledAt?: string | null;
  sourceName?: string;
  test?: boolean;
  fulfillments?: Array<Record<string, unknown>>;
  financialStatus?: string;
}) {
  return {
    id: o.id,
    admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
    name: `#${o.id}`,
    email: o.customerId ? `c${o.customerId}@example.com` : null,
    created_at: o.processedAt,
    processed_at: o.processedAt,
    updated_at: o.updatedAt,
    cancelled_at: o.cancelledAt ?? null,
    test: o.test ?? false,
    total_price: o.total,
    currency: "JPY",
    source_name: o.sourceName ?? "web",
    financial_status: o.financialStatus ?? "paid",
    fulfillment_status: null,
    checkout_token: o.checkoutToken ?? null,
    order_status_url: `https://shop.example/orders/${o.id}`,
    customer: o.customerId ? { id: o.customerId, email: `c${o.customerId}@example.com` } : null,
    line_items: o.lines,
    fulfillments: o.fulfillments ?? [],
  };
}

export function checkoutBody(c: {
  id: number;
  token: string;
  customerId: number | null;
  createdAt: string;
  updatedAt: string;
  total: string;
  lines: ReturnType<typeof lineItem>[];
  completedAt?: string | null;
}) {
  return {
    id: c.id,
    token: c.token,
    cart_token: `cart-${c.token}`,
    email: c.customerId ? `c${c.customerId}@example.com` : null,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    completed_at: c.completedAt ?? null,
    abandoned_checkout_url: `https://shop.example/checkouts/${c.token}/recover`,
    total_price: c.total,
    currency: "JPY",
    customer_locale: "ja",
    customer: c.customerId ? { id: c.customerId } : null,
    line_items: c.lines,
  };
}

export function fulfillmentBody(f: { id: number; orderId: number; updatedAt: string; shipmentStatus: string | null }) {
  return {
    id: f.id,
    order_id: f.orderId,
    status: "success",
    shipment_status: f.shipmentStatus,
    created_at: f.updatedAt,
    updated_at: f.updatedAt,
    tracking_number: "X1",
  };
}

/**
 * One customer's life: sign-up, a checkout that completes into order 1, an abandoned second checkout,
 * a repeat order 30 days later, a cancelled order, a delivered fulfillment, a tag update.
 */
export function customerSequence(k: number, base = new Date(Date.UTC(2025, 0, 1, 3, 0, 0))): WebhookEvent[] {
  const cid = 9000 + k;
  const o1 = 50_000 + k * 10 + 1;
  const o2 = o1 + 1;
  const o3 = o1 + 2;
  const tk1 = `tok-${k}-1`;
  const tk2 = `tok-${k}-2`;
  const l1 = [lineItem(100, 2, "1500.00")];
  const events: Array<Omit<WebhookEvent, "webhookId">> = [];
  const add = (topic: string, at: string, body: Record<string, unknown>) => events.push({ topic, triggeredAt: at, body });

  add("customers/create", iso(base, 0), customerBody(cid, iso(base, 0), "vip"));
  add(
    "checkouts/create",
    iso(base, 1, 0),
    checkoutBody({
      id: cid * 10 + 1,
      token: tk1,
      customerId: cid,
      createdAt: iso(base, 1),
      updatedAt: iso(base, 1, 0),
      total: "1500.00",
      lines: [lineItem(100, 1, "1500.00")],
    }),
  );
  add(
    "checkouts/update",
    iso(base, 1, 5),
    checkoutBody({
      id: cid * 10 + 1,
      token: tk1,
      customerId: cid,
      createdAt: iso(base, 1),
      updatedAt: iso(base, 1, 5),
      total: "3000.00",
      lines: l1,
    }),
  );
  add(
    "orders/create",
    iso(base, 1, 10),
    orderBody({
      id: o1,
      customerId: cid,
      processedAt: iso(base, 1, 10),
      updatedAt: iso(base, 1, 10),
      total: "3000.00",
      lines: l1,
      checkoutToken: tk1,
      financialStatus: "pending",
    }),
  );
  add(
    "orders/updated",
    iso(base, 1, 20),
    orderBody({
      id: o1,
      customerId: cid,
      processedAt: iso(base, 1, 10),
      updatedAt: iso(base, 1, 20),
      total: "3000.00",
      lines: l1,
      checkoutToken: tk1,
    }),
  );
  add(
    "fulfillments/update",
    iso(base, 5),
    fulfillmentBody({ id: o1 * 10, orderId: o1, updatedAt: iso(base, 5), shipmentStatus: "delivered" }),
  );
  add(
    "orders/fulfilled",
    iso(base, 3),
    orderBody({
      id: o1,
      customerId: cid,
      processedAt: iso(base, 1, 10),
      updatedAt: iso(base, 3),
      total: "3000.00",
      lines: l1,
      checkoutToken: tk1,
      fulfillments: [fulfillmentBody({ id: o1 * 10, orderId: o1, updatedAt: iso(base, 3), shipmentStatus: "in_transit" })],
    }),
  );
  const l2 = [lineItem(100, 1, "1500.00"), lineItem(200 + k, 1, "3000.00")];
  add(
    "orders/create",
    iso(base, 31),
    orderBody({
      id: o2,
      customerId: cid,
      processedAt: iso(base, 31),
      updatedAt: iso(base, 31),
      total: "4500.00",
      lines: l2,
      sourceName: "pos",
    }),
  );
  const l3 = [lineItem(300, 5, "100.00")];
  add(
    "orders/create",
    iso(base, 40),
    orderBody({ id: o3, customerId: cid, processedAt: iso(base, 40), updatedAt: iso(base, 40), total: "500.00", lines: l3 }),
  );
  add(
    "orders/cancelled",
    iso(base, 40, 30),
    orderBody({
      id: o3,
      customerId: cid,
      processedAt: iso(base, 40),
      updatedAt: iso(base, 40, 30),
      total: "500.00",
      lines: l3,
      cancelledAt: iso(base, 40, 30),
      financialStatus: "refunded",
    }),
  );
  add(
    "checkouts/create",
    iso(base, 45),
    checkoutBody({
      id: cid * 10 + 2,
      token: tk2,
      customerId: cid,
      createdAt: iso(base, 45),
      updatedAt: iso(base, 45),
      total: "800.00",
      lines: [lineItem(400, 1, "800.00")],
    }),
  );
  add(
    "checkouts/update",
    iso(base, 45, 3),
    checkoutBody({
      id: cid * 10 + 2,
      token: tk2,
      customerId: cid,
      createdAt: iso(base, 45),
      updatedAt: iso(base, 45, 3),
      total: "1600.00",
      lines: [lineItem(400, 2, "800.00")],
    }),
  );
  add("customers/update", iso(base, 46), customerBody(cid, iso(base, 46), "vip, repeat"));
  return events.map((e, i) => ({ ...e, webhookId: `wh-${k}-${i}` }));
}

/** Deterministic shuffle (mulberry32) so a failing order can be replayed. */
export function seededShuffle<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
