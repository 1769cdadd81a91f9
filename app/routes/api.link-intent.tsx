// POST /api/link-intent — backend of the checkout UI extension (extensions/line-link-checkout).
// The session token says which shop (dest) and, for a logged-in buyer, which customer (sub); the
// body only names the order, which is verified through the Admin API.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { createCheckoutLinkIntent } from "~/services/linking/checkout.server";

// OPTIONS preflight: authenticate.publicCheckout answers it (throws a Response with CORS headers).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.publicCheckout(request);
  return new Response(null, { status: 405 });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.publicCheckout(request);
  const body = await request.json().catch(() => null);
  const r = await createCheckoutLinkIntent({
    shopDomain: new URL(sessionToken.dest).hostname,
    sessionCustomerGid: sessionToken.sub || undefined,
    body,
  });
  return cors(Response.json(r.ok ? { url: r.url } : { error: r.error }, { status: r.ok ? 200 : r.status }));
};
