// zod schemas for the Shopify REST webhook bodies we read (only the fields we use; everything else is
// ignored). Webhook body = "the full REST resource for the subscribed topic"
// (https://shopify.dev/docs/apps/build/webhooks/delivery-structure). Each schema maps the REST shape to
// the normalized inputs in app/domain/customers/inputs.ts, which the backfill (GraphQL) also produces.
import { z } from "zod";
import type { CheckoutInput, CustomerInput, FulfillmentInput, OrderInput } from "~/domain/customers/inputs";
import type { ShopSettingsInput } from "~/domain/shops/settings";

// REST ids are JSON numbers (or strings in some payloads); stored as BigInt.
const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform((v) => BigInt(v));
const date = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), "invalid date")
  .transform((s) => new Date(s));
const money = z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()]).transform((v) => String(v));
const consentState = z
  .object({ state: z.string().nullish() })
  .nullish()
  .transform((c) => (c?.state ? c.state.toUpperCase() : null));

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
    status: f.status ?? null,
    shipmentStatus: f.shipment_status ?? null,
    updatedAt: f.updated_at,
  };
}

export const OrderPayload = z
  .object({
    id,
    name: z.string().nullish(),
    customer: z.object({ id }).nullish(),
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
  })
  .transform((o): OrderInput => ({
    shopifyOrderId: o.id,
    shopifyCustomerId: o.customer?.id ?? null,
    name: o.name ?? null,
    checkoutToken: o.checkout_token ?? null,
    processedAt: o.processed_at ?? o.created_at,
    updatedAt: o.updated_at,
    cancelledAt: o.cancelled_at ?? null,
    test: o.test ?? false,
    totalPrice: o.total_price,
    currency: o.currency,
    sourceName: o.source_name ?? null,
    financialStatus: o.financial_status ?? null,
    fulfillmentStatus: o.fulfillment_status ?? null,
    orderStatusUrl: o.order_status_url ?? null,
    lines: o.line_items.map((l) => ({
      productId: l.product_id ?? null,
      variantId: l.variant_id ?? null,
      title: l.title ?? "",
      quantity: l.quantity,
      price: l.price ?? "0",
    })),
    fulfillments: (o.fulfillments ?? []).map(toFulfillment),
  }));

export const FulfillmentPayload = FulfillmentRest.transform(toFulfillment);

export const CheckoutPayload = z
  .object({
    id: id.nullish(),
    token: z.string().min(1),
    customer: z.object({ id }).nullish(),
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
    shopifyCustomerId: c.customer?.id ?? null,
    recoveryUrl: c.abandoned_checkout_url ?? null,
    completedAt: c.completed_at ?? null,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    totalPrice: c.total_price,
    currency: c.currency,
    locale: c.customer_locale ?? null,
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
    // REST: comma-separated string.
    tags: z.union([z.string(), z.array(z.string())]).nullish(),
    email_marketing_consent: consentState,
    sms_marketing_consent: consentState,
    locale: z.string().nullish(),
  })
  .transform((c): CustomerInput => ({
    shopifyCustomerId: c.id,
    updatedAt: c.updated_at,
    tags: (Array.isArray(c.tags) ? c.tags : (c.tags ?? "").split(",")).map((t) => t.trim()).filter(Boolean),
    emailMarketingState: c.email_marketing_consent,
    smsMarketingState: c.sms_marketing_consent,
    locale: c.locale ?? null,
  }));

export const CustomerDeletePayload = z.object({ id });

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
