// App proxy: https://<shop>/apps/line → /proxy/line (theme app extension block "Link LINE").
// The customer comes only from the signed proxy query (logged_in_customer_id), never from the page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { startStorefrontLink } from "~/services/linking/storefront.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { liquid } = await authenticate.appProxy(request);
  const r = await startStorefrontLink(new URL(request.url).searchParams);
  if (r.kind === "redirect") return new Response(null, { status: 302, headers: { Location: r.url, "Cache-Control": "no-store" } });
  if (r.kind === "login")
    return liquid(
      `<div class="page-width" style="text-align:center;padding:3rem 0"><h1>Link your LINE account</h1><p>Please log in to your account first.</p><p><a class="button" href="/account/login?return_url=${encodeURIComponent(r.returnTo)}">Log in</a></p></div>`,
    );
  return liquid(
    `<div class="page-width" style="text-align:center;padding:3rem 0"><h1>LINE is not available</h1><p>${r.message}</p></div>`,
    409,
  );
};
