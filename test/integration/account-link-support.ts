// The storefront side of the LINE-first account link, as Shopify's app proxy calls it: a query signed
// with the app secret (Shopify's own test helper) carrying logged_in_customer_id.
import { expect } from "vitest";
import { setUpValidRequest, RequestType, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { action, loader } from "~/routes/proxy.line.account-link";

async function call(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function proxied(domain: string, query: Record<string, string>, form?: Record<string, string>) {
  const url = new URL("https://my-test-app.myshopify.io/proxy/line/account-link");
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  url.searchParams.set("path_prefix", "/apps/line");
  const signed = await setUpValidRequest(
    { type: RequestType.Public, store: domain.replace(".myshopify.com", ""), apiSecretKey: API_SECRET_KEY },
    new Request(url),
  );
  if (!form) return call(() => loader({ request: signed, params: {}, context: {} }));
  const post = new Request(signed.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return call(() => action({ request: post, params: {}, context: {} }));
}

/** GET /apps/line/account-link?linkToken as the customer (empty = not logged in). */
export const storefrontAccountLink = (domain: string, p: { linkToken: string; customerId: string }) =>
  proxied(domain, { linkToken: p.linkToken, logged_in_customer_id: p.customerId });

/** POST the confirmation form as the customer. */
export const postAccountLink = (domain: string, customerId: string, form: Record<string, string>) =>
  proxied(domain, { logged_in_customer_id: customerId }, form);

/** The hidden fields of the confirmation page. */
export async function confirmationForm(res: Response): Promise<{ linkToken: string; csrf: string; html: string }> {
  expect(res.status).toBe(200);
  const html = await res.text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";
  // (Shopify's liquid helper adds the trailing slash app proxies need for a POST to keep its body.)
  expect(html).toContain('<form method="post" action="/apps/line/account-link/">');
  return { linkToken: field("linkToken"), csrf: field("csrf"), html };
}

/** The legitimate flow: open the page as the customer, then press "Link". */
export async function confirmAccountLink(domain: string, linkToken: string, customerId: string) {
  const form = await confirmationForm(await storefrontAccountLink(domain, { linkToken, customerId }));
  return postAccountLink(domain, customerId, { linkToken: form.linkToken, csrf: form.csrf });
}
