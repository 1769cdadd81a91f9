// The web process serves Shopify webhooks on its hot path (app/adapters/http/ingress.server.ts
// `hotPost`) without building Fetch Request/Response objects. The hot path must answer exactly as the
// route's Remix action — the contract — for every route in shopify.app.toml: same status, same body,
// for valid, unsigned, mis-signed, mis-bound and malformed deliveries. (No worker here: recorded
// deliveries stay unprocessed.)
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { signedWebhook, uniqueShop } from "../support/shopify";
import { routeFor, subscriptions, type WebhookRoute } from "../support/webhook-routes";

/** The same signed body and signature with some headers changed. */
async function replay(req: Request, headers: Record<string, string>): Promise<Request> {
  const h = new Headers(req.headers);
  for (const [k, v] of Object.entries(headers)) h.set(k, v);
  return new Request(req.url, { method: "POST", headers: h, body: await req.clone().text() });
}

describe("the web process's hot path answers as the route's action", () => {
  /** What the ingress hands `hotPost` for `request`: Node's lower-case headers and the raw body. */
  async function viaHotPath(route: WebhookRoute, request: Request) {
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k] = v));
    const answer = await route.hotPost!({ params: {}, headers, body: Buffer.from(await request.arrayBuffer()) });
    return { status: answer.status, body: answer.body ?? "" };
  }
  const viaAction = async (route: WebhookRoute, request: Request) => {
    const res = await route.action({ request, params: {}, context: {} }).catch((thrown: unknown) => {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    });
    return { status: res.status, body: await res.text() };
  };

  it("every webhook route exports hotPost, and both give the same status and body for valid, unsigned, mis-signed, mis-bound and malformed deliveries", async () => {
    const shop = uniqueShop();
    for (const s of subscriptions()) {
      const route = await routeFor(s.uri);
      expect(typeof route.hotPost, s.uri).toBe("function");
      const other = s.topic === "shop/redact" ? "app/uninstalled" : "shop/redact";
      const genuine = () => signedWebhook({ topic: s.topic, shop, body: { id: 7, shop_domain: shop } });
      const cases: Array<[string, () => Promise<Request>, number]> = [
        ["valid", genuine, 200],
        ["invalid HMAC", async () => replay(await genuine(), { "X-Shopify-Hmac-Sha256": "AAAA" }), 401],
        [
          "no HMAC",
          async () => {
            const r = await genuine();
            const h = new Headers(r.headers);
            h.delete("X-Shopify-Hmac-Sha256");
            return new Request(r.url, { method: "POST", headers: h, body: await r.text() });
          },
          400,
        ],
        ["another topic", () => signedWebhook({ topic: other, shop, body: { id: 7, shop_domain: shop } }), 403],
        ["not JSON", () => signedWebhook({ topic: s.topic, shop, rawBody: "{not json" }), 400],
      ];
      for (const [name, make, status] of cases) {
        const hot = await viaHotPath(route, await make());
        const remix = await viaAction(route, await make());
        expect(hot, `${s.uri}: ${name}`).toEqual(remix);
        expect(hot.status, `${s.uri}: ${name}`).toBe(status);
      }
    }
    // Each valid delivery was recorded twice (once per entry point, distinct webhook ids).
    expect(await db().webhookDelivery.count({ where: { shopDomain: shop } })).toBe(2 * subscriptions().length);
  });
});
