// Issue 9 item 10: the sandbox login's `to` sent the browser to any `//host`. Every redirect that
// takes a user-supplied target goes through safeRedirectPath (app/domain/http/safe-redirect.ts);
// the only such route is /sandbox/login (docs/security.md lists the others and why they are fixed).
import { beforeAll, describe, expect, it } from "vitest";
import { resetEnv } from "~/config/env.server";
import { installDevShop } from "~/services/shops.server";
import { loader as sandboxLogin } from "~/routes/sandbox.login";
import { uniqueShop } from "../support/shopify";

const shop = uniqueShop("redirects");

beforeAll(async () => {
  process.env.SANDBOX_AUTH = "1";
  resetEnv();
  await installDevShop({ domain: shop });
});

async function login(to: string): Promise<Response> {
  const url = new URL("https://my-test-app.myshopify.io/sandbox/login");
  url.searchParams.set("shop", shop);
  url.searchParams.set("to", to);
  try {
    await sandboxLogin({ request: new Request(url), params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("sandbox login did not redirect");
}

describe("sandbox login redirect target", () => {
  it.each([
    "//evil.example",
    "//evil.example/app",
    "/\\evil.example",
    "/\t/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/.//evil.example",
  ])("refuses %j: sends the browser to /app on this origin", async (to) => {
    const res = await login(to);
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location).toBe("/app");
    expect(new URL(location, "https://my-test-app.myshopify.io").origin).toBe("https://my-test-app.myshopify.io");
    expect(res.headers.get("set-cookie")).toBeTruthy();
  });

  it("keeps a same-origin path with its query", async () => {
    const res = await login("/app/broadcasts/new?locale=en");
    expect(res.headers.get("location")).toBe("/app/broadcasts/new?locale=en");
  });
});
