// GET /line/login?code=<one-time code> → LINE Login authorize (state + nonce, bot_prompt=aggressive);
// the state is bound to this browser by a signed cookie checked on the callback.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { startLineLogin } from "~/services/linking/line-login.server";
import { LOGIN_ERROR_MESSAGES, shopperPage } from "~/services/linking/shopper-page.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const r = await startLineLogin(new URL(request.url).searchParams.get("code"));
  if (r.ok)
    return new Response(null, { status: 302, headers: { Location: r.redirectTo, "Set-Cookie": r.setCookie, "Cache-Control": "no-store" } });
  return shopperPage(
    r.status,
    "Could not connect LINE",
    LOGIN_ERROR_MESSAGES[r.reason] ?? "LINE connection is not available for this store right now.",
  );
};
