// Facts-changed subscribers of this area (imported once by the job registry): attribute new orders
// mirror Shopify's marketing consent onto the linked friend, and start win-back on entering the
// dormant segment.
import { subscribeFactsChanged } from "~/services/ingestion/facts-events.server";
import { attributeCustomerOrders } from "~/services/roi/attribution.server";
import { mirrorShopifyConsent } from "~/services/consent/consent.server";
import { subscribeSegmentTransitions } from "~/services/segments/memberships.server";
import { onSegmentEntered } from "~/services/automations/lifecycle.server";

declare global {
  var __roiSubscribed: boolean | undefined;
}

if (!globalThis.__roiSubscribed) {
  globalThis.__roiSubscribed = true;
  subscribeFactsChanged(async (e) => {
    if (!e.exists) return;
    if (e.cause.startsWith("orders/") || e.cause === "order") await attributeCustomerOrders(e.shopId, e.shopifyCustomerId);
    if (e.cause.startsWith("customers/")) await mirrorShopifyConsent(e.shopId, e.shopifyCustomerId);
  });
  subscribeSegmentTransitions(async (t) => {
    await onSegmentEntered(t);
  });
}
