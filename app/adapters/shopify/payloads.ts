// zod schemas for the Shopify REST webhook bodies we read (only the fields we use; everything else is
// ignored). Webhook body = "the full REST resource for the subscribed topic"
// (https://shopify.dev/docs/apps/build/webhooks/delivery-structure). Each schema maps the REST shape to
// the normalized inputs in app/domain/customers/inputs.ts, which the backfill (GraphQL) also produces.
import { z } from "zod";
import type { CheckoutInput, CustomerInput, FulfillmentInput, OrderInput } from "~/domain/customers/inputs";
import type { ShopSettingsInput } from "~/domain/shops/settings";

// REST ids are 64-bit JSON numbers (or strings in some payloads); stored as BigInt. Payloads are parsed
// with parseJsonLossless, so an id above 2^53 arrives as its exact digit string, never rounded.
const MAX_ID = 2n ** 63n - 1n; // PostgreSQL bigint
const id = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d{1,19}$/)])
  .transform((v) => BigInt(v))
  .refine((v) => v <= MAX_ID, "id exceeds 64 bits");
const date = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), "invalid date")
  .transform((s) => new Date(s));
const money = z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()]).transform((v) => String(v));
// Absent ≠ empty (app/domain/customers/inputs.ts): a field the payload does not carry maps to
// undefined ("keep what is stored"); null stays null.
const consentState = z
  .object({ state: z.string().nullish() })
  .nullish()
  .transform((c) => (c === undefined ? undefined : c?.state ? c.state.toUpperCase() : null));
/** `customer: {id}` → its id; `customer: null` → null (no customer); absent → undefined. */
const customerRef = z
  .object({ id })
  .nullish()
  .transform((c) => (c === undefined ? undefined : (c?.id ?? null)));

const LineItem = z.object({
  product_id: id.nullish(),
  variant_id: id.nullish(),
  title: z.string().nullish(),
  quantity: z.number().int(),
  price: money.nullish(),
});

const FulfillmentRest = z.object({
  id,
  order_id: id,
  status: z.string().nullish(),
  shipment_status: z.string().nullish(),
  updated_at: date,
});

function toFulfillment(f: z.infer<typeof FulfillmentRest>): FulfillmentInput {
  return {
    shopifyFulfillmentId: f.id,
    shopifyOrderId: f.order_id,
    status: f.status,
    shipmentStatus: f.shipment_status,
    updatedAt: f.updated_at,
  };
}

export const OrderPayload = z
  .object({
    id,
    name: z.string().nullish(),
    customer: customerRef,
    checkout_token: z.string().nullish(),
    created_at: date,
    processed_at: date.nullish(),
    updated_at: date,
    cancelled_at: date.nullish(),
    test: z.boolean().nullish(),
    total_price: money,
    currency: z.string(),
    source_name: z.string().nullish(),
    financial_status: z.string().nullish(),
    fulfillment_status: z.string().nullish(),
    order_status_url: z.string().nullish(),
    line_items: z.array(LineItem),
    fulfillments: z.array(FulfillmentRest).nullish(),
    // Protected customer data level 2 (docs/integrations.md): redacted to null without it.
    email: z.string().nullish(),
    phone: z.string().nullish(),
  })
  .transform((o): OrderInput => ({
    shopifyOrderId: o.id,
    shopifyCustomerId: o.customer,
    name: o.name,
    checkoutToken: o.checkout_token,
    processedAt: o.processed_at ?? o.created_at,
    updatedAt: o.updated_at,
    cancelledAt: o.cancelled_at,
    test: o.test ?? undefined,
    totalPrice: o.total_price,
    currency: o.currency,
    sourceName: o.source_name,
    financialStatus: o.financial_status,
    fulfillmentStatus: o.fulfillment_status,
    orderStatusUrl: o.order_status_url,
    lines: o.line_items.map((l) => ({
      productId: l.product_id ?? null,
      variantId: l.variant_id ?? null,
      title: l.title ?? "",
      quantity: l.quantity,
      price: l.price ?? "0",
    })),
    fulfillments: (o.fulfillments ?? []).map(toFulfillment),
    email: o.email,
    phone: o.phone,
  }));

export const FulfillmentPayload = FulfillmentRest.transform(toFulfillment);

export const CheckoutPayload = z
  .object({
    id: id.nullish(),
    token: z.string().min(1),
    customer: customerRef,
    abandoned_checkout_url: z.string().nullish(),
    completed_at: date.nullish(),
    created_at: date,
    updated_at: date,
    total_price: money,
    currency: z.string(),
    customer_locale: z.string().nullish(),
    line_items: z.array(LineItem),
  })
  .transform((c): CheckoutInput => ({
    shopifyCheckoutId: c.id ?? null,
    token: c.token,
    shopifyCustomerId: c.customer,
    recoveryUrl: c.abandoned_checkout_url,
    completedAt: c.completed_at,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    totalPrice: c.total_price,
    currency: c.currency,
    locale: c.customer_locale,
    lineItems: c.line_items.map((l) => ({
      productId: l.product_id?.toString() ?? null,
      variantId: l.variant_id?.toString() ?? null,
      title: l.title ?? "",
      quantity: l.quantity,
      price: l.price ?? "0",
    })),
  }));

export const CustomerPayload = z
  .object({
    id,
    updated_at: date,
    // REST: comma-separated string; not sent since 2025-01 (customer.tags_added/removed carry changes).
    tags: z.union([z.string(), z.array(z.string())]).nullish(),
    email_marketing_consent: consentState,
    sms_marketing_consent: consentState,
    locale: z.string().nullish(),
    // Protected customer data level 2 (docs/integrations.md): redacted to null without it.
    email: z.string().nullish(),
    phone: z.string().nullish(),
  })
  .transform((c): CustomerInput => ({
    shopifyCustomerId: c.id,
    updatedAt: c.updated_at,
    tags: c.tags == null ? undefined : (Array.isArray(c.tags) ? c.tags : c.tags.split(",")).map((t) => t.trim()).filter(Boolean),
    emailMarketingState: c.email_marketing_consent,
    smsMarketingState: c.sms_marketing_consent,
    locale: c.locale,
    email: c.email,
    phone: c.phone,
  }));

export const CustomerDeletePayload = z.object({ id });

// customer.tags_added / customer.tags_removed (2025-01+): {customerId: GID, tags: changed tags, occurredAt}.
const customerGid = z
  .string()
  .regex(/^gid:\/\/shopify\/Customer\/\d{1,19}$/)
  .transform((g) => BigInt(g.slice(g.lastIndexOf("/") + 1)));
export const CustomerTagsPayload = z.object({ customerId: customerGid, tags: z.array(z.string()), occurredAt: date.nullish() });

// shop/update: the REST Shop resource. Every field optional: a field Shopify did not send is left as
// stored, never reset to a default.
export const ShopUpdatePayload = z
  .object({
    name: z.string().nullish(),
    iana_timezone: z.string().nullish(),
    currency: z.string().nullish(),
    country_code: z.string().nullish(),
    primary_locale: z.string().nullish(),
    updated_at: date.nullish(),
  })
  .transform((s): ShopSettingsInput => ({
    name: s.name ?? undefined,
    timezone: s.iana_timezone ?? undefined,
    currency: s.currency ?? undefined,
    country: s.country_code ?? undefined,
    primaryLocale: s.primary_locale ?? undefined,
    updatedAt: s.updated_at ?? undefined,
  }));

// Compliance topics: https://shopify.dev/docs/apps/build/privacy-law-compliance
export const CustomersRedactPayload = z.object({
  shop_domain: z.string(),
  // email/phone: matched in stored raw payloads so deliveries naming the customer are emptied too.
  customer: z.object({ id, email: z.string().nullish(), phone: z.string().nullish() }),
  orders_to_redact: z.array(id).nullish(),
});
export const CustomersDataRequestPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id }),
  orders_requested: z.array(id).nullish(),
  data_request: z.object({ id: z.union([z.number(), z.string()]).transform(String) }).nullish(),
});
export const ShopRedactPayload = z.object({ shop_domain: z.string() });
export const ScopesUpdatePayload = z.object({ current: z.array(z.string()) });
export const BulkOperationFinishPayload = z.object({
  admin_graphql_api_id: z.string(),
  status: z.string(),
  error_code: z.string().nullish(),
});

export type ParseResult<T> = { ok: true; data: T } | { ok: false; reason: string };

/** Parses without throwing; the reason names the zod path so the merchant/support can see what was wrong. */
export function parsePayload<S extends z.ZodType>(schema: S, payload: unknown): ParseResult<z.output<S>> {
  const r = schema.safeParse(payload);
  if (r.success) return { ok: true, data: r.data };
  const reason = r.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "(body)"}: ${i.message}`)
    .join("; ");
  return { ok: false, reason: `invalid payload: ${reason}` };
}
