// POST /api/link-funnel {kind: view|click, target, orderId} — funnel events from the checkout extension.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { recordFunnelEvent } from "~/services/linking/checkout.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.publicCheckout(request);
  return new Response(null, { status: 405 });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.publicCheckout(request);
  const body = await request.json().catch(() => null);
  const r = await recordFunnelEvent({ shopDomain: new URL(sessionToken.dest).hostname, body });
  return cors(new Response(null, { status: r.status }));
};
