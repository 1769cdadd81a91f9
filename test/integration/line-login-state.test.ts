// Issue 9 item 10: LINE Login's `state` was not tied to the browser, so a callback URL carried to
// another browser (login CSRF) linked whoever opened it. /line/login now sets a signed __Host-
// cookie (HttpOnly, Secure, SameSite=Lax) holding the state; a callback whose state does not match
// the browser's cookie is refused before LINE is called and nothing is linked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { connectedShop, startLineTestEnv, type LineTestEnv } from "./line-support";
import { answerShopifyAdmin, cookiePair, loginAs, openCallback, postConfirm, requestIntent, shopifyOrders } from "./checkout-link-support";

let env: LineTestEnv;

beforeAll(async () => {
  env = await startLineTestEnv();
  answerShopifyAdmin();
});
afterAll(async () => {
  await env?.close();
});

async function startLogin(domain: string, customer: number, userId: string) {
  shopifyOrders.set(`gid://shopify/Order/${customer}`, { customer: `gid://shopify/Customer/${customer}` });
  const res = await requestIntent(
    domain,
    { orderId: `gid://shopify/Order/${customer}`, target: "order_status" },
    `gid://shopify/Customer/${customer}`,
  );
  expect(res.status).toBe(200);
  return loginAs(((await res.json()) as { url: string }).url, userId);
}

const linkedFriends = (shopId: number) => db().friend.count({ where: { shopId, customerId: { not: null } } });

describe("LINE Login state bound to the browser", () => {
  it("sets a signed, HttpOnly, Secure, SameSite=Lax __Host- cookie carrying the state", async () => {
    const { domain } = await connectedShop(env, { login: true });
    const user = env.emu.state.createUser({ displayName: "A" });
    const { setCookie, authorize } = await startLogin(domain, 8101, user.userId);
    const state = authorize.searchParams.get("state")!;
    expect(setCookie).toMatch(new RegExp(`^__Host-line_login_state=${state}\\.\\d+\\.[A-Za-z0-9_-]{43};`));
    const attrs = setCookie!.split(";").map((a) => a.trim().toLowerCase());
    expect(attrs).toEqual(expect.arrayContaining(["path=/", "httponly", "secure", "samesite=lax", "max-age=900"]));
    expect(attrs.some((a) => a.startsWith("domain="))).toBe(false);
  });

  it("refuses a callback with a valid state but without the cookie, or with another browser's: no link", async () => {
    const { shop, domain } = await connectedShop(env, { login: true });
    const attacker = env.emu.state.createUser({ displayName: "Attacker" });
    const other = env.emu.state.createUser({ displayName: "Other" });
    // The attacker starts a login for their own LINE account and sends the callback URL to a victim.
    const forwarded = await startLogin(domain, 8201, attacker.userId);
    // The victim's browser: no cookie at all, or the cookie of a login it started itself.
    const victimsOwn = await startLogin(domain, 8202, other.userId);
    expect((await openCallback(forwarded.callback)).status).toBe(400);
    expect((await openCallback(forwarded.callback, victimsOwn.cookie)).status).toBe(400);
    // A cookie naming the right state with a forged signature.
    const forged = forwarded.cookie.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    expect((await openCallback(forwarded.callback, forged)).status).toBe(400);
    // The right state under a plain (non-__Host-) name, as a sibling subdomain could plant it.
    expect((await openCallback(forwarded.callback, forwarded.cookie.replace("__Host-", ""))).status).toBe(400);
    expect(await linkedFriends(shop.id)).toBe(0);
    const intent = await db().linkIntent.findFirstOrThrow({ where: { shopId: shop.id, shopifyCustomerId: 8201n } });
    expect(intent.usedAt).toBeNull();

    // The browser that started it still completes, and the cookie is cleared.
    const done = await openCallback(forwarded.callback, forwarded.cookie);
    expect(done.status).toBe(200);
    expect(cookiePair(done.headers.get("set-cookie"))).toBe("__Host-line_login_state=");
    expect(done.headers.get("set-cookie")).toContain("Max-Age=0");
    expect(await linkedFriends(shop.id)).toBe(1);
  });

  it("refuses a replacement confirmation posted without the browser's cookie", async () => {
    const { shop, domain } = await connectedShop(env, { login: true });
    const user = env.emu.state.createUser({ displayName: "B" });
    const { authorize } = await startLogin(domain, 8301, user.userId);
    const res = await postConfirm({ state: authorize.searchParams.get("state")!, confirm: "1.x" });
    expect(res.status).toBe(400);
    expect(await linkedFriends(shop.id)).toBe(0);
  });
});
