// App proxy: https://<shop>/apps/line/account-link?linkToken=… (LINE-first "Link my account").
// GET: a confirmation page for the logged-in shopper (nothing is linked by opening a URL); POST (the
// page's form, CSRF token bound to the logged-in customer) → a nonce bound to that customer → LINE's
// account-link dialog. The customer comes only from the signed proxy query (logged_in_customer_id).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { confirmStorefrontAccountLink, showStorefrontAccountLink, type AccountLinkPageResult } from "~/services/linking/storefront.server";
import { escapeHtml } from "~/services/linking/shopper-page.server";

const page = (inner: string) => `<div class="page-width" style="text-align:center;padding:3rem 0">${inner}</div>`;

function respond(r: AccountLinkPageResult, liquid: (body: string, init?: number) => Response, formAction: string): Response {
  const headers = { "Cache-Control": "no-store" };
  if (r.kind === "redirect") return new Response(null, { status: 303, headers: { ...headers, Location: r.url } });
  if (r.kind === "login")
    return liquid(
      page(
        `<h1>Link your LINE account</h1><p>Log in to your store account to continue.</p><p><a class="button" href="/account/login?return_url=${encodeURIComponent(r.returnTo)}">Log in</a></p>`,
      ),
    );
  if (r.kind === "confirm")
    return liquid(
      page(
        `<h1>Link your LINE account?</h1>` +
          `<p>The LINE account <strong>${escapeHtml(r.lineDisplayName ?? "that asked for this link")}</strong> will receive messages about your orders and account from this store.</p>` +
          `<p>Only continue if you opened this page from your own LINE app.</p>` +
          `<form method="post" action="${escapeHtml(formAction)}">` +
          `<input type="hidden" name="linkToken" value="${escapeHtml(r.linkToken)}">` +
          `<input type="hidden" name="csrf" value="${escapeHtml(r.csrf)}">` +
          `<button class="button" type="submit">Link my LINE account</button></form>`,
      ),
    );
  return liquid(page(`<h1>Could not link</h1><p>${escapeHtml(r.message)}</p>`), r.status);
}

/** Where the form posts back to: this page through the shop's proxy path (`path_prefix` is signed). */
const formActionOf = (query: URLSearchParams) => `${query.get("path_prefix") || "/apps/line"}/account-link`;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { liquid } = await authenticate.appProxy(request);
  const query = new URL(request.url).searchParams;
  return respond(await showStorefrontAccountLink(query), liquid, formActionOf(query));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { liquid } = await authenticate.appProxy(request);
  const query = new URL(request.url).searchParams;
  const form = new URLSearchParams(await request.text());
  return respond(await confirmStorefrontAccountLink(query, form), liquid, formActionOf(query));
};
