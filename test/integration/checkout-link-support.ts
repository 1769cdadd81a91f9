// Shared by the checkout-extension linking tests: Shopify's Admin GraphQL answered at the network
// boundary (the order as Shopify would report it), genuinely signed checkout session tokens
// (Shopify's getJwt), and a browser-like LINE Login round trip that keeps the state cookie.
import crypto from "node:crypto";
import { expect } from "vitest";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { getJwt, API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { action as linkIntentAction } from "~/routes/api.link-intent";
import { loader as loginLoader } from "~/routes/line.login";
import { action as callbackAction, loader as callbackLoader } from "~/routes/line.callback";

export const APP = "https://my-test-app.myshopify.io";

export interface FakeOrder {
  /** Customer gid, or null for an order without a customer record. */
  customer: string | null;
  checkoutToken?: string | null;
  createdAt?: Date;
  processedAt?: Date;
}

/** Admin GraphQL orders by gid; every lookup is recorded as "<shop> <api version> <gid>". */
export const shopifyOrders = new Map<string, FakeOrder>();
export const graphqlCalls: string[] = [];

async function fakeShopifyFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = new URL(String(input instanceof Request ? input.url : input));
  if (!url.pathname.endsWith("/graphql.json")) return new Response("not found", { status: 404 });
  const body = JSON.parse(String(init?.body ?? "{}")) as { query: string; variables?: { id?: string } };
  const id = body.variables?.id ?? "";
  graphqlCalls.push(`${url.hostname} ${url.pathname.split("/")[3]} ${id}`);
  const o = shopifyOrders.get(id);
  const created = o?.createdAt ?? new Date();
  const data = o
    ? {
        order: {
          id,
          createdAt: created.toISOString(),
          processedAt: (o.processedAt ?? created).toISOString(),
          checkoutToken: o.checkoutToken ?? null,
          customer: o.customer ? { id: o.customer } : null,
        },
      }
    : { order: null };
  return new Response(JSON.stringify({ data }), { status: 200, headers: { "Content-Type": "application/json" } });
}

export function answerShopifyAdmin(): void {
  setAbstractFetchFunc(fakeShopifyFetch as typeof fetch);
}

/** A checkout token as Shopify shows them (32 hex characters). */
export const newCheckoutToken = () => crypto.randomBytes(16).toString("hex");

export async function call(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A request from the checkout extension with a session token signed by Shopify's test helper. */
export async function extensionRequest(path: string, domain: string, body: unknown, sub?: string) {
  const { token } = await getJwt(domain.replace(".myshopify.com", ""), API_KEY, API_SECRET_KEY, {
    dest: `https://${domain}`,
    ...(sub ? { sub } : { sub: undefined }),
  });
  return new Request(`${APP}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Origin: "https://extensions.shopifycdn.com" },
    body: JSON.stringify(body),
  });
}

export const requestIntent = async (domain: string, body: unknown, sub?: string) =>
  call(async () => linkIntentAction({ request: await extensionRequest("/api/link-intent", domain, body, sub), params: {}, context: {} }));

/** `name=value` of a Set-Cookie header (what a browser sends back). */
export const cookiePair = (setCookie: string | null) => (setCookie ?? "").split(";")[0];

/**
 * Follows /line/login → emulator authorize (as `userId`) → our callback URL, like one browser:
 * returns the state cookie that browser holds.
 */
export async function loginAs(startUrl: string, userId: string) {
  const login = await loginLoader({ request: new Request(startUrl), params: {}, context: {} });
  expect(login.status).toBe(302);
  const setCookie = login.headers.get("set-cookie");
  const authorize = new URL(login.headers.get("location")!);
  authorize.searchParams.set("emulator_user", userId);
  const lineRes = await fetch(authorize, { redirect: "manual" });
  expect(lineRes.status).toBe(302);
  return { authorize, callback: lineRes.headers.get("location")!, setCookie, cookie: cookiePair(setCookie) };
}

/** GET /line/callback as a browser holding `cookie` (none: another browser / a forwarded link). */
export const openCallback = (callback: string, cookie?: string) =>
  callbackLoader({ request: new Request(callback, { headers: cookie ? { cookie } : {} }), params: {}, context: {} });

/** POST /line/callback (the confirmation page's form) as a browser holding `cookie`. */
export const postConfirm = (fields: Record<string, string>, cookie?: string) =>
  callbackAction({
    request: new Request(`${APP}/line/callback`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(fields),
    }),
    params: {},
    context: {},
  });

/** The hidden fields of the confirmation page's form. */
export function confirmFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = m[2].replace(/&amp;/g, "&");
  return fields;
}
