// GET /line/callback?code&state (LINE Login redirect_uri) → verify id_token → link → "You're connected".
import type { LoaderFunctionArgs } from "@remix-run/node";
import { completeLineLogin } from "~/services/linking/line-login.server";
import { shopperPage } from "~/services/linking/shopper-page.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const q = new URL(request.url).searchParams;
  const r = await completeLineLogin({ code: q.get("code"), state: q.get("state"), error: q.get("error") });
  const back = r.shopDomain ? `https://${r.shopDomain}` : undefined;
  if (r.ok) return shopperPage(200, "You're connected", "Your LINE account is linked. Order updates will arrive in LINE.", back);
  return shopperPage(
    r.status,
    "Could not connect LINE",
    r.reason === "access_denied"
      ? "LINE Login was cancelled."
      : "The link has expired or is not valid. Please start again from your order page.",
    back,
  );
};
