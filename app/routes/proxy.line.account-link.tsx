// App proxy: https://<shop>/apps/line/account-link?linkToken=… (LINE-first "Link my account").
// After storefront login: a nonce bound to logged_in_customer_id → LINE's account-link dialog.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { startStorefrontAccountLink } from "~/services/linking/storefront.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { liquid } = await authenticate.appProxy(request);
  const r = await startStorefrontAccountLink(new URL(request.url).searchParams);
  if (r.kind === "redirect") return new Response(null, { status: 302, headers: { Location: r.url, "Cache-Control": "no-store" } });
  if (r.kind === "login")
    return liquid(
      `<div class="page-width" style="text-align:center;padding:3rem 0"><h1>Link your LINE account</h1><p>Log in to your store account to finish linking.</p><p><a class="button" href="/account/login?return_url=${encodeURIComponent(r.returnTo)}">Log in</a></p></div>`,
    );
  return liquid(`<div class="page-width" style="text-align:center;padding:3rem 0"><h1>Could not link</h1><p>${r.message}</p></div>`, 400);
};
