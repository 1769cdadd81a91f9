import { describe, expect, it } from "vitest";
import { BODY_LIMITS, bodyLimitFor } from "./body-limits";

describe("bodyLimitFor", () => {
  it.each([
    ["/webhooks/orders/create", BODY_LIMITS.shopifyWebhook],
    ["/webhooks/shop/redact", BODY_LIMITS.shopifyWebhook],
    ["/webhooks/line/shop-a.myshopify.com", BODY_LIMITS.lineWebhook],
    ["/api/link-intent", BODY_LIMITS.storefront],
    ["/proxy/line/account-link", BODY_LIMITS.storefront],
    ["/app/rich-menus/12", BODY_LIMITS.richMenuUpload],
    ["/app/rich-menus/12/image", BODY_LIMITS.other],
    ["/app/friends", BODY_LIMITS.linksCsvImport],
    ["/app/friends/export", BODY_LIMITS.other],
    ["/app/settings", BODY_LIMITS.other],
    ["/r/abc", BODY_LIMITS.other],
  ])("%s → %d bytes", (path, limit) => {
    expect(bodyLimitFor(path)).toBe(limit);
  });

  it("keeps every cap small enough that one request cannot exhaust a web process", () => {
    for (const v of Object.values(BODY_LIMITS)) expect(v).toBeLessThanOrEqual(16 * 1024 * 1024);
  });
});
