// Shared block: ask the app for a one-time LINE Login URL (the app verifies the order's customer
// from the session token and the Admin API; the body names the order and, on the Thank-you page,
// the checkout token, which a guest needs to claim the order), then send the shopper to LINE.
// Polaris web components (2025-10+ API), Preact.
import { useEffect, useState } from "preact/hooks";
import { APP_URL } from "./config.js";

async function post(path, body) {
  const token = await shopify.sessionToken.get();
  return fetch(`${APP_URL}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

export function LineLink({ orderId, target, checkoutToken }) {
  const [state, setState] = useState({ status: "idle", url: null });
  const incentive = shopify.settings.value.incentive_text;

  useEffect(() => {
    if (orderId) post("/api/link-funnel", { kind: "view", target, orderId }).catch(() => {});
  }, [orderId, target]);

  if (!orderId) return null;

  async function start() {
    setState({ status: "loading", url: null });
    post("/api/link-funnel", { kind: "click", target, orderId }).catch(() => {});
    try {
      const res = await post("/api/link-intent", checkoutToken ? { orderId, target, checkoutToken } : { orderId, target });
      // 404: this order cannot be linked from here (one answer for every reason); a logged-in buyer can.
      if (res.status === 404) return setState({ status: "not-linkable", url: null });
      if (!res.ok) throw new Error(String(res.status));
      const { url } = await res.json();
      setState({ status: "ready", url });
    } catch {
      setState({ status: "error", url: null });
    }
  }

  return (
    <s-section heading="Get order updates on LINE">
      <s-stack gap="base">
        {incentive ? <s-text>{incentive}</s-text> : null}
        {state.status === "ready" ? (
          <s-button variant="primary" href={state.url} target="_blank">
            Continue to LINE
          </s-button>
        ) : (
          <s-button variant="primary" loading={state.status === "loading"} onClick={start}>
            Connect LINE
          </s-button>
        )}
        {state.status === "error" ? <s-banner tone="critical">LINE is not available right now. Please try again later.</s-banner> : null}
        {state.status === "not-linkable" ? (
          <s-banner tone="info">Log in to your store account to connect LINE to your orders.</s-banner>
        ) : null}
      </s-stack>
    </s-section>
  );
}
