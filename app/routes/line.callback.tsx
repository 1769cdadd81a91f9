// GET /line/callback?code&state (LINE Login redirect_uri) → state cookie → verify id_token → link →
// "You're connected", or a confirmation page when the link would replace another one.
// POST /line/callback {state, confirm} → the LINE user confirmed the replacement → link.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  clearLoginStateCookie,
  completeLineLogin,
  confirmLineLinkReplace,
  type CallbackResult,
} from "~/services/linking/line-login.server";
import { shopperConfirmPage, shopperPage } from "~/services/linking/shopper-page.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const q = new URL(request.url).searchParams;
  const r = await completeLineLogin({
    code: q.get("code"),
    state: q.get("state"),
    error: q.get("error"),
    cookie: request.headers.get("cookie"),
  });
  return answer(r);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const form = await request.formData();
  const field = (k: string) => (typeof form.get(k) === "string" ? (form.get(k) as string) : null);
  return answer(await confirmLineLinkReplace({ state: field("state"), confirm: field("confirm"), cookie: request.headers.get("cookie") }));
};

function answer(r: CallbackResult): Response {
  const back = r.shopDomain ? `https://${r.shopDomain}` : undefined;
  if (r.kind === "confirm") {
    const who = r.displayName ? ` (${r.displayName})` : "";
    const message = [
      r.customerLinkedElsewhere ? "Your store account is connected to another LINE account, which will stop getting its updates." : "",
      r.lineUserLinkedElsewhere ? "This LINE account is connected to another store account, which it will leave." : "",
    ]
      .filter(Boolean)
      .join(" ");
    return shopperConfirmPage({
      title: `Connect this LINE account${who}?`,
      message,
      action: "/line/callback",
      fields: r.form,
      button: "Connect this LINE account",
      backUrl: back,
    });
  }
  const res =
    r.kind === "linked"
      ? shopperPage(200, "You're connected", "Your LINE account is linked. Order updates will arrive in LINE.", back)
      : shopperPage(
          r.status,
          "Could not connect LINE",
          r.reason === "access_denied"
            ? "LINE Login was cancelled."
            : r.reason === "guest-cannot-replace"
              ? "This order's store account is already connected to LINE. Log in to your store account to change it."
              : "The link has expired or is not valid. Please start again from your order page.",
          back,
        );
  res.headers.append("Set-Cookie", clearLoginStateCookie());
  return res;
}
