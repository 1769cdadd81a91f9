// Admin GraphQL bulk operations for backfill (https://shopify.dev/docs/api/admin-graphql/latest/mutations/bulkOperationRunQuery):
// start a query, poll currentBulkOperation (or get bulk_operations/finish), then stream the JSONL result
// line by line. Nested connections come as separate lines after their parent, linked by `__parentId`.
import readline from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { CheckoutInput, CustomerInput, OrderInput } from "~/domain/customers/inputs";

export type BackfillKind = "customers" | "orders" | "abandoned_checkouts";
export const BACKFILL_KINDS: BackfillKind[] = ["customers", "orders", "abandoned_checkouts"];

export type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown>>;

export class BulkOperationError extends Error {}

/** The Shopify library's admin GraphQL client as a Gql; transport and GraphQL errors throw (jobs retry). */
export function graphqlOf(admin: { graphql(query: string, opts: { variables?: Record<string, unknown> }): Promise<Response> }): Gql {
  return async (query, variables) => {
    const res = await admin.graphql(query, { variables });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
    if (body.errors) throw new BulkOperationError(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
    return body.data ?? {};
  };
}

const LINE_ITEMS = `lineItems { edges { node { id title quantity product { id } variant { id } originalUnitPriceSet { shopMoney { amount } } } } }`;

/**
 * The bulk query of a kind. `contact` (the app is approved for protected customer data level 2,
 * docs/decisions/007): customers' default email address / phone number and orders' email / phone
 * too — only hashed for HubSpot / Klaviyo matching. Without level 2 Shopify refuses these fields,
 * so they are never asked for.
 */
function bulkQuery(kind: BackfillKind, opts: { contact?: boolean } = {}): string {
  const c = opts.contact;
  switch (kind) {
    case "customers":
      return `{ customers { edges { node { id updatedAt tags locale defaultEmailAddress { ${c ? "emailAddress " : ""}marketingState } defaultPhoneNumber { ${c ? "phoneNumber " : ""}marketingState } } } } }`;
    case "orders":
      return `{ orders { edges { node { id name ${c ? "email phone " : ""}customer { id } createdAt processedAt updatedAt cancelledAt test sourceName displayFinancialStatus displayFulfillmentStatus statusPageUrl totalPriceSet { shopMoney { amount currencyCode } } fulfillments { id displayStatus status updatedAt } ${LINE_ITEMS} } } } }`;
    case "abandoned_checkouts":
      return `{ abandonedCheckouts { edges { node { id createdAt updatedAt completedAt abandonedCheckoutUrl customer { id } totalPriceSet { shopMoney { amount currencyCode } } ${LINE_ITEMS} } } } }`;
  }
}

const RUN_MUTATION = `mutation RunBulk($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message } }
}`;

const CURRENT_QUERY = `query { currentBulkOperation(type: QUERY) { id status errorCode objectCount url } }`;

export interface BulkOperationState {
  id: string;
  status: string; // CREATED | RUNNING | COMPLETED | CANCELING | CANCELED | FAILED | EXPIRED
  errorCode: string | null;
  objectCount: number | null;
  url: string | null;
}

export async function runBulkQuery(
  gql: Gql,
  kind: BackfillKind,
  opts: { contact?: boolean } = {},
): Promise<{ id: string; status: string }> {
  const data = (await gql(RUN_MUTATION, { query: bulkQuery(kind, opts) })) as {
    bulkOperationRunQuery?: { bulkOperation: { id: string; status: string } | null; userErrors: Array<{ message: string }> };
  };
  const r = data.bulkOperationRunQuery;
  if (!r?.bulkOperation)
    throw new BulkOperationError(r?.userErrors.map((e) => e.message).join("; ") || "bulkOperationRunQuery returned no operation");
  return r.bulkOperation;
}

export async function currentBulkOperation(gql: Gql): Promise<BulkOperationState | null> {
  const data = (await gql(CURRENT_QUERY)) as {
    currentBulkOperation?: (Omit<BulkOperationState, "objectCount"> & { objectCount: string | number | null }) | null;
  };
  const op = data.currentBulkOperation;
  if (!op) return null;
  return { ...op, objectCount: op.objectCount == null ? null : Number(op.objectCount) };
}

export interface JsonlLine {
  lineNo: number; // 0-based
  value: Record<string, unknown> & { id?: string; __parentId?: string };
}

/** Streams the result file; lines before `skip` are read but not parsed (resume). */
export async function* readJsonl(url: string, skip = 0): AsyncGenerator<JsonlLine> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new BulkOperationError(`bulk result download failed: HTTP ${res.status}`);
  const rl = readline.createInterface({ input: Readable.fromWeb(res.body as unknown as WebReadableStream), crlfDelay: Infinity });
  let lineNo = -1;
  for await (const line of rl) {
    if (!line.trim()) continue;
    lineNo++;
    if (lineNo < skip) continue;
    yield { lineNo, value: JSON.parse(line) as JsonlLine["value"] };
  }
}

export interface JsonlObject {
  startLine: number;
  endLine: number; // exclusive
  node: Record<string, unknown>;
  children: Array<Record<string, unknown>>;
}

/** Groups a parent line with the child lines that follow it (`__parentId`). */
export async function* groupJsonl(lines: AsyncIterable<JsonlLine>): AsyncGenerator<JsonlObject> {
  let current: JsonlObject | null = null;
  for await (const { lineNo, value } of lines) {
    if (value.__parentId && current && value.__parentId === current.node.id) {
      current.children.push(value);
      current.endLine = lineNo + 1;
      continue;
    }
    if (current) yield current;
    current = { startLine: lineNo, endLine: lineNo + 1, node: value, children: [] };
  }
  if (current) yield current;
}

// ---- GraphQL node → normalized inputs ----------------------------------------------------------

function legacyId(gid: unknown): bigint {
  const m = /(\d+)(?:\?.*)?$/.exec(String(gid));
  if (!m) throw new BulkOperationError(`not a Shopify id: ${String(gid)}`);
  return BigInt(m[1]);
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const date = (v: unknown) => new Date(String(v));

export function customerFromNode(n: Any): CustomerInput {
  return {
    shopifyCustomerId: legacyId(n.id),
    updatedAt: date(n.updatedAt),
    tags: Array.isArray(n.tags) ? n.tags.map(String) : [],
    emailMarketingState: n.defaultEmailAddress?.marketingState ?? null,
    smsMarketingState: n.defaultPhoneNumber?.marketingState ?? null,
    locale: n.locale ?? null,
    // Only present when the query asked (level 2); absent → the stored hash is kept.
    email: n.defaultEmailAddress?.emailAddress ?? undefined,
    phone: n.defaultPhoneNumber?.phoneNumber ?? undefined,
  };
}

const lineFromNode = (l: Any) => ({
  productId: l.product?.id ? legacyId(l.product.id) : null,
  variantId: l.variant?.id ? legacyId(l.variant.id) : null,
  title: String(l.title ?? ""),
  quantity: Number(l.quantity ?? 0),
  price: String(l.originalUnitPriceSet?.shopMoney?.amount ?? "0"),
});

export function orderFromNode(n: Any, lineItems: Any[]): OrderInput {
  const orderId = legacyId(n.id);
  return {
    shopifyOrderId: orderId,
    shopifyCustomerId: n.customer?.id ? legacyId(n.customer.id) : null,
    name: n.name ?? null,
    email: n.email ?? undefined,
    phone: n.phone ?? undefined,
    // Admin GraphQL's Order has no checkout token; webhooks link orders to checkouts.
    checkoutToken: null,
    processedAt: date(n.processedAt ?? n.createdAt),
    updatedAt: date(n.updatedAt),
    cancelledAt: n.cancelledAt ? date(n.cancelledAt) : null,
    test: Boolean(n.test),
    totalPrice: String(n.totalPriceSet?.shopMoney?.amount ?? "0"),
    currency: String(n.totalPriceSet?.shopMoney?.currencyCode ?? ""),
    sourceName: n.sourceName ?? null,
    financialStatus: n.displayFinancialStatus ? String(n.displayFinancialStatus).toLowerCase() : null,
    fulfillmentStatus: n.displayFulfillmentStatus ? String(n.displayFulfillmentStatus).toLowerCase() : null,
    orderStatusUrl: n.statusPageUrl ?? null,
    lines: lineItems.map(lineFromNode),
    fulfillments: (Array.isArray(n.fulfillments) ? n.fulfillments : []).map((f: Any) => ({
      shopifyFulfillmentId: legacyId(f.id),
      shopifyOrderId: orderId,
      status: f.status ? String(f.status).toLowerCase() : null,
      shipmentStatus: f.displayStatus ? String(f.displayStatus).toLowerCase() : null,
      updatedAt: date(f.updatedAt),
    })),
  };
}

export function checkoutFromNode(n: Any, lineItems: Any[]): CheckoutInput {
  const id = legacyId(n.id);
  return {
    shopifyCheckoutId: id,
    // GraphQL's AbandonedCheckout has no token: a placeholder, replaced when a webhook brings the token.
    token: `ac:${id}`,
    shopifyCustomerId: n.customer?.id ? legacyId(n.customer.id) : null,
    recoveryUrl: n.abandonedCheckoutUrl ?? null,
    completedAt: n.completedAt ? date(n.completedAt) : null,
    createdAt: date(n.createdAt),
    updatedAt: date(n.updatedAt),
    totalPrice: String(n.totalPriceSet?.shopMoney?.amount ?? "0"),
    currency: String(n.totalPriceSet?.shopMoney?.currencyCode ?? ""),
    locale: null,
    lineItems: lineItems
      .map(lineFromNode)
      .map((l) => ({ ...l, productId: l.productId?.toString() ?? null, variantId: l.variantId?.toString() ?? null })),
  };
}
