import { describe, expect, it } from "vitest";
import { checkWebhookBinding, payloadShopDomain } from "./binding";

const A = "shop-a.myshopify.com";
const B = "shop-b.myshopify.com";

describe("payloadShopDomain", () => {
  it.each([
    [{ shop_id: 1, shop_domain: A }, A],
    [{ id: 1, myshopify_domain: A, domain: "www.example.com" }, A],
    [{ id: 1, domain: A }, A],
    [{ id: 1, domain: "Shop-A.myshopify.com" }, A],
    [{ id: 1, domain: "www.example.com" }, undefined],
    [{ id: 1, line_items: [] }, undefined],
    [[{ shop_domain: A }], undefined],
    [null, undefined],
  ])("%j → %s", (payload, expected) => {
    expect(payloadShopDomain(payload)).toBe(expected);
  });
});

describe("checkWebhookBinding", () => {
  const ok = { routeTopic: "shop/redact", headerTopic: "shop/redact", headerShop: A, payload: { shop_domain: A } };
  it("accepts the route's topic and the body's own shop", () => {
    expect(checkWebhookBinding(ok)).toEqual({ ok: true });
    expect(checkWebhookBinding({ ...ok, routeTopic: "orders/create", headerTopic: "orders/create", payload: { id: 1 } })).toEqual({
      ok: true,
    });
  });
  it("refuses a header topic that is not the route's", () => {
    expect(checkWebhookBinding({ ...ok, routeTopic: "orders/create" })).toEqual({ ok: false, reason: "topic-mismatch" });
  });
  it("refuses a body naming another shop than the header", () => {
    expect(checkWebhookBinding({ ...ok, headerShop: B })).toEqual({ ok: false, reason: "shop-mismatch", payloadShop: A });
    expect(
      checkWebhookBinding({
        routeTopic: "app/uninstalled",
        headerTopic: "app/uninstalled",
        headerShop: B,
        payload: { myshopify_domain: A, domain: "example.com" },
      }),
    ).toEqual({ ok: false, reason: "shop-mismatch", payloadShop: A });
  });
  it("accepts a Shop resource whose primary domain is a custom domain", () => {
    expect(
      checkWebhookBinding({
        routeTopic: "app/uninstalled",
        headerTopic: "app/uninstalled",
        headerShop: A,
        payload: { myshopify_domain: A, domain: "www.example.com" },
      }),
    ).toEqual({ ok: true });
  });
  it("refuses a header shop that is not a myshopify.com domain", () => {
    expect(checkWebhookBinding({ ...ok, headerShop: "evil.example.com" })).toEqual({ ok: false, reason: "shop-domain" });
  });
});
