// Synthetic but realistic store for the sandbox and the benchmarks. Deterministic for a seed.
// Shapes follow Shopify's REST webhook payloads (orders/*, checkouts/*, customers/*) so the same
// events can be delivered through the real, signed webhook routes.
//
// Behaviour modelled: customers sign up over `months`; a long tail of order counts (most buy once
// or never); repeat buyers re-order their staple consumable on its re-buy cycle with jitter; every
// order has a completed checkout; about 2 of 3 checkouts are abandoned (Baymard's ~70%), some in
// the last 48 h; a few orders are test orders or cancelled; most are fulfilled and then delivered.
// A share of customers are LINE friends, about half of those linked; some friends are not customers.

export interface Product {
  id: number;
  variantIds: number[];
  title: string;
  price: number;
  cycleDays: number | null; // re-buy cycle for consumables
  image: string;
}

export interface GeneratorOptions {
  seed?: number;
  customers: number;
  now?: Date;
  months?: number;
  friendShare?: number; // customers who are LINE friends
  linkedShare?: number; // of those friends, linked to their customer
  extraFriendShare?: number; // friends who are not customers, relative to customers
  blockedShare?: number;
  shopDomain?: string;
  /** The shop's currency (orders and checkouts are in it); default JPY. */
  currency?: string;
}

export type WebhookTopic =
  | "customers/create"
  | "customers/update"
  | "checkouts/create"
  | "checkouts/update"
  | "orders/create"
  | "orders/updated"
  | "orders/cancelled"
  | "orders/fulfilled"
  | "fulfillments/update";

export interface WebhookEvent {
  kind: "webhook";
  topic: WebhookTopic;
  at: Date; // when Shopify would have triggered it
  payload: Record<string, unknown>;
}

export interface FriendEvent {
  kind: "friend";
  lineUserId: string;
  displayName: string;
  language: string;
  followedAt: Date;
  blocked: boolean;
  shopifyCustomerId: number | null; // linked customer, if any
  isCustomer: boolean;
}

export type StoreEvent = WebhookEvent | FriendEvent;

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRODUCT_SEEDS: Array<[string, number, number | null]> = [
  ["Single-origin coffee beans 200g", 1800, 30],
  ["Drip coffee bags (20)", 1200, 21],
  ["Hojicha tea leaves", 1500, 35],
  ["Matcha powder 40g", 2800, 45],
  ["Amino shampoo 500ml", 2400, 45],
  ["Conditioner 500ml", 2400, 50],
  ["Face lotion 150ml", 3300, 40],
  ["Sunscreen SPF50", 1980, 60],
  ["Protein bar box (12)", 2600, 14],
  ["Whey protein 1kg", 5200, 30],
  ["Vitamin C 60 days", 1600, 60],
  ["Cat food 2kg", 2900, 28],
  ["Dog treats", 980, 20],
  ["Laundry detergent refill", 780, 25],
  ["Dish soap refill", 450, 30],
  ["Rice 5kg Koshihikari", 3600, 30],
  ["Soy sauce 1L", 680, 60],
  ["Olive oil 500ml", 1900, 45],
  ["Contact lens solution", 1400, 30],
  ["Baby wipes (12 packs)", 2200, 21],
  ["Linen shirt", 7900, null],
  ["Canvas tote bag", 3900, null],
  ["Ceramic mug", 2600, null],
  ["Wool scarf", 8800, null],
  ["Bamboo cutting board", 4400, null],
  ["Stainless water bottle", 3200, null],
  ["Wireless earbuds case", 2100, null],
  ["Notebook A5", 880, null],
  ["Aroma diffuser", 6600, null],
  ["Gift card ¥5,000", 5000, null],
];

export function catalog(): Product[] {
  return PRODUCT_SEEDS.map(([title, price, cycleDays], i) => ({
    id: 8_000_000_000_000 + i + 1,
    variantIds: [4_000_000_000_000 + (i + 1) * 10 + 1, 4_000_000_000_000 + (i + 1) * 10 + 2],
    title,
    price,
    cycleDays,
    image: `https://cdn.example.com/products/${i + 1}.png`,
  }));
}

const FAMILY = [
  "Sato",
  "Suzuki",
  "Takahashi",
  "Tanaka",
  "Watanabe",
  "Ito",
  "Yamamoto",
  "Nakamura",
  "Chen",
  "Lin",
  "Wang",
  "Srisuk",
  "Chaiyaporn",
];
const GIVEN = ["Yui", "Haruto", "Aoi", "Sota", "Hina", "Ren", "Mei", "Yuto", "Ting", "Wei", "Ploy", "Nattapong", "Sakura", "Kenji"];
const LANGS: Array<[string, number]> = [
  ["ja", 0.78],
  ["zh-TW", 0.12],
  ["th", 0.06],
  ["en", 0.04],
];

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString();
const money = (n: number) => n.toFixed(2);

export function lineUserIdFor(n: number, seed: number): string {
  let h = (n * 2654435761 + seed) >>> 0;
  let out = "U";
  for (let i = 0; i < 4; i++) {
    h = Math.imul(h ^ (h >>> 13), 1274126177) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out;
}

/** Generates the store customer by customer (bounded memory at any size). */
export function* generateStore(opts: GeneratorOptions): Generator<StoreEvent> {
  const seed = opts.seed ?? 42;
  const rnd = mulberry32(seed);
  const now = opts.now ?? new Date();
  const months = opts.months ?? 18;
  const start = now.getTime() - months * 30 * DAY;
  const products = catalog();
  const consumables = products.filter((p) => p.cycleDays);
  const shop = opts.shopDomain ?? "sandbox-shop.myshopify.com";
  const currency = opts.currency ?? "JPY";
  const friendShare = opts.friendShare ?? 0.6;
  const linkedShare = opts.linkedShare ?? 0.5;
  const blockedShare = opts.blockedShare ?? 0.06;
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const language = () => {
    let r = rnd();
    for (const [l, w] of LANGS) if ((r -= w) < 0) return l;
    return "ja";
  };
  let orderSeq = 0;
  let checkoutSeq = 0;
  let friendSeq = 0;

  for (let c = 1; c <= opts.customers; c++) {
    const customerId = 7_000_000_000_000 + c;
    const createdAt = new Date(start + rnd() * (now.getTime() - start - DAY));
    const first = pick(GIVEN);
    const last = pick(FAMILY);
    const r = rnd();
    const orderCount = r < 0.33 ? 0 : r < 0.68 ? 1 : r < 0.83 ? 2 : r < 0.94 ? 3 + Math.floor(rnd() * 3) : 6 + Math.floor(rnd() * 10);
    const staple = pick(consumables);
    const tags: string[] = [];
    if (rnd() < 0.03) tags.push("wholesale");
    if (rnd() < 0.2) tags.push("newsletter");
    if (orderCount >= 5) tags.push("vip");
    const emailSubscribed = rnd() < 0.55;
    const smsSubscribed = rnd() < 0.15;
    const locale = language();
    const customerPayload = (updatedAt: Date, ordersCount: number, spent: number) => ({
      id: customerId,
      admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
      email: `customer${c}@example.com`,
      first_name: first,
      last_name: last,
      state: "enabled",
      tags: tags.join(", "),
      currency,
      orders_count: ordersCount,
      total_spent: money(spent),
      created_at: iso(createdAt),
      updated_at: iso(updatedAt),
      email_marketing_consent: {
        state: emailSubscribed ? "subscribed" : "not_subscribed",
        opt_in_level: "single_opt_in",
        consent_updated_at: iso(createdAt),
      },
      sms_marketing_consent: smsSubscribed
        ? { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: iso(createdAt), consent_collected_from: "SHOPIFY" }
        : null,
    });
    yield { kind: "webhook", topic: "customers/create", at: createdAt, payload: customerPayload(createdAt, 0, 0) };
    const customerRef = {
      id: customerId,
      admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
      tags: tags.join(", "),
      currency,
    };

    const lineItemsFor = (n: number, withStaple: boolean) => {
      const items: Array<{ p: Product; variantId: number; quantity: number }> = [];
      if (withStaple) items.push({ p: staple, variantId: staple.variantIds[0], quantity: 1 + (rnd() < 0.2 ? 1 : 0) });
      while (items.length < n) {
        const p = pick(products);
        if (items.some((i) => i.p.id === p.id)) continue;
        items.push({ p, variantId: pick(p.variantIds), quantity: 1 });
      }
      return items;
    };
    const checkoutPayload = (
      token: string,
      id: number,
      items: ReturnType<typeof lineItemsFor>,
      created: Date,
      updated: Date,
      completedAt: Date | null,
    ) => ({
      id,
      token,
      cart_token: `cart-${token}`,
      email: `customer${c}@example.com`,
      created_at: iso(created),
      updated_at: iso(updated),
      completed_at: completedAt ? iso(completedAt) : null,
      closed_at: null,
      currency,
      presentment_currency: currency,
      customer_locale: locale,
      abandoned_checkout_url: `https://${shop}/checkouts/${token}/recover?key=${token.slice(0, 12)}`,
      total_price: money(items.reduce((s, i) => s + i.p.price * i.quantity, 0)),
      subtotal_price: money(items.reduce((s, i) => s + i.p.price * i.quantity, 0)),
      buyer_accepts_marketing: emailSubscribed,
      customer: customerRef,
      line_items: items.map((i) => ({
        product_id: i.p.id,
        variant_id: i.variantId,
        title: i.p.title,
        variant_title: i.variantId === i.p.variantIds[0] ? "Default" : "Large",
        quantity: i.quantity,
        price: money(i.p.price),
        line_price: money(i.p.price * i.quantity),
        sku: `SKU-${i.variantId}`,
      })),
    });

    // Orders, each with its completed checkout, following the staple's re-buy cycle.
    let t = createdAt.getTime() + rnd() * 20 * DAY;
    let spent = 0;
    let placed = 0;
    for (let o = 0; o < orderCount && t < now.getTime() - 3_600_000; o++) {
      const orderAt = new Date(t);
      const items = lineItemsFor(1 + Math.floor(rnd() * 2), o === 0 || rnd() < 0.85);
      const token = `co${seed.toString(36)}${(++checkoutSeq).toString(36).padStart(8, "0")}`;
      const checkoutId = 3_000_000_000_000 + checkoutSeq;
      const checkoutCreated = new Date(orderAt.getTime() - (10 + rnd() * 30) * 60_000);
      yield {
        kind: "webhook",
        topic: "checkouts/create",
        at: checkoutCreated,
        payload: checkoutPayload(token, checkoutId, items, checkoutCreated, checkoutCreated, null),
      };
      yield {
        kind: "webhook",
        topic: "checkouts/update",
        at: orderAt,
        payload: checkoutPayload(token, checkoutId, items, checkoutCreated, orderAt, orderAt),
      };
      const orderId = 5_000_000_000_000 + ++orderSeq;
      const total = items.reduce((s, i) => s + i.p.price * i.quantity, 0);
      const test = rnd() < 0.005;
      const cancelled = !test && rnd() < 0.02;
      const source = o === 0 ? (rnd() < 0.85 ? "web" : rnd() < 0.5 ? "pos" : "shopify_draft_order") : "web";
      const base = {
        id: orderId,
        admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
        name: `#${1000 + orderSeq}`,
        order_number: 1000 + orderSeq,
        email: `customer${c}@example.com`,
        created_at: iso(orderAt),
        processed_at: iso(orderAt),
        updated_at: iso(orderAt),
        cancelled_at: null as string | null,
        cancel_reason: null as string | null,
        closed_at: null,
        test,
        currency,
        presentment_currency: currency,
        total_price: money(total),
        current_total_price: money(total),
        subtotal_price: money(total),
        total_discounts: "0.00",
        financial_status: "paid",
        fulfillment_status: null as string | null,
        source_name: source,
        checkout_token: token,
        cart_token: `cart-${token}`,
        token: `ord-${token}`,
        customer_locale: locale,
        buyer_accepts_marketing: emailSubscribed,
        order_status_url: `https://${shop}/${orderId}/orders/${token}/authenticate?key=${token.slice(0, 10)}`,
        tags: "",
        customer: customerRef,
        fulfillments: [] as Array<Record<string, unknown>>,
        line_items: items.map((i, n) => ({
          id: 9_000_000_000_000 + orderSeq * 10 + n,
          product_id: i.p.id,
          variant_id: i.variantId,
          title: i.p.title,
          name: i.p.title,
          variant_title: i.variantId === i.p.variantIds[0] ? "Default" : "Large",
          quantity: i.quantity,
          price: money(i.p.price),
          sku: `SKU-${i.variantId}`,
          vendor: "Sandbox",
          fulfillment_status: null,
          product_exists: true,
          gift_card: false,
        })),
      };
      yield { kind: "webhook", topic: "orders/create", at: orderAt, payload: base };
      if (cancelled) {
        const at = new Date(orderAt.getTime() + 2 * 3_600_000);
        yield {
          kind: "webhook",
          topic: "orders/cancelled",
          at,
          payload: { ...base, updated_at: iso(at), cancelled_at: iso(at), cancel_reason: "customer", financial_status: "refunded" },
        };
      } else {
        if (!test) {
          spent += total;
          placed++;
        }
        const fulfilledAt = orderAt.getTime() + (1 + rnd() * 2) * DAY;
        if (fulfilledAt < now.getTime() && rnd() < 0.95) {
          const fAt = new Date(fulfilledAt);
          const fulfillment = {
            id: 6_000_000_000_000 + orderSeq,
            order_id: orderId,
            status: "success",
            shipment_status: "in_transit",
            created_at: iso(fAt),
            updated_at: iso(fAt),
            tracking_company: "Yamato",
            tracking_number: `${400000000000 + orderSeq}`,
          };
          yield {
            kind: "webhook",
            topic: "orders/fulfilled",
            at: fAt,
            payload: { ...base, updated_at: iso(fAt), fulfillment_status: "fulfilled", fulfillments: [fulfillment] },
          };
          const deliveredAt = fulfilledAt + (1 + rnd() * 3) * DAY;
          if (deliveredAt < now.getTime()) {
            const dAt = new Date(deliveredAt);
            yield {
              kind: "webhook",
              topic: "fulfillments/update",
              at: dAt,
              payload: { ...fulfillment, shipment_status: "delivered", updated_at: iso(dAt), line_items: base.line_items },
            };
          }
        }
      }
      const cycle = staple.cycleDays ?? 60;
      t += cycle * (0.8 + rnd() * 0.5) * DAY;
    }
    if (placed > 0) {
      const at = new Date(Math.min(now.getTime() - 60_000, t));
      yield { kind: "webhook", topic: "customers/update", at, payload: customerPayload(at, placed, spent) };
    }

    // Abandoned checkouts: two per three checkouts overall; 8% of customers have a recent one.
    const abandoned = (placed === 0 ? 1 : 0) + (rnd() < 0.45 ? 1 : 0) + (rnd() < 0.08 ? 1 : 0);
    for (let a = 0; a < abandoned; a++) {
      const recent = a === abandoned - 1 && rnd() < 0.2;
      const created = recent
        ? new Date(now.getTime() - rnd() * 48 * 3_600_000)
        : new Date(createdAt.getTime() + rnd() * (now.getTime() - createdAt.getTime()));
      const updated = new Date(Math.min(now.getTime() - 60_000, created.getTime() + rnd() * 20 * 60_000));
      const items = lineItemsFor(1 + Math.floor(rnd() * 3), rnd() < 0.5);
      const token = `co${seed.toString(36)}${(++checkoutSeq).toString(36).padStart(8, "0")}`;
      const id = 3_000_000_000_000 + checkoutSeq;
      yield { kind: "webhook", topic: "checkouts/create", at: created, payload: checkoutPayload(token, id, items, created, created, null) };
      yield { kind: "webhook", topic: "checkouts/update", at: updated, payload: checkoutPayload(token, id, items, created, updated, null) };
    }

    if (rnd() < friendShare) {
      const n = ++friendSeq;
      yield {
        kind: "friend",
        lineUserId: lineUserIdFor(n, seed),
        displayName: `${first} ${last.slice(0, 1)}.`,
        language: locale,
        followedAt: new Date(createdAt.getTime() + rnd() * (now.getTime() - createdAt.getTime())),
        blocked: rnd() < blockedShare,
        shopifyCustomerId: rnd() < linkedShare ? customerId : null,
        isCustomer: true,
      };
    }
  }
  const extra = Math.round(opts.customers * (opts.extraFriendShare ?? 0.25));
  for (let e = 0; e < extra; e++) {
    const n = ++friendSeq;
    yield {
      kind: "friend",
      lineUserId: lineUserIdFor(n, seed),
      displayName: `${pick(GIVEN)} ${pick(FAMILY).slice(0, 1)}.`,
      language: language(),
      followedAt: new Date(start + rnd() * (now.getTime() - start)),
      blocked: rnd() < blockedShare,
      shopifyCustomerId: null,
      isCustomer: false,
    };
  }
}
