// Normalized Shopify records, produced both from REST webhook bodies (app/adapters/shopify/payloads.ts)
// and from Admin GraphQL bulk results (app/adapters/shopify/bulk-operations.server.ts), so webhooks and
// backfill go through the same upsert services. Money is a decimal string in the shop currency.
//
// Absent is not empty: since API version 2025-01 Shopify omits fields that did not change or are no
// longer sent (e.g. customers/update has no `tags`: shopify.dev/changelog/new-customer-s-webhook-and-
// changes-to-existing-customer-s-webhooks-payload). An optional field (`?:`) is undefined when the
// payload did not carry it — the upserts then keep what is stored — and null when Shopify sent null.
export interface OrderLineInput {
  productId: bigint | null;
  variantId: bigint | null;
  title: string;
  quantity: number;
  price: string;
}

export interface FulfillmentInput {
  shopifyFulfillmentId: bigint;
  shopifyOrderId: bigint;
  status?: string | null;
  shipmentStatus?: string | null;
  updatedAt: Date;
}

export interface OrderInput {
  shopifyOrderId: bigint;
  shopifyCustomerId?: bigint | null;
  name?: string | null;
  checkoutToken?: string | null;
  processedAt: Date;
  updatedAt: Date;
  cancelledAt?: Date | null;
  test?: boolean;
  totalPrice: string;
  currency: string;
  sourceName?: string | null;
  financialStatus?: string | null;
  fulfillmentStatus?: string | null;
  orderStatusUrl?: string | null;
  lines: OrderLineInput[];
  fulfillments: FulfillmentInput[];
  /**
   * The order's contact email / phone: only hashed into the customer's emailHash / phoneHash where
   * the customer has none (app/domain/integrations/identity.ts); never stored as such.
   */
  email?: string | null;
  phone?: string | null;
}

export interface CheckoutLineInput {
  productId: string | null;
  variantId: string | null;
  title: string;
  quantity: number;
  price: string;
}

export interface CheckoutInput {
  shopifyCheckoutId: bigint | null;
  token: string;
  shopifyCustomerId?: bigint | null;
  recoveryUrl?: string | null;
  completedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
  totalPrice: string;
  currency: string;
  locale?: string | null;
  lineItems: CheckoutLineInput[];
}

export interface CustomerInput {
  shopifyCustomerId: bigint;
  updatedAt: Date;
  tags?: string[];
  emailMarketingState?: string | null;
  smsMarketingState?: string | null;
  locale?: string | null;
  /** Only hashed into Customer.emailHash / phoneHash (app/domain/integrations/identity.ts); never stored as such. */
  email?: string | null;
  phone?: string | null;
}
